"""cchc demo: every app's demo step (``cchc.core.registry.register_demo``), here or as a background job. It
lives in jobs, not core, because ``--background`` queues the job (core imports no app)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cchc.core.actors import SystemActor
from cchc.core.registry import demo_steps


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu trình diễn (tỉnh minh họa, người dùng mọi vai trò); chạy lại không tạo trùng. "
        "/ Create the demo province and users (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Chạy cả khi CCHC_DEMO chưa bật (tạo tài khoản với mật khẩu minh họa!) / run outside demo mode",
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="Giao cho tiến trình xử lý nền (cchc worker), theo dõi tại /cong-viec/<số>/ / queue it as a job",
        )

    def handle(self, *args, force=False, background=False, **options):
        if not (settings.CCHC_DEMO_MODE or force):
            raise CommandError(
                "Dữ liệu trình diễn tạo tài khoản với mật khẩu công khai: chỉ chạy khi CCHC_DEMO=1 "
                "(make run đặt sẵn) hoặc với --force."
            )
        if background:
            from cchc.jobs import builtin, services

            job = services.enqueue(builtin.DEMO, label="Dữ liệu trình diễn", actor=SystemActor("cchc demo"))
            self.stdout.write(f"Đã giao công việc số {job.pk} cho tiến trình xử lý nền: /cong-viec/{job.pk}/")
            return
        for step in demo_steps():
            self.stdout.write(f"— {step.name}")
            with transaction.atomic():
                step.run(lambda line: self.stdout.write("  " + line))
        self.stdout.write(self.style.SUCCESS("Dữ liệu trình diễn đã sẵn sàng."))
