from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from cchc.accounts.actors import SystemActor
from cchc.core.importing import ImportRejected
from cchc.core.management.base import GroupCommand
from cchc.core.vnformat import VietnameseParseError, format_date, format_number, format_percent, parse_date
from cchc.dossiers import importing, services, stats, summary
from cchc.org.models import OrgUnit


def _day(raw: str):
    try:
        return parse_date(raw)
    except VietnameseParseError as exc:
        raise CommandError(str(exc)) from exc


class Command(GroupCommand):
    help = "Hồ sơ thủ tục hành chính: nạp danh mục, nạp hồ sơ, thống kê. / One-stop dossiers."
    subcommands = {
        "import-procedures": (
            "Nạp danh mục thủ tục từ CSV/XLSX (toàn bộ hoặc không gì cả). / Load the procedure catalogue."
        ),
        "import": "Nạp hồ sơ từ tệp xuất của hệ thống một cửa tỉnh (CSV UTF-8 hoặc XLSX). / Import dossiers.",
        "import-template": "Ghi tệp mẫu nạp hồ sơ (XLSX: tiêu đề, dòng ví dụ, giải thích các cột). / Import template.",
        "stats": "Thống kê hồ sơ của một đơn vị trong một kỳ. / Dossier statistics of a unit over a period.",
        "rebuild-summary": "Tính lại bảng tổng hợp từ hồ sơ (sửa chữa). / Rebuild the summary table.",
    }

    def args_import_procedures(self, parser) -> None:
        parser.add_argument("file", help="Tệp CSV hoặc XLSX / file")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu / validate only")

    def do_import_procedures(self, *, file, dry_run=False, **_):
        self.stdout.write(
            services.import_procedures(
                file, actor=SystemActor("cchc dossiers import-procedures"), dry_run=dry_run
            ).summary()
        )

    def args_import(self, parser) -> None:
        parser.add_argument("file", help="Tệp CSV hoặc XLSX / file")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu / validate only")
        parser.add_argument("--mapping", help="Tệp ánh xạ cột (YAML hoặc CSV) / column-mapping file")

    def do_import(self, *, file, dry_run=False, mapping=None, **_):
        try:
            result = importing.import_dossiers(
                file,
                actor=SystemActor("cchc dossiers import"),
                dry_run=dry_run,
                mapping=importing.read_mapping(mapping),
            )
        except FileNotFoundError as exc:
            raise CommandError(f"Không có tệp {file}.") from exc
        except ImportRejected:
            raise
        rows = result.details.get("rows")
        self.stdout.write(result.summary() + (f" ({format_number(rows)} dòng)" if rows else ""))

    def args_import_template(self, parser) -> None:
        parser.add_argument("out", nargs="?", help="Tệp XLSX sẽ ghi / output file")
        parser.add_argument(
            "--markdown", action="store_true", help="In bảng cột cho docs/dossiers.md / print the docs' column table"
        )

    def do_import_template(self, *, out, markdown=False, **_):
        if markdown:
            self.stdout.write(importing.columns.markdown_table(), ending="")
            return
        if not out:
            raise CommandError("Cần tên tệp XLSX sẽ ghi (hoặc --markdown).")
        Path(out).write_bytes(importing.template_bytes())
        self.stdout.write(f"Đã ghi tệp mẫu {out} ({len(importing.COLUMNS)} cột).")

    def args_stats(self, parser) -> None:
        parser.add_argument("--unit", required=True, metavar="MÃ", help="Mã đơn vị / unit code")
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD hoặc dd/mm/yyyy")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD hoặc dd/mm/yyyy")
        parser.add_argument("--descendants", action="store_true", help="Gồm đơn vị cấp dưới / with sub-units")
        parser.add_argument("--json", action="store_true", help="In JSON / print JSON")

    def do_stats(self, *, unit, start, end, descendants=False, json=False, **_):
        target = OrgUnit.objects.filter(code=unit).first()
        if target is None:
            raise CommandError(f"Không có đơn vị mã {unit}.")
        start, end = _day(start), _day(end)
        if end < start:
            raise CommandError("Ngày cuối kỳ phải sau ngày đầu kỳ.")
        data = stats.stats(stats.units_for(target, start, end, descendants), start, end)
        if json:
            self.write_json({"unit": target.code, "from": start.isoformat(), "to": end.isoformat(), **data})
            return
        self.stdout.write(f"{target.name}, từ {format_date(start)} đến {format_date(end)}")
        labels = [
            ("carried_over", "Kỳ trước chuyển qua"),
            ("received", "Tiếp nhận mới"),
            ("online", "— trực tuyến"),
            ("resolved", "Đã giải quyết"),
            ("resolved_early", "— trước hạn"),
            ("resolved_on_time", "— đúng hạn"),
            ("resolved_late", "— quá hạn"),
            ("closed_other", "Từ chối, rút, dừng"),
            ("pending", "Đang giải quyết cuối kỳ"),
            ("pending_within_deadline", "— trong hạn"),
            ("pending_overdue", "— quá hạn"),
            ("apologies", "Văn bản xin lỗi"),
            ("late_without_apology", "Quá hạn chưa xin lỗi"),
        ]
        for key, label in labels:
            self.stdout.write(f"  {label:<28} {format_number(data[key]):>10}")
        rate = data["on_time_rate"]
        self.stdout.write(f"  {'Tỷ lệ đúng hạn':<28} {format_percent(rate) if rate is not None else '—':>10}")

    def do_rebuild_summary(self, **_):
        from django.db import transaction

        with transaction.atomic():
            summary.rebuild_units(None)
        self.stdout.write("Đã tính lại bảng tổng hợp.")
