"""Nạp tệp hồ sơ như một công việc nền (cchc.jobs): the upload page saves the file and queues the job; a
worker (or the request itself, for a small file) runs the import; the page polls the job row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from cchc.dossiers import importing
from cchc.dossiers.models import ImportJob
from cchc.jobs import kinds
from cchc.jobs import services as jobs
from cchc.jobs.kinds import Progress
from cchc.jobs.models import Job

KIND = "dossiers.import"
INLINE_LIMIT = 2_000_000  # bytes: a smaller upload is imported in the request (a few seconds at most)


def start_import(user: Any, upload: UploadedFile, *, dry_run: bool, inline: bool | None = None) -> ImportJob:
    """Lưu tệp tải lên và tạo công việc nạp. ``inline`` (default: small files) runs it before returning."""
    folder = Path(settings.MEDIA_ROOT) / "dossier_imports"
    folder.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        imp = ImportJob.objects.create(
            user=user, actor_label=user.get_username(), file_name=upload.name[:255], dry_run=dry_run
        )
        path = folder / f"{imp.pk}{Path(upload.name).suffix.lower()}"
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        imp.file_path = str(path)
        imp.save(update_fields=["file_path"])
    run_now = upload.size <= INLINE_LIMIT if inline is None else inline
    label = f"{'Kiểm tra' if dry_run else 'Nạp'} tệp hồ sơ {upload.name}"
    # The job row is created after the file is on disk: a worker may take it at once.
    job = jobs.enqueue(KIND, label=label, actor=user, unit=user.unit, params={"import_job": imp.pk}, inline=run_now)
    ImportJob.objects.filter(pk=imp.pk).update(job=job)
    imp.job = job
    return imp


@kinds.register(KIND, result_template="dossiers/_import_result.html")
def run_import(job: Job, progress: Progress) -> dict[str, Any]:
    """The worker's side: one transaction (importing.import_dossiers), so a killed run leaves nothing."""
    imp = ImportJob.objects.get(pk=job.params["import_job"])
    result = importing.import_dossiers(
        imp.file_path,
        actor=job.actor,  # the uploader; a deleted user reaches no unit (a name is not an actor)
        dry_run=imp.dry_run,
        mapping=job.params.get("mapping"),
        progress=progress,
        job=imp,
    )
    return {
        "summary": result.summary(),
        "dry_run": result.dry_run,
        "rows": result.details.get("rows", 0),
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
