"""Kỳ số liệu: mã kỳ → ngày bắt đầu, ngày kết thúc, hạn báo cáo, theo tệp ``periods.yaml``.

Codes: ``2021-Q1``, ``2021-6T``, ``2021-Q3``, ``2021-NAM`` (official CCHC report periods, cut off on the
14th/15th), ``2021-T01``…``2021-T12`` (calendar months) and ``2021-QUY1``…``2021-QUY4`` (calendar
quarters). The rows of every period from ``FIRST_YEAR`` to ``YEARS_AHEAD`` years after the current one
are created at ``migrate`` (``create_periods``) and by ``cchc indicators periods``; an administrator
may then correct a row's dates, and reads use the row, not the rules. Reading never creates a row:
``get_period`` of a year without rows (far in the past or the future) returns an *unsaved* period built
from the rules — its figures are computed but not cached, and nothing can be entered for it until its
rows exist (``ensure_period``, used by writes).
"""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from cchc.core.loading import read_at_start
from cchc.indicators.models import Period

PERIODS_FILE = Path(__file__).resolve().parent.parent / "data" / "indicators" / "periods.yaml"

_CODE = re.compile(r"^(?P<year>\d{4})-(?P<suffix>[0-9A-Z]+)$")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodCodeError(ValueError):
    """Mã kỳ không hợp lệ."""


@dataclass(frozen=True)
class PeriodSpec:
    code: str
    kind: str
    name: str
    year: int
    start: date
    end: date
    due_date: date | None


@read_at_start
@lru_cache(maxsize=4)
def _rules(path: str = str(PERIODS_FILE)) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _digits(text: str) -> bool:
    """0-9 only: str.isdigit() also takes "²", which int() refuses (a period code typed in an address)."""
    return text.isascii() and text.isdigit()


def _mark(year: int, mark: dict) -> date:
    return date(year + int(mark.get("year_offset", 0)), int(mark["month"]), int(mark["day"]))


def report_suffixes() -> list[str]:
    return [r["suffix"] for r in _rules()["report_periods"]]


def spec_for(code: str) -> PeriodSpec:
    """Ngày của kỳ ``code`` theo quy tắc trong tệp (không đọc cơ sở dữ liệu)."""
    match = _CODE.match(code.strip().upper())
    if not match:
        raise PeriodCodeError(
            f"Mã kỳ “{code}” không hợp lệ. Dùng dạng 2021-Q1, 2021-6T, 2021-Q3, 2021-NAM, 2021-T01 hoặc 2021-QUY1."
        )
    year, suffix = int(match["year"]), match["suffix"]
    code = f"{year}-{suffix}"
    rules = _rules()
    for rule in rules["report_periods"]:
        if rule["suffix"] == suffix:
            return PeriodSpec(
                code,
                rule["kind"],
                rule["name"].format(year=year),
                year,
                _mark(year, rule["start"]),
                _mark(year, rule["end"]),
                _mark(year, rule["due"]) if rule.get("due") else None,
            )
    month_rule, quarter_rule = rules["calendar"]["month"], rules["calendar"]["quarter"]
    if suffix.startswith(quarter_rule["prefix"]) and _digits(suffix[len(quarter_rule["prefix"]) :]):
        q = int(suffix[len(quarter_rule["prefix"]) :])
        if 1 <= q <= 4:
            last_month = q * 3
            return PeriodSpec(
                code,
                quarter_rule["kind"],
                quarter_rule["name"].format(year=year, roman=_ROMAN[q], quarter=q),
                year,
                date(year, last_month - 2, 1),
                date(year, last_month, _calendar.monthrange(year, last_month)[1]),
                None,
            )
    if suffix.startswith(month_rule["prefix"]) and _digits(suffix[len(month_rule["prefix"]) :]):
        m = int(suffix[len(month_rule["prefix"]) :])
        if 1 <= m <= 12:
            return PeriodSpec(
                code,
                month_rule["kind"],
                month_rule["name"].format(year=year, month=m),
                year,
                date(year, m, 1),
                date(year, m, _calendar.monthrange(year, m)[1]),
                None,
            )
    raise PeriodCodeError(f"Mã kỳ “{code}” không hợp lệ: không có kỳ “{suffix}”.")


def codes_for_year(year: int) -> list[str]:
    rules = _rules()
    month_prefix = rules["calendar"]["month"]["prefix"]
    quarter_prefix = rules["calendar"]["quarter"]["prefix"]
    return (
        [f"{year}-{s}" for s in report_suffixes()]
        + [f"{year}-{quarter_prefix}{q}" for q in range(1, 5)]
        + [f"{year}-{month_prefix}{m:02d}" for m in range(1, 13)]
    )


FIRST_YEAR = 2015  # CCHC reports in the product's data start after the 2011–2020 master programme began
YEARS_AHEAD = 2


def _defaults(spec: PeriodSpec) -> dict:
    return {
        "kind": spec.kind,
        "name": spec.name,
        "year": spec.year,
        "start": spec.start,
        "end": spec.end,
        "due_date": spec.due_date,
    }


def get_period(code: str) -> Period:
    """Kỳ ``code`` for reading: its row (possibly corrected by an administrator), else an unsaved period
    built from the rules (a year whose rows were never created). Never writes."""
    normalized = code.strip().upper()
    existing = Period.objects.filter(code=normalized).first()
    if existing is not None:
        return existing
    spec = spec_for(normalized)
    return Period(code=spec.code, **_defaults(spec))


def ensure_period(code: str | Period) -> Period:
    """Kỳ ``code`` for writing (entering a figure): its row, created from the rules when missing."""
    if isinstance(code, Period) and code.pk is not None:
        return code
    spec = spec_for(code.code if isinstance(code, Period) else code)
    period, _ = Period.objects.get_or_create(code=spec.code, defaults=_defaults(spec))
    return period


def create_periods(first_year: int | None = None, last_year: int | None = None) -> int:
    """Create the missing rows of every period of the years first…last (default: FIRST_YEAR to
    YEARS_AHEAD years after today). Existing rows — corrected dates included — are left as they are.
    Returns the number of rows created."""
    from django.utils import timezone

    first_year = first_year or FIRST_YEAR
    last_year = last_year or timezone.localdate().year + YEARS_AHEAD
    have = set(Period.objects.filter(year__gte=first_year, year__lte=last_year).values_list("code", flat=True))
    new = [
        Period(code=spec.code, **_defaults(spec))
        for year in range(first_year, last_year + 1)
        for spec in map(spec_for, codes_for_year(year))
        if spec.code not in have
    ]
    Period.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def family(period: Period) -> str:
    """report (Q1, 6T, Q3, NAM), month or quarter: which periods an analysis over a range walks."""
    suffix = period.code.split("-", 1)[-1]
    if suffix in report_suffixes():
        return "report"
    return (
        _rules()["calendar"]["quarter"]["kind"]
        if suffix.startswith(_rules()["calendar"]["quarter"]["prefix"])
        else _rules()["calendar"]["month"]["kind"]
    )


def periods_between(first: Period, last: Period, families: set[str] | None = None) -> list[Period]:
    """Every period lying within first.start…last.end (of the given families: report, month, quarter)."""
    if last.end < first.start:
        raise PeriodCodeError(f"Kỳ cuối {last.code} kết thúc trước khi kỳ đầu {first.code} bắt đầu.")
    found: dict[str, Period] = {}
    for year in range(first.start.year, last.end.year + 2):
        for code in codes_for_year(year):
            spec = spec_for(code)
            if spec.start >= first.start and spec.end <= last.end:
                found[code] = get_period(code)
    for period in Period.objects.filter(start__gte=first.start, end__lte=last.end):
        found.setdefault(period.code, period)
    chosen = [p for p in found.values() if families is None or family(p) in families]
    return sorted(chosen, key=lambda p: (p.start, p.end, p.code))


def periods_containing(day: date) -> list[Period]:
    """The materialised periods containing ``day`` (a period never asked for has nothing cached)."""
    return list(Period.objects.filter(start__lte=day, end__gte=day))
