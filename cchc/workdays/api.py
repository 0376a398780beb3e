"""/api/calendar: the working-day calendar for machines (due dates of other systems)."""

from datetime import date

from ninja import Router, Schema, Status

from cchc.api.schemas import ERRORS
from cchc.workdays.selectors import CalendarRangeError, get_calendar

router = Router(tags=["Lịch làm việc / working days"])


class DayOut(Schema):
    date: date
    working: bool
    explanation: str


class DueOut(Schema):
    start: date
    working_days: int
    due: date


def _range_error(exc: CalendarRangeError):
    return Status(400, {"detail": str(exc)})


@router.get("/day/{day}", response={200: DayOut, **ERRORS}, summary="Một ngày có phải ngày làm việc")
def day(request, day: date):
    try:
        info = get_calendar().explain(day)
    except CalendarRangeError as exc:
        return _range_error(exc)
    return {"date": day, "working": info.working, "explanation": info.sentence()}


@router.get("/add-working-days", response={200: DueOut, **ERRORS}, summary="Cộng ngày làm việc (tính hạn)")
def add_working_days(request, start: date, n: int):
    if not -1000 <= n <= 1000:
        return Status(400, {"detail": "Số ngày làm việc phải trong khoảng -1000 đến 1000."})
    try:
        due = get_calendar().add_working_days(start, n)
    except CalendarRangeError as exc:
        return _range_error(exc)
    return {"start": start, "working_days": n, "due": due}
