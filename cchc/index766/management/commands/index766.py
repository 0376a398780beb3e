"""cchc index766: the QĐ 766 service-quality index of a unit — the bare form prints it
(``cchc index766 --unit U --period P [--json]``); subcommands load a formula version, store the results of a
closed period, list the points still at stake."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import CommandError
from django.utils import timezone

from cchc.accounts.actors import SystemActor
from cchc.core.importing import ImportRejected
from cchc.core.management.base import GroupCommand
from cchc.core.vnformat import format_number
from cchc.index766 import selectors
from cchc.indicators.periods import PeriodCodeError
from cchc.org.models import OrgUnit


def _unit(code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=(code or "").strip()).first()
    if unit is None:
        raise CommandError(f"Không có đơn vị mã {code}.")
    return unit


def _range(period: str | None, start: str | None, end: str | None) -> tuple[date, date]:
    try:
        return selectors.resolve_range(
            period, date.fromisoformat(start) if start else None, date.fromisoformat(end) if end else None
        )
    except (ValueError, PeriodCodeError) as exc:
        raise CommandError(str(exc)) from exc


def _actor(username: str | None, name: str):
    if not username:
        return SystemActor(name)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Không có người dùng “{username}” (đang hoạt động).")
    return user


def _points(value) -> str:
    """Points with two decimals (7,00; 2,67); "chưa có" for a component with no data (never 0)."""
    return "chưa có" if value is None else format_number(value, 2)


def _row(name: str, numerator: str, denominator: str, ratio: str, points: str, maximum: str) -> str:
    name = name if len(name) <= 70 else name[:69] + "…"
    return f"{name:<70} {numerator:>8} {denominator:>8} {ratio:>8} {points:>8} {maximum:>7}"


def _add_range(parser, required: bool = False) -> None:
    parser.add_argument("--unit", required=required, help="Mã đơn vị / unit code")
    parser.add_argument("--period", help="Mã kỳ: 2026-T11, 2026-QUY4, 2026-6T, 2026-NAM / period code")
    parser.add_argument("--from", dest="start", help="Từ ngày YYYY-MM-DD / first day")
    parser.add_argument("--to", dest="end", help="Đến ngày YYYY-MM-DD / last day")
    parser.add_argument("--user", help="Với tư cách người dùng này (phạm vi của họ) / act as this user")


class Command(GroupCommand):
    help = (
        "Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg): cchc index766 --unit U --period P [--json]. "
        "/ The QĐ 766 service-quality index."
    )
    subcommands = {
        "load-formulas": "Nạp một phiên bản công thức từ tệp YAML. / Load a formula version.",
        "snapshot": "Chốt, lưu kết quả của kỳ đã kết thúc. / Store a closed period's results.",
        "stake": "Hồ sơ, thủ tục, phản ánh còn có thể mất điểm trong kỳ. / Points still at stake.",
        "weekly": "Tóm tắt tuần gửi lãnh đạo, Một cửa [--send]. / Weekly summary, emailed with --send.",
    }

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser._subparsers._group_actions[0].required = False  # the bare form prints the index
        _add_range(parser)
        parser.add_argument("--json", action="store_true", help="Xuất JSON / JSON output")
        parser.add_argument("--live", action="store_true", help="Tính lại, không đọc kết quả đã chốt / recompute")

    def handle(self, *args, subcommand: str | None = None, **options) -> None:
        if subcommand:
            return super().handle(*args, subcommand=subcommand, **options)
        if not options.get("unit"):
            raise CommandError("Cần --unit và --period (hoặc --from, --to), hoặc một lệnh con.")
        self.show(**options)

    def show(self, *, unit, period=None, start=None, end=None, user=None, json=False, live=False, **_) -> None:
        first, last = _range(period, start, end)
        try:
            result = selectors.index_for(_unit(unit), first, last, actor=_actor(user, "cchc index766"), live=live)
        except selectors.NoFormula as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.write_json(result.as_dict())
            return
        out = self.stdout
        out.write(f"Bộ chỉ số QĐ 766 — {result.unit.name} ({result.unit.code})")
        out.write(f"Từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}; công thức phiên bản {result.version}")
        if result.stored_at:
            out.write(f"Kết quả đã chốt lúc {timezone.localtime(result.stored_at):%H:%M %d/%m/%Y}")
        out.write(_row("Thành phần", "Tử số", "Mẫu số", "Tỷ lệ", "Điểm", "Tối đa"))
        for group in result.groups:
            out.write(_row(group.name.upper(), "", "", "", _points(group.points), format_number(group.max_points)))
            for c in group.components:
                ratio = "" if c.ratio is None else format_number(c.ratio * 100, 2) + "%"
                known = bool(c.denominator)
                out.write(
                    _row(
                        "  " + c.name,
                        format_number(c.numerator) if known else "",
                        format_number(c.denominator or 0),
                        ratio,
                        _points(c.points),
                        format_number(c.max_points),
                    )
                )
        out.write(_row("TỔNG ĐIỂM", "", "", "", _points(result.total), format_number(result.max_total)))
        if result.no_data_components:
            names = [c.name for c in result.components if c.no_data]
            out.write("Chưa có dữ liệu (không tính là 0 điểm, không tính vào điểm tối đa): " + "; ".join(names) + ".")

    # ---- load-formulas ----------------------------------------------------------------------------------
    def args_load_formulas(self, parser) -> None:
        parser.add_argument("file", help="Tệp YAML công thức / formula file")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu / validate only")

    def do_load_formulas(self, *, file, dry_run=False, user=None, **_) -> None:
        from pathlib import Path

        from cchc.index766 import formulas

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không có tệp {file}.")
        try:
            outcome = formulas.load_text(
                path.read_text(encoding="utf-8"),
                file_name=path.name,
                actor=_actor(user, "cchc index766 load-formulas"),
                dry_run=dry_run,
            )
        except ImportRejected:
            raise
        self.stdout.write(outcome.summary())

    # ---- snapshot -----------------------------------------------------------------------------------------
    def args_snapshot(self, parser) -> None:
        _add_range(parser)
        parser.add_argument(
            "--last-month", action="store_true", help="Tháng trước (cho lịch chạy hằng tháng) / the previous month"
        )

    def do_snapshot(self, *, unit=None, period=None, start=None, end=None, user=None, last_month=False, **_):
        from cchc.index766 import jobs

        if last_month:
            previous = timezone.localdate().replace(day=1) - timedelta(days=1)
            period = f"{previous.year}-T{previous.month:02d}"
        first, last = _range(period, start, end)
        actor = _actor(user, "cchc index766 snapshot")
        roots = [_unit(unit)] if unit else list(OrgUnit.objects.valid_on(last).filter(level="tinh"))
        for root in roots:
            job = jobs.start_snapshot(actor, root, first, last, inline=True)
            job.refresh_from_db()
            self.stdout.write(f"{root.code}: {(job.result or {}).get('summary') or job.get_status_display()}")

    # ---- stake -----------------------------------------------------------------------------------------------
    def args_stake(self, parser) -> None:
        _add_range(parser)
        parser.add_argument("--json", action="store_true", help="Xuất JSON / JSON output")
        parser.add_argument("--today", help="Ngày xét YYYY-MM-DD (mặc định: hôm nay) / as of this day")

    def do_stake(self, *, unit=None, period=None, start=None, end=None, user=None, json=False, today=None, **_):
        first, last = _range(period, start, end)
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"Ngày “{today}” không hợp lệ (YYYY-MM-DD).") from exc
        stake = selectors.points_at_stake(
            _unit(unit), first, last, actor=_actor(user, "cchc index766 stake"), today=day
        )
        if json:
            self.write_json(stake.as_dict())
            return
        self.stdout.write(f"Hồ sơ sẽ quá hạn trước khi hết kỳ nếu chưa giải quyết: {len(stake.dossiers)}")
        for item in stake.dossiers:
            self.stdout.write(
                f"  {item.dossier.code}  hạn {item.due_on:%d/%m/%Y}  mất {_points(item.points_cost)} điểm"
            )
        self.stdout.write(f"Thủ tục chưa công bố, chưa công khai (còn kịp hạn): {len(stake.procedures)}")
        for item in stake.procedures:
            self.stdout.write(f"  {item.procedure.code}  {item.reason}  mất {_points(item.points_cost)} điểm")
        self.stdout.write(f"Phản ánh, kiến nghị sắp đến hạn: {len(stake.feedback)}")
        for item in stake.feedback:
            self.stdout.write(f"  #{item.item.pk}  hạn {item.due_on:%d/%m/%Y}  mất {_points(item.points_cost)} điểm")

    # ---- weekly (cchc.index766.weekly) -------------------------------------------------------------------
    def args_weekly(self, parser) -> None:
        parser.add_argument("--unit", help="Chỉ đơn vị này / only this unit")
        parser.add_argument("--date", dest="day", help="Ngày tóm tắt YYYY-MM-DD (mặc định hôm nay) / as of this day")
        parser.add_argument("--send", action="store_true", help="Gửi thư điện tử / email the summaries")

    def do_weekly(self, *, unit=None, day=None, send=False, **_) -> None:
        from django.utils import timezone

        from cchc.index766 import weekly

        items = weekly.run(
            _range(None, day, day)[0] if day else timezone.localdate(),
            actor=SystemActor("cchc index766 weekly"),
            unit=_unit(unit) if unit else None,
            send=send,
        )
        for item in items:
            self.stdout.write(item.subject)
            self.stdout.write(item.body)
            sent = ", ".join(item.recipients) if send and item.recipients else "chưa gửi"
            self.stdout.write(f"Người nhận: {item.error or sent}\n")
        failed = [item.unit.name for item in items if item.error]
        if failed:  # a non-zero exit, so the timer's unit shows the failure
            raise CommandError(f"Không gửi được tóm tắt của: {', '.join(failed)}.")
