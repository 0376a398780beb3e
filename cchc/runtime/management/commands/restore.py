from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.runtime.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Phục hồi từ tệp sao lưu của “cchc backup” vào cơ sở dữ liệu trống (--force: thay dữ liệu hiện có), "
        "rồi đối chiếu số dòng và mã băm. / Restore a backup into an empty database, then verify it."
    )

    def add_arguments(self, parser):
        parser.add_argument("src", help="tệp sao lưu (.tar)")
        parser.add_argument("--force", action="store_true", help="thay toàn bộ dữ liệu hiện có / replace")

    def handle(self, *args, src, force, **options):
        try:
            manifest = restore_backup(Path(src), force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Đã phục hồi bản sao lưu ngày {manifest['created_at']} (cchc {manifest['version']}): "
            f"{len(manifest['counts'])} bảng, {rows:,} dòng — khớp số dòng và mã băm bảng hồ sơ.".replace(",", ".")
        )
