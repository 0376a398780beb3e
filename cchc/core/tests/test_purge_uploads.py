"""Issue 13 item 8: uploaded import files are kept CCHC_UPLOAD_RETENTION_DAYS, then `cchc purge-uploads`."""

from __future__ import annotations

import os
import time
from io import StringIO

import pytest
from django.core.management import call_command

from cchc.core.models import AuditEvent
from cchc.dossiers.models import ImportJob

pytestmark = pytest.mark.django_db


def test_old_import_files_are_purged_and_recent_ones_kept(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / "dossier_imports"
    folder.mkdir()
    old, recent = folder / "1.csv", folder / "2.csv"
    old.write_text("ma_ho_so\nA\n")
    recent.write_text("ma_ho_so\nB\n")
    long_ago = time.time() - 91 * 86400
    os.utime(old, (long_ago, long_ago))
    job = ImportJob.objects.create(actor_label="t", file_name="1.csv", file_path=str(old))
    ImportJob.objects.filter(pk=job.pk).update(created_at=job.created_at.replace(year=job.created_at.year - 1))
    out = StringIO()
    call_command("purge-uploads", "--dry-run", stdout=out)
    assert "Sẽ xóa 1 tệp" in out.getvalue() and old.exists()
    call_command("purge-uploads", stdout=out)
    assert not old.exists() and recent.exists()
    job.refresh_from_db()
    assert job.file_path == "" and job.file_name == "1.csv"  # who imported what stays
    assert AuditEvent.objects.filter(verb="core.uploads_purged").count() == 1
