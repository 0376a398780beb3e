"""`cchc report build|status|rollup` — báo cáo CCHC định kỳ."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from cchc.accounts.actors import SystemActor
from cchc.core.management.base import GroupCommand
from cchc.core.vnformat import format_number, format_percent
from cchc.indicators.periods import PeriodCodeError, get_period
from cchc.org.models import OrgUnit
from cchc.reports import output, selectors, services
from cchc.reports.models import Report


def _unit(code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise CommandError(f"Không có đơn vị mã “{code}”.")
    return unit


def _period(code: str):
    try:
        return get_period(code)
    except PeriodCodeError as exc:
        raise CommandError(str(exc)) from exc


def _unit_period_args(parser) -> None:
    parser.add_argument("--unit", required=True, help="Mã đơn vị / unit code")
    parser.add_argument("--period", required=True, help="Mã kỳ, ví dụ 2021-NAM / period code")


class Command(GroupCommand):
    help = "Báo cáo CCHC định kỳ / Periodic CCHC reports"
    subcommands = {
        "build": "Xuất báo cáo ra DOCX, XLSX hoặc PDF / Build a report file",
        "status": "Tình hình gửi báo cáo của các đơn vị trực thuộc / Submission status of the units below",
        "rollup": "Số liệu tổng hợp từ báo cáo đã gửi / Roll-up of submitted figures",
    }

    def args_build(self, parser) -> None:
        _unit_period_args(parser)
        parser.add_argument("--out", required=True, help="Tệp ra (.docx, .xlsx, .pdf) / output file")
        parser.add_argument(
            "--create", action="store_true", help="Tạo dự thảo nếu chưa có / create the draft if the unit has none"
        )

    def do_build(self, *, unit: str, period: str, out: str, create: bool = False, **_) -> None:
        u, p = _unit(unit), _period(period)
        report = Report.objects.filter(unit=u, period=p).first()
        if report is None:
            if not create:
                raise CommandError(f"{u.name} chưa có báo cáo {p.name}; thêm --create để tạo dự thảo.")
            report = services.create_report(SystemActor("cchc report build"), u, p)
        doc = output.document_for(report)
        target = Path(out)
        ext = target.suffix.lower()
        if ext == ".docx":
            data = output.render_docx(doc)
        elif ext == ".xlsx":
            data = output.render_xlsx(doc)
        elif ext == ".pdf":
            data = output.render_pdf(doc)
        else:
            raise CommandError("Tệp ra phải có đuôi .docx, .xlsx hoặc .pdf.")
        target.write_bytes(data)
        state = "đã chốt số liệu, phiên bản " + str(report.version) if not report.is_editable else "dự thảo"
        self.stdout.write(f"Đã ghi {target} ({format_number(len(data))} byte): {report} — {state}.")

    def args_status(self, parser) -> None:
        _unit_period_args(parser)
        parser.add_argument("--json", action="store_true")

    def do_status(self, *, unit: str, period: str, json: bool = False, **_) -> None:
        table = selectors.submission_status(_unit(unit), _period(period))
        if json:
            self.write_json(table.as_dict())
            return
        self.stdout.write(f"{table.parent.name} — {table.period.name} (hạn {table.period.due_date:%d/%m/%Y})")
        if not table.rows:
            self.stdout.write("Không có đơn vị nào phải gửi báo cáo cho đơn vị này trong kỳ.")
            return
        for row in table.rows:
            when = ""
            if row.report and row.report.first_submitted_at:
                when = f" ({row.report.first_submitted_at:%d/%m/%Y}, {row.report.get_status_display().lower()})"
            self.stdout.write(f"  {row.unit.code}  {row.unit.name:<30} {row.label}{when}")
        self.stdout.write(
            f"Đã gửi {table.submitted}/{table.expected} ({format_percent(table.submitted_rate)}); "
            f"đúng hạn {table.count('on_time')}/{table.expected} ({format_percent(table.on_time_rate)}); "
            f"muộn {table.count('late')}; chưa gửi {table.count('missing')}."
        )

    def args_rollup(self, parser) -> None:
        _unit_period_args(parser)
        parser.add_argument("--json", action="store_true")
        parser.add_argument(
            "--create", action="store_true", help="Tạo báo cáo tổng hợp (dự thảo) / create the rolled-up draft report"
        )

    def do_rollup(self, *, unit: str, period: str, json: bool = False, create: bool = False, **_) -> None:
        u, p = _unit(unit), _period(period)
        rows, by_unit = selectors.rollup_rows(u, p)
        if create and not Report.objects.filter(unit=u, period=p).exists():
            services.create_report(SystemActor("cchc report rollup"), u, p)
        if json:
            self.write_json(
                {
                    "unit": u.code,
                    "period": p.code,
                    "units": [
                        {
                            "code": f.unit.code,
                            "name": f.unit.name,
                            "state": f.state,
                            "version": f.version.number if f.version else None,
                        }
                        for f in by_unit
                    ],
                    "values": {
                        c: {
                            "value": None if r.value is None else str(r.value),
                            "display": r.display,
                            "source": r.source,
                        }
                        for c, r in rows.items()
                        if not r.is_heading
                    },
                }
            )
            return
        sent = [f for f in by_unit if f.version]
        self.stdout.write(f"{u.name} — {p.name}: tổng hợp từ {len(sent)}/{len(by_unit)} báo cáo đã gửi.")
        for f in by_unit:
            self.stdout.write(
                f"  {f.unit.code}  {f.unit.name:<30} "
                + (f"phiên bản {f.version.number}" if f.version else "chưa có số liệu đã gửi")
            )
        for row in rows.values():
            if row.in_appendix and not row.is_heading and row.value is not None:
                self.stdout.write(f"  {row.code:<45} {row.display:>14}   {row.source[:90]}")
