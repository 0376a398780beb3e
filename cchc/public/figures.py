"""Số liệu trên trang công khai: kết quả giải quyết hồ sơ của một đơn vị và bảng điện tử tại Bộ phận Một cửa.

The results page reads its figures through the indicator store (``cchc.indicators.figures``), as the staff
statistics page and the CCHC report do, so the three never disagree and a figure the unit entered (it keeps
its dossiers in the provincial one-stop system) shows here too; a unit with no data shows "…", never 0. The
breakdowns by field and by channel have no indicator: they come from the dossier records
(``cchc.dossiers.stats``) and the page says so; the live board counts today's records. This module chooses
the units and the dates, and shapes the figures for the templates (bar widths, labels).
"""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from cchc.core.vnformat import format_date, percent
from cchc.dossiers.models import Dossier, Status
from cchc.dossiers.stats import stats, units_for
from cchc.indicators.figures import DossierFigures, combine, missing_mark
from cchc.indicators.figures import dossier_figures as store_figures
from cchc.indicators.models import Indicator
from cchc.indicators.periods import PeriodCodeError, spec_for
from cchc.indicators.selectors import current_indicators
from cchc.org.models import Level, OrgUnit
from cchc.org.selectors import OrgGraph, load_graph
from cchc.public.models import ServiceDesk
from cchc.public.privacy import initials
from cchc.workdays.calendar_engine import WEEKDAY_NAMES

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# The CCHC report periods (15/12 of the year before to 14/03, 14/06, 14/09, 14/12): with one of them chosen
# (and over) the page shows the figures of the unit's report for that period, entered ones included.
REPORT_PARTS = {
    "Q1": "Kỳ báo cáo quý I",
    "6T": "Kỳ báo cáo 6 tháng",
    "Q3": "Kỳ báo cáo quý III",
    "NAM": "Kỳ báo cáo năm",
}
# Sub-periods of a year on the chooser: "" is the whole year, then the calendar quarters and months of
# periods.yaml (codes 2026-QUY4, 2026-T11), then the report periods, whose dates spec_for() gives.
PARTS = (
    [("", "Cả năm")]
    + [(f"QUY{q}", f"Quý {ROMAN[q]}") for q in range(1, 5)]
    + [(f"T{m:02d}", f"Tháng {m}") for m in range(1, 13)]
    + list(REPORT_PARTS.items())
)
_PART = re.compile(r"^(QUY[1-4]|T(0[1-9]|1[0-2])|Q1|6T|Q3|NAM)?$")


class PeriodChoiceError(ValueError):
    """Kỳ xem số liệu không hợp lệ (shown on the page, the default period is shown instead)."""


# ---- the period -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PublicPeriod:
    year: int
    part: str  # "" (the year), "QUY1".."QUY4", "T01".."T12"
    start: date
    end: date  # clipped to today: the figures go up to the data date
    label: str
    to_date: bool  # the period is not over yet

    @property
    def months(self) -> list[tuple[date, date]]:
        """The calendar months of the period (for the month-by-month chart), the last one clipped."""
        out, day = [], self.start
        while day <= self.end:
            last = day.replace(day=_calendar.monthrange(day.year, day.month)[1])
            out.append((day, min(last, self.end)))
            day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return out


def choose_period(year: str | None, part: str | None, today: date, first_year: int) -> PublicPeriod:
    """The period of ``?nam=2026&ky=QUY4`` (calendar year, quarter or month); default: this year to date.

    Raises PeriodChoiceError with a Vietnamese message for a period that is not valid or not started."""
    if not year and not part:
        return _period(today.year, "", today)
    try:
        y = int(year or today.year)
    except ValueError as exc:
        raise PeriodChoiceError(f"Năm “{year}” không hợp lệ.") from exc
    part = (part or "").strip().upper()
    if not _PART.match(part):
        raise PeriodChoiceError(f"Kỳ “{part}” không hợp lệ: chọn cả năm, một quý hoặc một tháng.")
    if y < first_year or y > today.year:
        raise PeriodChoiceError(f"Chưa có số liệu năm {y}: chọn từ năm {first_year} đến năm {today.year}.")
    period = _period(y, part, today)
    if period.start > today:
        raise PeriodChoiceError(f"{period.label} chưa bắt đầu.")
    return period


def _period(year: int, part: str, today: date) -> PublicPeriod:
    if part:
        try:
            spec = spec_for(f"{year}-{part}")
        except PeriodCodeError as exc:  # the pattern above lets only valid codes through
            raise PeriodChoiceError(str(exc)) from exc
        start, end = spec.start, spec.end
        if part in REPORT_PARTS:
            label = f"{REPORT_PARTS[part]} năm {year} ({format_date(start)} – {format_date(end)})"
        elif part.startswith("QUY"):
            label = f"Quý {ROMAN[int(part[3:])]} năm {year}"
        else:
            label = f"Tháng {int(part[1:])} năm {year}"
    else:
        start, end, label = date(year, 1, 1), date(year, 12, 31), f"Năm {year}"
    return PublicPeriod(year, part, start, min(end, today), label, to_date=end > today)


# ---- the units ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UnitSet:
    ids: list[int]
    formed_from: list[OrgUnit] = field(default_factory=list)  # predecessors counted (period before the merger)


def units_of(unit: OrgUnit, start: date, end: date, graph: OrgGraph | None = None) -> UnitSet:
    """The units whose dossiers count for ``unit``'s public figures over start…end.

    ``units_for`` gives the unit, its sections and the predecessors whose records pass to it after a
    merger — what the reports count. A citizen asking Xã Sơn Giang (formed 1/7/2025) for 2025 or 2024
    expects the dossiers of the communes it was formed from as well: for the days before the unit
    existed, their ``units_for`` are added and the page names them."""
    ids = set(units_for(unit, start, end, True))
    formed_from: list[OrgUnit] = []
    if start < unit.valid_from:
        graph = graph or load_graph()
        for pid in sorted(graph.predecessors_ever(unit.pk)):
            predecessor = graph.units[pid]
            if predecessor.valid_from > end:
                continue
            formed_from.append(predecessor)
            ids.update(units_for(predecessor, start, min(end, predecessor.valid_to or end), True))
    return UnitSet(sorted(ids), sorted(formed_from, key=lambda u: u.name))


def first_year(unit: OrgUnit) -> int:
    """The first year the chooser offers: when the unit (or a unit it was formed from) began to count."""
    graph = load_graph()
    heads = [unit.pk, *graph.predecessors_ever(unit.pk)]
    ids: set[int] = set()
    for head in heads:
        ids |= graph.descendants_ever(head)
    found = Dossier.objects.filter(unit_id__in=ids).order_by("received_on").values_list("received_on", flat=True)
    first = found.first()
    return first.year if first else unit.valid_from.year


# ---- the published-progress indicator -----------------------------------------------------------------
def published_desk_units(graph: OrgGraph | None = None) -> set[int]:
    """Units whose dossiers citizens can follow online: a unit with a published desk and its sections
    (the one-stop section receives for the commune)."""
    desks = list(ServiceDesk.objects.filter(published=True).values_list("unit_id", flat=True))
    if not desks:
        return set()
    graph = graph or load_graph()
    out: set[int] = set()
    for unit_id in desks:
        out |= {u for u in graph.descendants_ever(unit_id) if u == unit_id or graph.units[u].level == Level.SECTION}
    return out


def published_progress(
    unit_ids: list[int], start: date, end: date, published_units: set[int] | None = None
) -> dict[str, Any]:
    """Hồ sơ được công khai tiến độ: received in start…end by ``unit_ids`` that the citizen can follow
    online — a lookup key was printed on the receipt and the unit's public pages are published."""
    published_units = published_desk_units() if published_units is None else published_units
    row = Dossier.objects.filter(unit_id__in=unit_ids, received_on__range=(start, end)).aggregate(
        received=Count("pk"),
        published=Count("pk", filter=~Q(lookup_key="") & Q(unit_id__in=sorted(published_units))),
    )
    return {
        "received": row["received"],
        "published": row["published"],
        "rate": percent(row["published"], row["received"]),
    }


# ---- the results page ---------------------------------------------------------------------------------
def _width(value: int | float | Decimal | None, scale: int | float | Decimal) -> str:
    """A CSS width in percent with a dot (never the locale's comma)."""
    if not value or not scale:
        return "0"
    return f"{float(value) * 100 / float(scale):.2f}"


def _share_bars(row: dict[str, Any]) -> list[dict[str, Any]]:
    """Early / on time / late of the resolved dossiers, as segments of one 100% bar."""
    total = row["resolved"]
    parts = [
        ("som", "Trước hạn", row["resolved_early"]),
        ("dung", "Đúng hạn", row["resolved_on_time"]),
        ("tre", "Quá hạn", row["resolved_late"]),
    ]
    return [
        {"key": k, "label": label, "count": n, "width": _width(n, total), "share": percent(n, total)}
        for k, label, n in parts
        if n
    ]


def windows(unit: OrgUnit, start: date, end: date, graph: OrgGraph) -> list[tuple[OrgUnit, date, date]]:
    """(unit, first, last) whose figures make up ``unit``'s over start…end: the unit for its own days and, for
    the days before it was formed, each commune it was formed from (a citizen asking Xã Sơn Giang for 2024)."""
    out = []
    if start < unit.valid_from:
        for pid in sorted(graph.predecessors_ever(unit.pk)):
            before = graph.units[pid]
            first = max(start, before.valid_from)
            last = min(end, before.valid_to or end, unit.valid_from - timedelta(days=1))
            if first <= last:
                out.append((before, first, last))
    if unit.valid_from <= end:
        out.append((unit, max(start, unit.valid_from), end))
    return out


def unit_figures(
    unit: OrgUnit, start: date, end: date, graph: OrgGraph, indicators: dict[str, Indicator] | None = None
) -> DossierFigures:
    """The unit's dossier figures over start…end through the indicator store (as its report), its
    predecessors' for the days before it was formed."""
    parts = [
        store_figures(u, a, b, lower=True, graph=graph, indicators=indicators)
        for u, a, b in windows(unit, start, end, graph)
    ]
    if len(parts) == 1 and (parts[0].start, parts[0].end) == (start, end):
        return parts[0]
    return combine(parts, unit, start, end)


def _shaped(figures: DossierFigures) -> dict[str, Any]:
    """The store's figures as the template reads them: numbers (None: no data), ``shown`` strings, the bar."""
    data = figures.as_dict()
    counts = {k: int(data[k] or 0) for k in ("resolved", "resolved_early", "resolved_on_time", "resolved_late")}
    data["bars"] = _share_bars(counts) if data["resolved"] else []
    return data


def results(unit: OrgUnit, period: PublicPeriod) -> dict[str, Any]:
    """Every figure of the results page of ``unit`` for ``period``: the totals and the months through the
    indicator store (what the unit's report prints, entered figures included; "…" where there is no data);
    the breakdowns by field and channel from the dossier records (no indicator: a records-only view)."""
    graph, indicators = load_graph(), current_indicators()  # one of each for the period and its months
    units = units_of(unit, period.start, period.end, graph)
    figures = _shaped(unit_figures(unit, period.start, period.end, graph, indicators))
    records = stats(units.ids, period.start, period.end)
    figures["by_field"], figures["by_channel"] = records["by_field"], records["by_channel"]
    widest = max([r["received"] for r in figures["by_field"]] + [r["resolved"] for r in figures["by_field"]] + [0])
    for rows in (figures["by_field"], figures["by_channel"]):
        scale = widest if rows is figures["by_field"] else records["received"]
        for r in rows:
            r["bars"] = _share_bars(r)
            r["received_width"] = _width(r["received"], scale)
            r["resolved_width"] = _width(r["resolved"], scale)
    months = []
    if len(period.months) > 1:
        for m_start, m_end in period.months:
            s = unit_figures(unit, m_start, m_end, graph, indicators)
            early, on_time = s.values["resolved_early"], s.values["resolved_on_time"]
            months.append(
                {
                    "month": m_start.month,
                    "year": m_start.year,
                    "received": s.values["received"],
                    "resolved": s.values["resolved"],
                    "on_time_rate": s.on_time_rate,
                    "on_time": None if early is None and on_time is None else (early or 0) + (on_time or 0),
                    "shown": s.shown(),
                }
            )
        top = max([m["received"] or 0 for m in months] + [m["resolved"] or 0 for m in months] + [0])
        for m in months:
            m["received_width"] = _width(m["received"], top)
            m["resolved_width"] = _width(m["resolved"], top)
            m["on_time_share"] = _width(m["on_time"], m["resolved"])
    progress = published_progress(units.ids, period.start, period.end, published_desk_units(graph))
    # A merged commune often keeps the name of one of the communes it was formed from.
    formed_from = [f"{u.name} (cũ)" if u.name == unit.name else u.name for u in units.formed_from]
    return {
        "s": figures,
        "months": months,
        "formed_from": formed_from,
        "progress": progress,
        "unit_count": len(units.ids),
        "missing_mark": missing_mark(),
    }


# ---- the live board -----------------------------------------------------------------------------------
BOARD_LIMIT = 60  # dossiers listed at most; the rest are counted ("và N hồ sơ khác")
BOARD_PAGE = 5  # rows that fit one screen (1920×1080 or 1366×768) at a size read from 5 m; the pages turn


def weekday_date(day: date) -> str:
    """ "Thứ Hai, 23/11/2026"."""
    name = WEEKDAY_NAMES[day.weekday()]
    return f"{name[0].upper()}{name[1:]}, {format_date(day)}"


def short_procedure(name: str, limit: int = 70) -> str:
    """A procedure's name short enough for one line of the board (the full name is in the catalogue)."""
    text = re.sub(r"^Thủ tục\s+", "", name.strip())
    text = text[:1].upper() + text[1:]
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:-–")
    return f"{cut}…"


def board(unit: OrgUnit, today: date) -> dict[str, Any]:
    """What the screen of the one-stop desk shows: results waiting to be collected, today's counts and the
    month's on-time rate. No personal detail but the applicant's initials leaves this function."""
    ids = units_for(unit, today, today, True)
    ready_qs = (
        Dossier.objects.filter(unit_id__in=ids, status=Status.RESULT_READY)
        .select_related("procedure")
        .order_by("-result_ready_on", "-pk")
    )
    total_ready = ready_qs.count()
    ready = [
        {
            "code": d.code,
            # The unit prefix is the same on every row: the number after it is what people look for.
            "prefix": d.code.partition("-")[0] + "-" if "-" in d.code else "",
            "number": d.code.partition("-")[2] or d.code,
            "initials": initials(d.applicant_name),
            "procedure": short_procedure(d.procedure.name),
            "ready_on": d.result_ready_on,
            "today": d.result_ready_on == today,
        }
        for d in ready_qs[:BOARD_LIMIT]
    ]
    pages = [ready[i : i + BOARD_PAGE] for i in range(0, len(ready), BOARD_PAGE)]
    today_figures = stats(ids, today, today)
    month_start = today.replace(day=1)
    month = stats(units_for(unit, month_start, today, True), month_start, today)
    return {
        "pages": pages,
        "ready_count": total_ready,
        "more": max(total_ready - len(ready), 0),
        "received_today": today_figures["received"],
        "online_today": today_figures["online"],
        "returned_today": today_figures["resolved"],
        "month": month,
        "month_label": f"Tháng {today.month}/{today.year}",
        "today": today,
        "today_text": weekday_date(today),
    }
