"""Quy tắc tính hạn và mã hồ sơ, đọc từ ``cchc/data/dossiers/rules.yaml``.

Due-date rule (hạn giải quyết), documented in docs/dossiers.md:

- *Working days* (n ngày làm việc): the receipt counts on the day it is received if that is a working
  day and, when the procedure has a cut-off hour, before it; otherwise on the next working day. The due
  date is the n-th working day after that day (``WorkCalendar.add_working_days``: counting starts the
  next working day).
- *Same day* (trong ngày): due the day of receipt when received on a working day before the cut-off
  (the procedure's, else ``same_day_cutoff``), else the next working day.
- *Working hours* (n giờ làm việc): the clock runs only inside the working hours of working days
  (7:30–11:30, 13:30–17:00 by default); a receipt outside them starts at the next opening. The due
  moment is when n hours have run; its date is the due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path

import numpy as np
import yaml
from django.conf import settings

from cchc.core.loading import read_at_start
from cchc.workdays.calendar_engine import WorkCalendar

RULES_FILE = Path(settings.BASE_DIR) / "data" / "dossiers" / "rules.yaml"


def _hm(text: str) -> time:
    h, m = str(text).split(":")
    return time(int(h), int(m))


@dataclass(frozen=True)
class Rules:
    code_format: str
    working_hours: tuple[tuple[time, time], ...]
    same_day_cutoff: time
    warn_working_days: int


@read_at_start
@cache
def load_rules(path: Path = RULES_FILE) -> Rules:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Rules(
        code_format=raw["code_format"],
        working_hours=tuple((_hm(a), _hm(b)) for a, b in raw["working_hours"]),
        same_day_cutoff=_hm(raw["same_day_cutoff"]),
        warn_working_days=int(raw.get("warn_working_days", 1)),
    )


def format_code(unit_code: str, day: date, seq: int, rules: Rules | None = None) -> str:
    rules = rules or load_rules()
    return rules.code_format.format(
        unit=unit_code, yymmdd=day.strftime("%y%m%d"), yyyymmdd=day.strftime("%Y%m%d"), seq=seq
    )


def counting_day(cal: WorkCalendar, received_at: datetime, cutoff: time | None) -> date:
    """The working day the receipt counts on (before the cut-off of a working day: that day)."""
    day = received_at.date()
    if cutoff is not None and received_at.time() >= cutoff and cal.is_working_day(day):
        return cal.add_working_days(day, 1)
    return cal.add_working_days(day, 0)


def due_in_days(cal: WorkCalendar, received_at: datetime, n: int, cutoff: time | None) -> date:
    start = counting_day(cal, received_at, cutoff)
    return start if n <= 0 else cal.add_working_days(start, n)


def due_in_hours(cal: WorkCalendar, received_at: datetime, hours: int, rules: Rules | None = None) -> datetime:
    """Walk the working-hour slots from ``received_at`` until ``hours`` have run."""
    rules = rules or load_rules()
    left = timedelta(hours=hours)
    day, now = received_at.date(), received_at.time()
    while True:
        if cal.is_working_day(day):
            for start, end in rules.working_hours:
                begin = max(now, start)
                if begin >= end:
                    continue
                slot = datetime.combine(day, end) - datetime.combine(day, begin)
                if left <= slot:
                    return datetime.combine(day, begin) + left
                left -= slot
        day, now = cal.add_working_days(day, 1), time(0, 0)


def due_date(
    cal: WorkCalendar,
    received_at: datetime,
    time_unit: str,
    time_value: int,
    cutoff: time | None,
    rules: Rules | None = None,
) -> tuple[date, datetime | None]:
    """(due date, due moment or None) of a dossier received at ``received_at`` (naive local time)."""
    rules = rules or load_rules()
    if time_unit == "gio":
        moment = due_in_hours(cal, received_at, time_value, rules)
        return moment.date(), moment
    if time_unit == "trong_ngay":
        return counting_day(cal, received_at, cutoff or rules.same_day_cutoff), None
    return due_in_days(cal, received_at, time_value, cutoff), None


def due_dates_many(cal: WorkCalendar, received: np.ndarray, after_cutoff: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Vectorised ``due_in_days`` for the import: ``received`` datetime64[D], ``after_cutoff`` bool,
    ``days`` int (0 = same day)."""
    start = cal.add_working_days_many(received, 0)
    bumped = after_cutoff & cal.is_working_day_many(received)
    if bumped.any():
        start = np.where(bumped, cal.add_working_days_many(received, 1), start)
    positive = days > 0
    if not positive.any():
        return start
    return np.where(positive, cal.add_working_days_many(start, np.maximum(days, 1)), start)


def classify(returned_on: date | None, due_on: date) -> str:
    """Trước hạn / đúng hạn / quá hạn; a return on the due date (any hour) is on time."""
    if returned_on is None:
        return ""
    if returned_on < due_on:
        return "som"
    return "dung" if returned_on == due_on else "tre"


def pending_state(due_on: date, as_of: date) -> str:
    """Hồ sơ chưa xong tại ngày ``as_of``: "trong_han" or "qua_han" (overdue once the due date has passed)."""
    return "qua_han" if due_on < as_of else "trong_han"
