"""Quy tắc luật định: the Labour Code holidays of a year, computed from ``cchc/data/workdays/law.yaml``.

Pure functions, no database. Used for years without an official notice (the result is "dự kiến") and
to check a notice when it is loaded (every holiday the law names must be in it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from lunar_vn import LunarDate, lunar_to_solar, solar_to_lunar

from cchc.core.loading import read_at_start

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "workdays"
LAW_FILE = DATA_DIR / "law.yaml"
NOTICES_FILE = DATA_DIR / "notices.yaml"

OFF, WORK = "off", "work"


class DaySource(StrEnum):
    """Vì sao một ngày như vậy: the law's rules (a year without a notice: "dự kiến"), the yearly notice, a
    local override; for an ordinary day (``DayInfo``), its weekday or the weekly rest."""

    LAW = "law"
    NOTICE = "notice"
    OVERRIDE = "override"
    WEEKDAY = "weekday"
    WEEKEND = "weekend"


@dataclass(frozen=True)
class CalendarDay:
    """Một ngày đặc biệt của lịch: ngày nghỉ (``off``) hoặc ngày làm việc bù (``work``)."""

    day: date
    kind: str
    name: str
    basis: str = ""
    source: DaySource | str = ""


@dataclass(frozen=True)
class LawRules:
    first_year: int
    years_ahead: int
    weekly_rest: frozenset[int]
    holidays: tuple[dict[str, Any], ...]
    compensation_suffix: str
    compensation_basis: str


@read_at_start
@cache
def load_law(path: Path = LAW_FILE) -> LawRules:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    comp = doc.get("compensation") or {}
    return LawRules(
        first_year=int(doc["first_year"]),
        years_ahead=int(doc.get("years_ahead", 1)),
        weekly_rest=frozenset(int(x) for x in doc["weekly_rest"]),
        holidays=tuple(doc["holidays"]),
        compensation_suffix=comp.get("name_suffix", " (nghỉ bù)"),
        compensation_basis=comp.get("basis", ""),
    )


def _md(text: str) -> tuple[int, int]:
    month, day = (int(x) for x in str(text).split("-"))
    return month, day


def lunar_new_year(year: int) -> date:
    """Mùng 1 Tết of the lunar year that starts in solar ``year`` (Vietnamese calendar, UTC+7)."""
    return lunar_to_solar(LunarDate(1, 1, year), time_zone=7.0)


def lunar_label(day: date) -> str:
    """ "mùng 1 tháng Giêng", "29 tháng Chạp": the lunar date as people say it."""
    lunar = solar_to_lunar(day, time_zone=7.0)
    month = {1: "Giêng", 12: "Chạp"}.get(lunar.month, str(lunar.month))
    prefix = "mùng " if lunar.day <= 10 else ""
    return f"{prefix}{lunar.day} tháng {month}{' nhuận' if lunar.leap else ''}"


def _applies(rule: dict[str, Any], year: int) -> bool:
    return int(rule.get("since", 0)) <= year <= int(rule.get("until", 9999))


def anchor_days(year: int, rules: LawRules | None = None) -> list[CalendarDay]:
    """The holidays the law itself names for ``year`` (before any compensation or weekend shift).

    These are what a yearly notice must contain: 1/1, mùng 1 Tết, 10/3 âm lịch, 30/4, 1/5, 2/9…
    """
    rules = rules or load_law()
    out: list[CalendarDay] = []
    for rule in rules.holidays:
        if not _applies(rule, year):
            continue
        basis = rule.get("basis", "")
        if "solar" in rule:
            m, d = _md(rule["solar"])
            out.append(CalendarDay(date(year, m, d), OFF, rule["name"], basis, DaySource.LAW))
        elif "lunar" in rule:
            m, d = _md(rule["lunar"])
            day = lunar_to_solar(LunarDate(d, m, year), time_zone=7.0)
            out.append(CalendarDay(day, OFF, rule["name"], basis, DaySource.LAW))
        elif "lunar_new_year_offsets" in rule:
            out.append(CalendarDay(lunar_new_year(year), OFF, rule["name"], basis, DaySource.LAW))
    return out


def law_days(year: int, rules: LawRules | None = None) -> list[CalendarDay]:
    """Every day off the Labour Code gives in ``year``, with compensation days (Điều 111).

    Tết days on a Saturday move to the working day before, on a Sunday to the working day after; any other
    holiday on a weekly rest day is compensated on the next working day that is not itself a holiday.
    Days that fall on a weekly rest day are kept in the list (for display) with their own name.
    """
    rules = rules or load_law()
    rest = rules.weekly_rest
    days: dict[date, CalendarDay] = {}  # the first entry of a day wins
    to_compensate: list[CalendarDay] = []
    tet_shift: list[tuple[CalendarDay, str]] = []
    for rule in rules.holidays:
        if not _applies(rule, year):
            continue
        if "lunar_new_year_offsets" in rule:
            entries, shifted, compensated = _tet_days(rule, year, rest)
            for entry in entries:
                days.setdefault(entry.day, entry)
            tet_shift += shifted
            to_compensate += compensated
            continue
        entry = CalendarDay(_rule_day(rule, year), OFF, rule["name"], rule.get("basis", ""), DaySource.LAW)
        days.setdefault(entry.day, entry)
        if "adjacent_to" not in rule and entry.day.weekday() in rest:
            to_compensate.append(entry)
    _add_moved_days(days, rules, tet_shift, to_compensate)
    return sorted(days.values(), key=lambda e: e.day)


def _tet_days(
    rule: dict[str, Any], year: int, rest: frozenset[int]
) -> tuple[list[CalendarDay], list[tuple[CalendarDay, str]], list[CalendarDay]]:
    """The Tết days of ``rule``; those on a Saturday or Sunday the rule shifts (with the direction); those
    on another weekly rest day, to compensate."""
    basis, name = rule.get("basis", ""), rule["name"]
    first = lunar_new_year(year)
    shift = rule.get("weekend_shift") or {}
    entries, shifted, compensated = [], [], []
    for offset in rule["lunar_new_year_offsets"]:
        d = first + timedelta(days=int(offset))
        entry = CalendarDay(d, OFF, f"{name} ({lunar_label(d)})", basis, DaySource.LAW)
        entries.append(entry)
        if d.weekday() == 5 and shift.get("saturday"):
            shifted.append((entry, shift["saturday"]))
        elif d.weekday() == 6 and shift.get("sunday"):
            shifted.append((entry, shift["sunday"]))
        elif d.weekday() in rest:
            compensated.append(entry)
    return entries, shifted, compensated


def _rule_day(rule: dict[str, Any], year: int) -> date:
    """The day of a one-day holiday: next to a fixed day by its weekday (``adjacent_to``), solar or lunar."""
    if "adjacent_to" in rule:
        m, d = _md(rule["adjacent_to"])
        base = date(year, m, d)
        return base + timedelta(days=int(rule["by_weekday"][base.weekday()]))
    if "solar" in rule:
        m, d = _md(rule["solar"])
        return date(year, m, d)
    m, d = _md(rule["lunar"])
    return lunar_to_solar(LunarDate(d, m, year), time_zone=7.0)


def _add_moved_days(
    days: dict[date, CalendarDay],
    rules: LawRules,
    tet_shift: list[tuple[CalendarDay, str]],
    to_compensate: list[CalendarDay],
) -> None:
    """Add to ``days`` the Tết days shifted off a weekend, then the compensation days."""
    rest = rules.weekly_rest

    def free(d: date) -> bool:
        return d.weekday() not in rest and d not in days

    # Tết shifts first: they are part of choosing the 5 days, compensation comes after.
    for entry, direction in tet_shift:
        step = -1 if direction == "previous" else 1
        d = entry.day + timedelta(days=step)
        while not free(d):
            d += timedelta(days=step)
        days.setdefault(
            d, CalendarDay(d, OFF, f"{entry.name.split(' (')[0]} ({lunar_label(d)})", entry.basis, DaySource.LAW)
        )
    for entry in sorted(to_compensate, key=lambda e: e.day):
        d = entry.day + timedelta(days=1)
        while not free(d):
            d += timedelta(days=1)
        days.setdefault(
            d, CalendarDay(d, OFF, entry.name + rules.compensation_suffix, rules.compensation_basis, DaySource.LAW)
        )
