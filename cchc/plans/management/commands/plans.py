"""cchc plans …: nạp nhiệm vụ kế hoạch CCHC từ XLSX, tổng hợp tuần, tệp mẫu."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

from cchc.accounts.actors import SystemActor
from cchc.core.management.base import GroupCommand
from cchc.core.vnformat import VietnameseParseError, parse_date
from cchc.org.models import OrgUnit
from cchc.plans import selectors
from cchc.plans.importing import import_tasks, write_example
from cchc.plans.models import Plan

ACTOR = SystemActor("cchc plans")


class Command(GroupCommand):
    help = "Kế hoạch CCHC và nhiệm vụ / CCHC plans and their tasks"
    subcommands = {
        "import-tasks": "Nạp nhiệm vụ của một kế hoạch từ tệp XLSX / import a plan's tasks from XLSX",
        "weekly-summary": "In tổng hợp tuần của một đơn vị / print a unit's weekly summary",
        "example-file": "Ghi tệp XLSX mẫu / write the example XLSX file",
    }

    def args_import_tasks(self, parser) -> None:
        parser.add_argument("file", help="tệp .xlsx hoặc .csv / the file")
        parser.add_argument("--plan", type=int, required=True, help="mã số kế hoạch / plan id")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không lưu / check only")

    def do_import_tasks(self, file: str, plan: int, dry_run: bool, **_) -> None:
        target = Plan.objects.filter(pk=plan).select_related("unit").first()
        if target is None:
            raise CommandError(f"Không có kế hoạch mã số {plan}.")
        if not Path(file).exists():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        result = import_tasks(ACTOR, target, file, dry_run=dry_run)
        self.stdout.write(f"{target} ({target.unit.name}): {result.summary()}")

    def args_weekly_summary(self, parser) -> None:
        parser.add_argument("--unit", required=True, help="mã định danh đơn vị / unit code")
        parser.add_argument("--date", help="ngày xem (dd/mm/yyyy), mặc định hôm nay / as of date")

    def do_weekly_summary(self, unit: str, date: str | None, **_) -> None:
        target = OrgUnit.objects.filter(code=unit).first()
        if target is None:
            raise CommandError(f"Không có đơn vị mã {unit}.")
        try:
            day = parse_date(date) if date else timezone.localdate()
        except VietnameseParseError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(selectors.weekly_summary_text(selectors.weekly_summary(target, day)))

    def args_example_file(self, parser) -> None:
        parser.add_argument("path", nargs="?", default="docs/examples/ke-hoach-nhiem-vu-mau.xlsx")

    def do_example_file(self, path: str, **_) -> None:
        self.stdout.write(f"Đã ghi {write_example(path)}")
