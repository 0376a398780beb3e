from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.runtime.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu và tệp đã tải lên vào một tệp .tar (chạy được khi phần mềm đang hoạt động). "
        "/ Back up the database and uploaded files to one .tar file (safe while the app runs)."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="tệp sao lưu sẽ tạo, ví dụ /srv/sao-luu/cchc-2026-12-06.tar")

    def handle(self, *args, out, **options):
        try:
            manifest = make_backup(Path(out))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        size = sum(f["size"] for f in manifest["files"])
        self.stdout.write(
            f"Đã sao lưu vào {out}: {manifest['database']['vendor']}, {len(manifest['counts'])} bảng, "
            f"{rows:,} dòng, {len(manifest['files']) - 1} tệp tải lên, {size / 1e6:.1f} MB.".replace(",", ".")
        )
