"""Trình bày Bộ chỉ số QĐ 766 cho người đọc: the periods a page offers, the figures as the page and its XLSX
print them (96,90%; 5,82; "chưa có số liệu", never 0), the bars, the 12-month trend, the ranking of an
area's units, and the drill-down of a component whose records are procedures or feedback items.

Built on the engine's selectors (``index_for``, ``index_for_units``, ``component_dossiers``); reads only.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import F, Q, QuerySet

from cchc.core.vnformat import format_number, format_percent
from cchc.core.xlsx import Column, Kind
from cchc.index766 import measures, selectors
from cchc.index766.evaluation import ComponentResult, IndexResult
from cchc.index766.formulas import formula_of, version_for
from cchc.index766.measures import RecordSource
from cchc.org.models import Level, OrgUnit
from cchc.org.selectors import load_graph

NO_DATA = "chưa có số liệu"
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_CODE = re.compile(r"^(?P<year>\d{4})-(?P<kind>T|QUY|6T|NAM)(?P<n>\d{0,2})$")


# ---- periods -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PagePeriod:
    """Một kỳ tính chỉ số (theo năm dương lịch, như Cổng DVC quốc gia): tháng, quý, 6 tháng, năm, or a day
    range (``code`` empty)."""

    code: str
    label: str
    start: date
    end: date


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_of(day: date) -> PagePeriod:
    return PagePeriod(
        f"{day.year}-T{day.month:02d}",
        f"Tháng {day.month}/{day.year}",
        day.replace(day=1),
        _month_end(day.year, day.month),
    )


def period_of(code: str) -> PagePeriod:
    """2026-T12 (tháng), 2026-QUY4 (quý), 2026-6T1 / 2026-6T2 (6 tháng đầu / cuối năm), 2026-NAM (năm).
    Raises ValueError with a Vietnamese message."""
    match = _CODE.match((code or "").strip().upper())
    if match and not 2000 <= int(match["year"]) <= 2100:
        match = None  # a typo such as 0202: said as an invalid period, never Python's "year 0 is out of range"
    n = int(match["n"]) if match and match["n"] else 0
    if match and match["kind"] == "T" and 1 <= n <= 12:
        return month_of(date(int(match["year"]), n, 1))
    if match:
        year, kind = int(match["year"]), match["kind"]
        if kind == "QUY" and 1 <= n <= 4:
            return PagePeriod(
                f"{year}-QUY{n}", f"Quý {_ROMAN[n]}/{year}", date(year, 3 * n - 2, 1), _month_end(year, 3 * n)
            )
        if kind == "6T" and n in (1, 2):
            label = f"6 tháng {'đầu' if n == 1 else 'cuối'} năm {year}"
            return PagePeriod(f"{year}-6T{n}", label, date(year, 6 * n - 5, 1), _month_end(year, 6 * n))
        if kind == "NAM" and not match["n"]:
            return PagePeriod(f"{year}-NAM", f"Năm {year}", date(year, 1, 1), date(year, 12, 31))
    raise ValueError(
        f"Kỳ “{code}” không hợp lệ: dùng 2026-T12 (tháng), 2026-QUY4 (quý), 2026-6T1, 2026-6T2 (6 tháng), "
        "2026-NAM (năm), hoặc chọn từ ngày, đến ngày."
    )


def day_range(start: date, end: date) -> PagePeriod:
    if end < start:
        raise ValueError("Ngày kết thúc trước ngày bắt đầu.")
    return PagePeriod("", f"Từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}", start, end)


def period_choices(today: date) -> list[PagePeriod]:
    """The periods a chooser offers: this year's and last year's, newest first."""
    found: list[PagePeriod] = []
    for year in (today.year, today.year - 1):
        months = range(12 if year < today.year else today.month, 0, -1)
        found += [month_of(date(year, m, 1)) for m in months]
        found += [period_of(f"{year}-QUY{q}") for q in range(4, 0, -1) if date(year, 3 * q - 2, 1) <= today]
        found += [period_of(f"{year}-6T{h}") for h in (2, 1) if date(year, 6 * h - 5, 1) <= today]
        found.append(period_of(f"{year}-NAM"))
    return found


# ---- figures as printed ----------------------------------------------------------------------------------
def points_text(value: Decimal | None) -> str:
    return NO_DATA if value is None else format_number(value, 2)


def ratio_text(value: Decimal | None) -> str:
    return NO_DATA if value is None else format_percent(value * 100, 2)


def bar_width(points: Decimal | None, maximum: Decimal) -> str:
    """The CSS width (a dot, never the locale's comma) of a bar of ``points`` out of ``maximum``."""
    if points is None or not maximum:
        return "0"
    share = min(Decimal(100), max(Decimal(0), points * 100 / maximum))
    return f"{share:.2f}"


# What a drill-down lists, by the component's source: (link label, noun of the pager, nothing found).
SOURCE_WORDS = {
    RecordSource.DOSSIERS: (
        "Xem hồ sơ mất điểm",
        "hồ sơ",
        "Không có hồ sơ nào bị tính thiếu điểm ở thành phần này.",
    ),
    RecordSource.PROCEDURES: (
        "Xem thủ tục mất điểm",
        "thủ tục",
        "Không có thủ tục nào bị tính thiếu điểm ở thành phần này.",
    ),
    RecordSource.FEEDBACK: (
        "Xem phản ánh mất điểm",
        "phản ánh",
        "Không có phản ánh nào bị tính thiếu điểm ở thành phần này.",
    ),
}


@dataclass(frozen=True)
class ComponentRow:
    component: ComponentResult
    group_name: str
    drill: bool  # the component counts records a user can open (its drill-down page)
    source: RecordSource | None = None

    @property
    def words(self) -> tuple[str, str, str]:
        return SOURCE_WORDS.get(self.source or "", SOURCE_WORDS[RecordSource.DOSSIERS])

    @property
    def ratio(self) -> str:
        return ratio_text(self.component.ratio)

    @property
    def points(self) -> str:
        return points_text(self.component.points)

    @property
    def maximum(self) -> str:
        return format_number(self.component.max_points)


def component_rows(result: IndexResult) -> list[ComponentRow]:
    """The table's rows; a component links to its drill-down when it has lost points on records."""
    rows: list[ComponentRow] = []
    sources = component_sources(result.end)
    for g in result.groups:
        for c in g.components:
            source = sources.get(c.code)
            lost = not c.no_data and c.numerator != c.denominator
            rows.append(ComponentRow(c, g.name, lost and source in SOURCE_WORDS, source))
    return rows


def group_bars(result: IndexResult) -> list[dict[str, Any]]:
    return [
        {
            "group": g,
            "points": points_text(g.points),
            "maximum": format_number(g.max_points),
            "width": bar_width(g.points, g.max_points),
        }
        for g in result.groups
    ]


def trend(unit: OrgUnit, last_day: date, *, actor: Any, today: date) -> list[dict[str, Any]]:
    """The total of each of the 12 months ending with the month of ``last_day`` (no later than today's)."""
    month = month_of(min(last_day, today)).start
    rows: list[dict[str, Any]] = []
    for _ in range(12):
        period = month_of(month)
        try:
            result = selectors.index_for(unit, period.start, period.end, actor=actor)
        except selectors.NoFormula:
            result = None
        total = None if result is None else result.total
        maximum = Decimal(100) if result is None else result.max_total
        rows.append(
            {
                "period": period,
                "total": points_text(total),
                "maximum": format_number(maximum),
                "width": bar_width(total, Decimal(100)),
                "result": result,
            }
        )
        month = (month - timedelta(days=1)).replace(day=1)
    return rows[::-1]


# ---- points at stake as lines (home panel, weekly summary) -----------------------------------------------
@dataclass(frozen=True)
class StakeLine:
    """One record at stake, as a line: what it is, where to open it, its deadline, what it would cost."""

    kind: str  # dossier | procedure | feedback
    what: str
    url: str
    due_on: date
    points_cost: Decimal

    @property
    def detail(self) -> str:
        return f"Hạn {self.due_on:%d/%m/%Y}; không kịp sẽ mất {format_number(self.points_cost, 2)} điểm"


def stake_lines(stake: selectors.AtStake, per_kind: int | None = None) -> list[StakeLine]:
    """The dossiers, then the procedures, then the feedback items at stake (each kind most costly first,
    at most ``per_kind`` of each)."""
    from django.urls import reverse

    procedures_url = reverse("dossiers:procedures")
    lines = [
        StakeLine(
            "dossier",
            f"Hồ sơ {s.dossier.code} — {s.dossier.procedure.name}",
            reverse("dossiers:detail", args=[s.dossier.pk]),
            s.due_on,
            s.points_cost,
        )
        for s in stake.dossiers[:per_kind]
    ]
    lines += [
        StakeLine(
            "procedure",
            f"Thủ tục {s.procedure.code} ({s.procedure.name}): {s.reason.lower()}",
            f"{procedures_url}?{urlencode({'q': s.procedure.code})}",
            s.due_on,
            s.points_cost,
        )
        for s in stake.procedures[:per_kind]
    ]
    lines += [
        StakeLine(
            "feedback",
            f"Phản ánh, kiến nghị #{s.item.pk}",
            reverse("feedback:edit", args=[s.item.pk]),
            s.due_on,
            s.points_cost,
        )
        for s in stake.feedback[:per_kind]
    ]
    return lines


# ---- the areas of a ranking ------------------------------------------------------------------------------
def ranking_units(area: OrgUnit, start: date, end: date) -> list[OrgUnit]:
    """Đơn vị được xếp hạng trong một tỉnh (hoặc huyện cũ): its direct children whose figures roll up into
    it over start…end, sections left out; an area with no such unit ranks itself."""
    children = load_graph().children_reporting_to(area.pk, start, end)
    units = [u for u in children if u.level != Level.SECTION]
    return units or [area]


def ranking_areas(visible: QuerySet[OrgUnit]) -> list[OrgUnit]:
    """The areas a ranking is offered for: provinces and former districts the user sees."""
    return list(visible.filter(level__in=[Level.PROVINCE, Level.DISTRICT]).order_by("valid_to", "level", "name"))


# ---- drill-down of procedures and feedback ---------------------------------------------------------------
def component_sources(end: date) -> dict[str, RecordSource]:
    """Component code → dossiers | procedures | feedback: what its denominator counts, in the version valid
    on ``end``."""
    version = version_for(end)
    if version is None:
        return {}
    found: dict[str, RecordSource] = {}
    for spec in formula_of(version).components:
        if measures.is_known(spec.denominator):
            source = measures.get(spec.denominator).source
            found[spec.code] = RecordSource.DOSSIERS if source == RecordSource.DERIVED else source
    return found


def component_source(code: str, end: date) -> RecordSource | None:
    return component_sources(end).get(code)


def lost_procedures(unit: OrgUnit, start: date, end: date, code: str) -> list[tuple[Any, str]]:
    """TTHC bị tính thiếu điểm ở một thành phần đếm thủ tục, each with the reason."""
    from cchc.dossiers.models import Procedure
    from cchc.index766.measures import procedure_facts

    graph = load_graph()
    spans = graph.subtree_spans(unit.pk, start, end)
    levels = selectors._levels(graph, spans, unit)
    # The engine's own rule for "announced / published on time" (selectors._timing on the province's
    # calendar), so the list names exactly the procedures the component counts against.
    timing = selectors._timing(selectors._calendar(graph, unit, end), start, end)
    wanted: dict[int, str] = {}
    for facts in procedure_facts().values():
        if facts.level not in levels or not measures._valid_during(facts, start, end):
            continue
        announced, published = timing(facts)
        reason = {
            "cong_bo_dung_han": "Quyết định công bố chậm" if announced is False else "",
            "cong_khai_dung_han": "Công khai chậm" if published is False else "",
            "cong_khai_du": "Công khai chưa đủ nội dung" if facts.published_complete is False else "",
            "du_lieu_dan_cu": "Chưa kết nối dữ liệu dân cư" if facts.population_data_linked is False else "",
            "thanh_toan_truc_tuyen": "Có phí nhưng chưa thanh toán trực tuyến"
            if facts.has_fee and not facts.online_payment
            else "",
        }.get(code, "")
        if reason:
            wanted[facts.pk] = reason
    procedures = Procedure.objects.filter(pk__in=list(wanted)).order_by("code")
    return [(p, wanted[p.pk]) for p in procedures]


def lost_feedback(unit: OrgUnit, start: date, end: date, code: str, as_of: date) -> QuerySet:
    """Phản ánh, kiến nghị bị tính thiếu điểm: handled late (or still unanswered past the deadline), or
    answered with "not satisfied"."""
    from cchc.feedback.models import FeedbackItem

    spans = load_graph().subtree_spans(unit.pk, start, end)
    area = Q(pk__in=[])
    for uid, stretches in spans.items():
        for first, last in stretches:
            area |= Q(unit_id=uid) & (
                Q(answered_on__gte=first, answered_on__lte=min(last, as_of))
                | Q(answered_on__isnull=True, forwarded_on__isnull=True, deadline__gte=first, deadline__lte=last)
            )
    items = FeedbackItem.objects.filter(area).select_related("unit")
    if code == "phan_anh_dung_han":
        late = Q(answered_on__gt=F("deadline")) | Q(answered_on__isnull=True, deadline__lt=as_of)
        return items.filter(late).order_by("deadline", "pk")
    if code == "hai_long_phan_anh":
        return items.filter(satisfied=False, answered_on__lte=as_of).order_by("deadline", "pk")
    return items.none()


# ---- XLSX tables --------------------------------------------------------------------------------------------
UNIT_COLUMNS: Sequence[Column] = (
    Column("Nhóm", width=30),
    Column("Thành phần", width=60),
    Column("Tử số", Kind.INTEGER, 10),
    Column("Mẫu số", Kind.INTEGER, 10),
    Column("Tỷ lệ", Kind.PERCENT, 10),
    Column("Điểm", Kind.DECIMAL, 10),
    Column("Tối đa", Kind.DECIMAL, 10),
    Column("Ghi chú", width=40),
)


def unit_table(result: IndexResult) -> list[list[Any]]:
    """The unit page's table as XLSX rows: each group, then its components; no data is an empty cell with
    "chưa có số liệu" in the note, never 0; the total last."""
    rows: list[list[Any]] = []
    for g in result.groups:
        rows.append([g.name, "", None, None, None, g.points, g.max_points, "" if g.points is not None else NO_DATA])
        for c in g.components:
            ratio = None if c.ratio is None else c.ratio * 100
            note = NO_DATA if c.no_data else ""
            rows.append([g.name, c.name, c.numerator, c.denominator, ratio, c.points, c.max_points, note])
    rows.append(["Tổng điểm", "", None, None, None, result.total, result.max_total, ""])
    return rows


def ranking_columns(groups: Sequence[Any]) -> list[Column]:
    return [
        Column("Hạng", Kind.INTEGER, 8),
        Column("Mã đơn vị", width=18),
        Column("Đơn vị", width=36),
        Column("Tổng điểm", Kind.DECIMAL, 12),
        *[Column(g.name, Kind.DECIMAL, 14) for g in groups],
    ]


def ranking_table(ranked: list[tuple[int | None, IndexResult]]) -> list[list[Any]]:
    return [[rank, r.unit.code, r.unit.name, r.total, *[g.points for g in r.groups]] for rank, r in ranked]
