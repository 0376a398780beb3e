"""Đọc lịch làm việc. The one entry point other apps use:

    from cchc.workdays.selectors import get_calendar
    cal = get_calendar(province=None)          # toàn quốc; or an OrgUnit of level "tinh" / its id
    due = cal.add_working_days(received_on, procedure.days)
    dues = cal.add_working_days_many(received_array, days_array)   # numpy datetime64[D], for imports

``get_calendar_for_unit(unit, day)`` finds the province a unit belonged to on ``day``. Arithmetic,
inclusivity and the range policy are documented in ``cchc.workdays.calendar_engine``.

Caching: each process keeps the engines it built, tagged with the ``CalendarVersion`` number they were
built from. Every call reads that one row (a primary-key lookup) and rebuilds when the number moved, so
an override saved on one app server is seen by the others on their next call. Bulk code should call
``get_calendar`` once and reuse the engine.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from django.utils import timezone

from cchc.org.models import Level, OrgUnit
from cchc.workdays.calendar_engine import CalendarRangeError, DayInfo, WorkCalendar
from cchc.workdays.models import CalendarVersion, Notice, NoticeDay, Override
from cchc.workdays.rules import CalendarDay, DaySource, law_days, load_law

__all__ = [
    "CalendarRangeError",
    "DayInfo",
    "WorkCalendar",
    "add_working_days",
    "current_version",
    "days_off",
    "get_calendar",
    "get_calendar_for_unit",
    "is_working_day",
    "working_days_between",
]

_lock = threading.Lock()
_engines: dict[tuple[int | None, int], WorkCalendar] = {}
_engines_version: tuple[int, str] | None = None


def current_version() -> tuple[int, str]:
    """The calendar version (number, token) in the database; (0, "") before anything was loaded."""
    return CalendarVersion.objects.filter(pk=1).values_list("version", "token").first() or (0, "")


def year_range(notice_years: list[int], today: date | None = None) -> tuple[int, int]:
    """First and last year the engine covers: from law.yaml's first_year to the last notice year or this
    year (whichever is later) plus ``years_ahead`` (estimated)."""
    law = load_law()
    this_year = (today or timezone.localdate()).year
    return law.first_year, max([this_year, *notice_years]) + law.years_ahead


def _province_id(province: OrgUnit | int | None) -> int | None:
    if province is None:
        return None
    return province if isinstance(province, int) else province.pk


def _build(province_id: int | None, version: tuple[int, str]) -> WorkCalendar:
    law = load_law()
    notices: dict[int, list[CalendarDay]] = {}
    years = list(Notice.objects.values_list("year", flat=True))
    for nd in NoticeDay.objects.select_related("notice").order_by("day"):
        notices.setdefault(nd.notice.year, []).append(CalendarDay(nd.day, nd.kind, nd.name, nd.basis, DaySource.NOTICE))
    for year in years:
        notices.setdefault(year, [])
    first, last = year_range(years)
    law_by_year = {y: law_days(y, law) for y in range(first, last + 1) if y not in notices}
    rows = Override.objects.filter(province__isnull=True)
    if province_id is not None:
        rows = Override.objects.filter(province__isnull=True) | Override.objects.filter(province_id=province_id)
    # National rows first, the province's own last, so the province's choice wins on the same day.
    ordered = sorted(rows, key=lambda o: (o.province_id is not None, o.day))
    overrides = [CalendarDay(o.day, o.kind, o.name, o.note, DaySource.OVERRIDE) for o in ordered]
    label = "toàn quốc"
    if province_id is not None:
        label = OrgUnit.objects.filter(pk=province_id).values_list("name", flat=True).first() or label
    return WorkCalendar(first, last, law.weekly_rest, law_by_year, notices, overrides, version=version[0], label=label)


def get_calendar(province: OrgUnit | int | None = None) -> WorkCalendar:
    """Lịch làm việc toàn quốc, or of one province (national overrides plus that province's own)."""
    global _engines_version
    version = current_version()
    key = (_province_id(province), timezone.localdate().year)
    with _lock:
        if version != _engines_version:
            _engines.clear()
            _engines_version = version
        engine = _engines.get(key)
    if engine is None:
        engine = _build(key[0], version)
        with _lock:
            if _engines_version == version:
                _engines[key] = engine
    return engine


def clear_cache() -> None:
    """Forget every engine of this process (tests; the version check makes it unnecessary otherwise)."""
    global _engines_version
    with _lock:
        _engines.clear()
        _engines_version = None


def province_of(unit: OrgUnit | None, day: date | None = None) -> OrgUnit | None:
    """The province (cấp tỉnh) ``unit`` belonged to on ``day``; None when it has none."""
    if unit is None:
        return None
    from cchc.org.selectors import ancestor_at_level

    return ancestor_at_level(unit, Level.PROVINCE, day or timezone.localdate())


def get_calendar_for_unit(unit: OrgUnit | None, day: date | None = None) -> WorkCalendar:
    """The calendar that applies to ``unit``: its province's, or the national one."""
    return get_calendar(province_of(unit, day))


# Thin module-level shortcuts on the national calendar (scripts, the shell, simple callers).
def is_working_day(day: date, province: Any = None) -> bool:
    return get_calendar(province).is_working_day(day)


def add_working_days(day: date, n: int, province: Any = None) -> date:
    return get_calendar(province).add_working_days(day, n)


def working_days_between(a: date, b: date, province: Any = None) -> int:
    return get_calendar(province).working_days_between(a, b)


def days_off(year: int, province: Any = None) -> list[CalendarDay]:
    return get_calendar(province).days_off(year)


def overrides_list(province: OrgUnit | None = None, year: int | None = None):
    qs = Override.objects.select_related("province", "created_by")
    if year:
        qs = qs.filter(day__year=year)
    return qs.order_by("-day")


def province_choices():
    """Provinces an override may target (current and former ones)."""
    return OrgUnit.objects.filter(level=Level.PROVINCE).order_by("name")
