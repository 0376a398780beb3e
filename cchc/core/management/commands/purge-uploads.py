"""cchc purge-uploads: xóa tệp nhập liệu đã tải lên quá hạn lưu giữ (CCHC_UPLOAD_RETENTION_DAYS, mặc định 90).

Uploaded import files hold citizens' names and dossier details; once imported, the records are in the
database and the file is only a copy. The import's row (who sent which file, when, its result) and the
audit trail stay; only the file goes. Run it daily (systemd timer or cron)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cchc.core import audit

UPLOAD_FOLDERS = ("dossier_imports",)  # folders under MEDIA_ROOT that hold import files only
ACTOR = "cchc purge-uploads"


class Command(BaseCommand):
    help = "Xóa tệp nhập liệu đã tải lên quá số ngày lưu giữ / purge uploaded import files past retention"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Số ngày lưu giữ (mặc định theo cài đặt)")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không xóa")

    def handle(self, *args: Any, days: int | None = None, dry_run: bool = False, **options: Any) -> None:
        from cchc.dossiers.models import ImportJob

        days = settings.CCHC_UPLOAD_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("Số ngày lưu giữ phải từ 1 trở lên.")
        cutoff = timezone.now() - timedelta(days=days)
        root = Path(settings.MEDIA_ROOT)
        kept_paths = set(ImportJob.objects.filter(created_at__gte=cutoff).values_list("file_path", flat=True))
        removed, freed = [], 0
        for folder in UPLOAD_FOLDERS:
            for path in sorted((root / folder).glob("*")) if (root / folder).is_dir() else []:
                if not path.is_file() or str(path) in kept_paths:
                    continue
                if path.stat().st_mtime >= cutoff.timestamp():
                    continue
                removed.append(path)
                freed += path.stat().st_size
        if not dry_run and removed:
            for path in removed:
                path.unlink(missing_ok=True)
            ImportJob.objects.filter(file_path__in=[str(p) for p in removed]).update(file_path="")
            audit.record(
                ACTOR,
                "core.uploads_purged",
                ("core.uploads", str(days)),
                data={"files": len(removed), "bytes": freed, "days": days},
            )
        head = "Sẽ xóa" if dry_run else "Đã xóa"
        self.stdout.write(f"{head} {len(removed)} tệp ({freed / 1024 / 1024:.1f} MB) cũ hơn {days} ngày.")
