"""cchc purge-uploads: xóa tệp nhập liệu đã tải lên quá hạn lưu giữ (CCHC_UPLOAD_RETENTION_DAYS, mặc định 90).

Uploaded import files hold citizens' names and dossier details; once imported, the records are in the
database and the file is only a copy. The import's row (who sent which file, when, its result) and the
audit trail stay; only the file goes. Run it daily (systemd timer or cron). The folders come from the apps
that store uploads (``cchc.core.registry.register_upload_folder``); core names none of them."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cchc.core import audit
from cchc.core.actors import SystemActor
from cchc.core.audit import Verb
from cchc.core.registry import UploadFolder, upload_folders

ACTOR = SystemActor("cchc purge-uploads")


def _stale_files(spec: UploadFolder, cutoff: datetime) -> list[Path]:
    """Files of ``spec``'s folder older than ``cutoff`` and named by no row created since."""
    folder = Path(settings.MEDIA_ROOT) / spec.folder
    if not folder.is_dir():
        return []
    model = apps.get_model(spec.model)
    recent = model.objects.filter(**{f"{spec.created_field}__gte": cutoff})
    kept = set(recent.values_list(spec.path_field, flat=True))
    return [
        path
        for path in sorted(folder.glob("*"))
        if path.is_file() and str(path) not in kept and path.stat().st_mtime < cutoff.timestamp()
    ]


class Command(BaseCommand):
    help = "Xóa tệp nhập liệu đã tải lên quá số ngày lưu giữ / purge uploaded import files past retention"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Số ngày lưu giữ (mặc định theo cài đặt)")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không xóa")

    def handle(self, *args: Any, days: int | None = None, dry_run: bool = False, **options: Any) -> None:
        days = settings.CCHC_UPLOAD_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("Số ngày lưu giữ phải từ 1 trở lên.")
        cutoff = timezone.now() - timedelta(days=days)
        found = [(spec, _stale_files(spec, cutoff)) for spec in upload_folders()]
        removed = [path for _, paths in found for path in paths]
        freed = sum(path.stat().st_size for path in removed)
        if not dry_run and removed:
            for spec, paths in found:
                for path in paths:
                    path.unlink(missing_ok=True)
                model = apps.get_model(spec.model)
                model.objects.filter(**{f"{spec.path_field}__in": [str(p) for p in paths]}).update(
                    **{spec.path_field: ""}
                )
            audit.record(
                ACTOR,
                Verb.UPLOADS_PURGED,
                ("core.uploads", str(days)),
                data={"files": len(removed), "bytes": freed, "days": days},
            )
        head = "Sẽ xóa" if dry_run else "Đã xóa"
        self.stdout.write(f"{head} {len(removed)} tệp ({freed / 1024 / 1024:.1f} MB) cũ hơn {days} ngày.")
