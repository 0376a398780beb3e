from datetime import date

from django.core.management.base import CommandError
from django.utils import timezone

from cchc.core.management.base import GroupCommand
from cchc.core.vnformat import VietnameseParseError, format_date, parse_date
from cchc.org import selectors, services
from cchc.org.models import OrgUnit


def _parse_day(raw: str | None) -> date:
    if not raw:
        return timezone.localdate()
    try:
        return parse_date(raw)
    except VietnameseParseError as exc:
        raise CommandError(str(exc)) from exc


class Command(GroupCommand):
    help = "Cơ cấu đơn vị có thời hạn: xem cây, nạp danh mục, tìm đơn vị kế thừa. / Dated org-unit tree."
    subcommands = {
        "tree": "In cây đơn vị tại một ngày. / Print the unit tree as it stood on a date.",
        "load": "Nạp danh mục đơn vị từ tệp YAML hoặc CSV (toàn bộ hoặc không gì cả). / Load units from YAML or CSV.",
        "successor": "Cho biết đơn vị kế thừa của một đơn vị đã giải thể, sáp nhập. / Successor of a unit.",
        "load-official": "Nạp một tỉnh và các xã, phường theo danh mục chính thức từ 1/7/2025 (chạy lại không "
        "đổi gì). / Load a province and its communes from the official list since 1/7/2025.",
    }

    def args_tree(self, parser) -> None:
        parser.add_argument("--date", help="Ngày, dạng YYYY-MM-DD hoặc dd/mm/yyyy (mặc định: hôm nay) / date")
        parser.add_argument("--root", help="Mã đơn vị gốc (mặc định: mọi đơn vị) / root unit code")
        parser.add_argument("--codes", action="store_true", help="In kèm mã đơn vị / print codes")

    def do_tree(self, *, date=None, root=None, codes=False, **_):
        day = _parse_day(date)
        root_unit = None
        if root:
            root_unit = OrgUnit.objects.filter(code=root).first()
            if root_unit is None:
                raise CommandError(f"Không có đơn vị mã {root}.")
        forest = selectors.tree_on(day, root_unit)
        self.stdout.write(f"Cơ cấu đơn vị tại ngày {format_date(day)}")
        for tree in forest:
            for node in tree.walk():
                suffix = f"  [{node.unit.code}]" if codes else ""
                self.stdout.write(f"{'  ' * node.depth}{node.unit.name}{suffix}")
        if not forest:
            self.stdout.write("(không có đơn vị nào tồn tại vào ngày này)")

    def args_load(self, parser) -> None:
        parser.add_argument("file", help="Tệp .yaml/.yml hoặc .csv / file")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu / validate only")

    def do_load(self, *, file, dry_run=False, **_):
        result = services.load_org_file(file, dry_run=dry_run)
        self.stdout.write(result.summary())

    def args_successor(self, parser) -> None:
        parser.add_argument("code", help="Mã đơn vị / unit code")
        parser.add_argument("--date", help="Tại ngày (mặc định: hôm nay) / as of date")

    def do_successor(self, *, code, date=None, **_):
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã {code}.")
        day = _parse_day(date)
        found = selectors.successors_of(unit, day)
        if not found:
            self.stdout.write(f"{unit.name} không có đơn vị kế thừa tại ngày {format_date(day)}.")
        for s in found:
            self.stdout.write(f"{s.name}  [{s.code}]")

    def args_load_official(self, parser) -> None:
        parser.add_argument("--province", required=True, help="Mã (42) hoặc tên tỉnh (Hà Tĩnh) / code or name")
        parser.add_argument(
            "--under", help="Mã đơn vị cấp tỉnh đã có trong hệ thống để gắn các xã vào / existing province unit code"
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu / validate only")

    def do_load_official(self, *, province, under=None, dry_run=False, **_):
        from cchc.org.official import full_name, load_official

        found, result = load_official(province, under_code=under, dry_run=dry_run)
        self.stdout.write(f"{full_name(found)}: {result.details['communes']} xã, phường, đặc khu. {result.summary()}")
