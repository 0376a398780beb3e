from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cchc.core.registry import demo_steps


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu trình diễn (tỉnh minh họa, người dùng mọi vai trò); chạy lại không tạo trùng. "
        "/ Create the demo province and users (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Chạy cả khi CCHC_DEMO chưa bật (tạo tài khoản với mật khẩu minh họa!) / run outside demo mode",
        )

    def handle(self, *args, force=False, **options):
        if not (settings.CCHC_DEMO_MODE or force):
            raise CommandError(
                "Dữ liệu trình diễn tạo tài khoản với mật khẩu công khai: chỉ chạy khi CCHC_DEMO=1 "
                "(make run đặt sẵn) hoặc với --force."
            )
        for step in demo_steps():
            self.stdout.write(f"— {step.name}")
            with transaction.atomic():
                step.run(lambda line: self.stdout.write("  " + line))
        self.stdout.write(self.style.SUCCESS("Dữ liệu trình diễn đã sẵn sàng."))
