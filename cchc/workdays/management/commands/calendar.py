from datetime import date

from django.core.management.base import CommandError

from cchc.core.management.base import GroupCommand
from cchc.core.vnformat import VietnameseParseError, format_date, parse_date
from cchc.org.models import OrgUnit
from cchc.workdays import selectors, services
from cchc.workdays.calendar_engine import WEEKDAY_NAMES, CalendarRangeError


def _day(raw: str) -> date:
    try:
        return parse_date(raw)
    except VietnameseParseError as exc:
        raise CommandError(str(exc)) from exc


class Command(GroupCommand):
    help = "Lịch ngày làm việc: tính hạn, tra ngày nghỉ, nạp thông báo nghỉ lễ. / Working-day calendar."
    subcommands = {
        "add-working-days": (
            "Ngày làm việc thứ N sau một ngày (đếm từ ngày làm việc kế tiếp). / N-th working day after a date."
        ),
        "is-working-day": "Một ngày có phải ngày làm việc không, và vì sao. / Is a date a working day, and why.",
        "holidays": "Các ngày nghỉ lễ, Tết và ngày làm bù của một năm. / Days off and Saturdays worked of a year.",
        "load-notices": (
            "Nạp thông báo nghỉ lễ từ tệp YAML (toàn bộ hoặc không gì cả). / Load yearly notices from YAML."
        ),
    }

    def _calendar(self, province: str | None):
        if not province:
            return selectors.get_calendar()
        unit = OrgUnit.objects.filter(code=province).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã {province}.")
        return selectors.get_calendar_for_unit(unit)

    @staticmethod
    def _province_arg(parser) -> None:
        parser.add_argument("--province", metavar="MÃ", help="Mã đơn vị: dùng lịch của tỉnh chứa đơn vị đó / unit code")

    def args_add_working_days(self, parser) -> None:
        parser.add_argument("date", help="Ngày, dạng YYYY-MM-DD hoặc dd/mm/yyyy / date")
        parser.add_argument("days", type=int, help="Số ngày làm việc / number of working days")
        self._province_arg(parser)

    def do_add_working_days(self, *, date, days, province=None, **_):
        cal = self._calendar(province)
        start = _day(date)
        try:
            result = cal.add_working_days(start, days)
        except CalendarRangeError as exc:
            raise CommandError(str(exc)) from exc
        # Plain ISO on stdout so scripts can use it; any caveat goes to stderr.
        self.stdout.write(result.isoformat())
        if cal.is_estimated(result) or cal.is_estimated(start):
            self.stderr.write(f"Lưu ý: năm {result.year} chưa có thông báo nghỉ lễ chính thức; kết quả là dự kiến.")

    def args_is_working_day(self, parser) -> None:
        parser.add_argument("date", help="Ngày, dạng YYYY-MM-DD hoặc dd/mm/yyyy / date")
        self._province_arg(parser)

    def do_is_working_day(self, *, date, province=None, **_):
        cal = self._calendar(province)
        try:
            info = cal.explain(_day(date))
        except CalendarRangeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(info.sentence())

    def args_holidays(self, parser) -> None:
        parser.add_argument("year", type=int, help="Năm / year")
        self._province_arg(parser)
        parser.add_argument("--json", action="store_true", help="In dạng JSON / JSON output")

    def do_holidays(self, *, year, province=None, json=False, **_):
        cal = self._calendar(province)
        try:
            off, worked = cal.days_off(year), cal.working_weekend_days(year)
        except CalendarRangeError as exc:
            raise CommandError(str(exc)) from exc
        estimated = year in cal.estimated_years
        if json:
            self.write_json(
                {
                    "year": year,
                    "estimated": estimated,
                    "working_days": cal.working_day_count(year),
                    "days_off": [
                        {
                            "date": e.day.isoformat(),
                            "name": e.name,
                            "basis": e.basis,
                            "source": e.source,
                            "weekly_rest": e.day.weekday() in cal.weekly_rest,
                        }
                        for e in off
                    ],
                    "working_weekend_days": [
                        {"date": e.day.isoformat(), "name": e.name, "basis": e.basis} for e in worked
                    ],
                }
            )
            return
        head = f"Ngày nghỉ lễ, Tết năm {year} ({cal.label})"
        if estimated:
            head += " — DỰ KIẾN theo Bộ luật Lao động, chưa có thông báo chính thức"
        self.stdout.write(head)
        for e in off:
            rest = " (trùng ngày nghỉ hằng tuần)" if e.day.weekday() in cal.weekly_rest else ""
            self.stdout.write(f"{format_date(e.day)}  {WEEKDAY_NAMES[e.day.weekday()]:<8}  {e.name}{rest}")
        self.stdout.write(f"Ngày làm việc bù năm {year}:" if worked else f"Không có ngày làm việc bù năm {year}.")
        for e in worked:
            self.stdout.write(f"{format_date(e.day)}  {WEEKDAY_NAMES[e.day.weekday()]:<8}  {e.name}")
        self.stdout.write(f"Tổng số ngày làm việc trong năm: {cal.working_day_count(year)}.")

    def args_load_notices(self, parser) -> None:
        parser.add_argument("file", help="Tệp .yaml (xem cchc/data/workdays/notices.yaml) / file")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu / validate only")

    def do_load_notices(self, *, file, dry_run=False, **_):
        result = services.load_notices_file(file, dry_run=dry_run)
        self.stdout.write(
            result.summary()
            .replace("thêm mới", "năm mới")
            .replace("cập nhật", "năm cập nhật")
            .replace("không đổi", "năm không đổi")
        )
