"""Số liệu hồ sơ của một đơn vị trong một khoảng ngày bất kỳ, đọc qua kho chỉ tiêu (issue 12: one read path).

The staff statistics page and the public results page read here, never ``cchc.dossiers.stats`` directly, so
that they print exactly what the unit's report prints: a figure the unit ENTERED (a district that handles its
dossiers in the provincial one-stop system and typed 2.517) shows on both pages, and a unit with no data shows
the missing mark ("…"), never 0.

What a unit's dossier figures are — the same lines as its report, by tier (``dossiers.<tier>.<key>``):

- a commune: the commune tier (``dossiers.commune.*``, the commune and its sections);
- a district: its own district tier (``dossiers.district.*``, the district and its sections); with the units
  below (``lower``) also the commune tier of its area (the communes that hung under it in the period);
- a province (no tier of its own in the catalogue): with the units below, the district tier of each district
  reporting to it in the period and the commune tier of its area; alone, nothing (missing).

Any range of days reads through :func:`period_of_days`: the stored period of exactly those days (a report
period such as 2026-6T, a calendar month or quarter: its entered figures apply, its computed ones are cached),
else an unsaved period (computed from the records, not cached; entries belong to periods, so none applies).
The breakdowns by field and by channel have no indicator: they are records-only views
(``cchc.dossiers.stats``), labelled so on the pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from cchc.core.vnformat import format_date, format_number, format_percent, percent
from cchc.indicators.models import Indicator, Period, ValueSource
from cchc.indicators.selectors import ValueContext, ValueWithProvenance
from cchc.org.models import Level, OrgUnit
from cchc.org.selectors import OrgGraph

# Flows over the days, then stocks: carried over (at the start), pending (at the end).
FLOWS = (
    "received",
    "online",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "apologies",
    "late_without_apology",
    "closed_other",
)
AT_START = ("carried_over",)
AT_END = ("pending", "pending_within_deadline", "pending_overdue")
KEYS = FLOWS + AT_START + AT_END
TIERS = {Level.DISTRICT: "district", Level.COMMUNE: "commune"}


def missing_mark() -> str:
    from django.conf import settings

    return getattr(settings, "CCHC_MISSING_MARK", "…") or "…"


def period_of_days(start: date, end: date) -> Period:
    """Kỳ của một khoảng ngày: the stored period of exactly these days, else an unsaved one (never written)."""
    found = Period.objects.filter(start=start, end=end).order_by("code").first()
    if found is not None:
        return found
    return Period(
        code=f"{start:%Y%m%d}-{end:%Y%m%d}",
        kind="khoang_ngay",
        name=f"Từ {format_date(start)} đến {format_date(end)}",
        year=end.year,
        start=start,
        end=end,
    )


@dataclass
class DossierFigures:
    """Số liệu hồ sơ của một đơn vị: each key's value (None: no data), with the store's values behind it."""

    unit: OrgUnit
    start: date
    end: date
    values: dict[str, Decimal | None]
    behind: dict[str, list[ValueWithProvenance]] = field(default_factory=dict)
    period_code: str = ""  # the stored period read ("" for a range that is no period)

    def __getitem__(self, key: str) -> Decimal | None:
        return self.on_time_rate if key == "on_time_rate" else self.values[key]

    @property
    def on_time_rate(self) -> Decimal | None:
        """(trước hạn + đúng hạn) ÷ đã giải quyết — the appendix's rate, a ratio of the same sums."""
        early, on_time, resolved = (self.values[k] for k in ("resolved_early", "resolved_on_time", "resolved"))
        if resolved is None or (early is None and on_time is None):
            return None
        return percent((early or 0) + (on_time or 0), resolved)

    @property
    def entered(self) -> bool:
        """Whether a figure shown was entered (typed, imported) rather than computed from the records."""
        return any(v.source == ValueSource.ENTERED for vs in self.behind.values() for v in vs)

    def shown(self) -> dict[str, str]:
        """Every figure as printed: 2.517, 96,58%, or the missing mark."""
        out = {k: missing_mark() if v is None else format_number(v) for k, v in self.values.items()}
        rate = self.on_time_rate
        out["on_time_rate"] = missing_mark() if rate is None else format_percent(rate)
        return out

    def as_dict(self) -> dict[str, Any]:
        """Plain numbers (None when missing) for JSON and templates, with ``shown`` and ``missing``."""
        out: dict[str, Any] = {k: None if v is None else int(v) if v == v.to_integral_value() else float(v)
                               for k, v in self.values.items()}  # fmt: skip
        rate = self.on_time_rate
        out["on_time_rate"] = None if rate is None else float(rate)
        out["shown"] = self.shown()
        out["missing"] = [k for k in KEYS if self.values[k] is None]
        out["entered"] = self.entered
        return out


def tier_lines(context: ValueContext, unit: OrgUnit, lower: bool) -> list[tuple[str, int]]:
    """(tier, unit id) whose dossier lines make up ``unit``'s figures (see the module docstring)."""
    if unit.level == Level.COMMUNE:
        return [("commune", unit.pk)]
    if unit.level == Level.DISTRICT:
        return [("district", unit.pk)] + ([("commune", unit.pk)] if lower else [])
    if not lower or unit.level == Level.SECTION:
        return []
    districts = [c for c in context.children(unit.pk) if c.level == Level.DISTRICT]
    return [("district", d.pk) for d in districts] + [("commune", unit.pk)]


def read(context: ValueContext, unit: OrgUnit, lower: bool) -> DossierFigures:
    """The unit's figures in the context's period: each key the sum of its tier lines that have a figure."""
    lines = tier_lines(context, unit, lower)
    values: dict[str, Decimal | None] = {}
    behind: dict[str, list[ValueWithProvenance]] = {}
    for key in KEYS:
        found = [context.value(uid, f"dossiers.{tier}.{key}") for tier, uid in lines]
        known = [v for v in found if v.value is not None]
        values[key] = sum((v.value for v in known), Decimal(0)) if known else None
        behind[key] = found
    period = context.period
    return DossierFigures(unit, period.start, period.end, values, behind, period.code if period.pk else "")


def dossier_figures(
    unit: OrgUnit,
    start: date,
    end: date,
    *,
    lower: bool = False,
    graph: OrgGraph | None = None,
    indicators: dict[str, Indicator] | None = None,
) -> DossierFigures:
    """Số liệu hồ sơ của ``unit`` từ ``start`` đến ``end`` (both included), read through the store.

    ``graph``, ``indicators``: the org graph and the catalogue, when a page reads many ranges (the months)."""
    context = ValueContext(period_of_days(start, end), graph, indicators)
    figures = read(context, unit, lower)
    context.flush()
    return figures


def overview(
    unit: OrgUnit, start: date, end: date, *, lower: bool, inputs: dict | None = None
) -> tuple[DossierFigures, list[DossierFigures]]:
    """The unit's figures (with the units below when ``lower``) and the table "Theo đơn vị" of the
    statistics page — the unit's own line, then each unit reporting to it in the period with its area —
    in one store reading. ``inputs``: a dict that keeps the reading's shared inputs (what the apps'
    prefetchers read, ``registry.shared``) for the page's other tables of the same records."""
    context = ValueContext(period_of_days(start, end), inputs=inputs)
    if lower:  # a table of every unit below: their figures in a few queries (ValueContext.prefetch)
        context.prefetch(context.graph.subtree_spans(unit.pk, start, end))
    total = read(context, unit, lower)
    rows = [read(context, unit, False)]
    if lower:
        children = [c for c in context.children(unit.pk) if c.level != Level.SECTION]
        rows += [read(context, child, True) for child in sorted(children, key=lambda c: c.code)]
    context.flush()
    return total, rows


def combine(parts: list[DossierFigures], unit: OrgUnit, start: date, end: date) -> DossierFigures:
    """Figures of consecutive stretches of days as one: flows add up, the carried-over stock is that of the
    stretches starting at ``start``, the pending stocks those of the stretches ending at ``end`` (a merged
    commune's year: its predecessors' days, then its own)."""
    values: dict[str, Decimal | None] = {}
    for key in KEYS:
        if key in AT_START:
            chosen = [p for p in parts if p.start == start]
        elif key in AT_END:
            chosen = [p for p in parts if p.end == end]
        else:
            chosen = parts
        known = [p.values[key] for p in chosen if p.values[key] is not None]
        values[key] = sum(known, Decimal(0)) if known else None
    behind = {k: [v for p in parts for v in p.behind.get(k, [])] for k in KEYS}
    return DossierFigures(unit, start, end, values, behind)
