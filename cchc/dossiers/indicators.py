"""The dossier figures of the statistics appendix, registered as computed indicators.

Each function gets the units whose records count and a span of dates (see cchc.indicators.registry);
it splits the units by tier — dossiers received by a district (UBND cấp huyện and its sections) or by a
commune — and reads the same statistics as `cchc dossiers stats`, so a report and the stats page never
disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

import yaml
from django.db.models import Count, OuterRef, Q, Subquery

from cchc.core.loading import read_at_start
from cchc.dossiers.models import Channel, Dossier, OnlineForm, ReturnMethod
from cchc.dossiers.rules import RULES_FILE
from cchc.dossiers.stats import grouped_rows, names_of, stats, stats_of_grouped
from cchc.indicators.registry import (
    Computed,
    Span,
    kept_since,
    owner_of,
    peek,
    register_computed,
    register_prefetch,
    shared,
)
from cchc.org.models import Level, OrgUnit

TIERS = {"district": Level.DISTRICT, "commune": Level.COMMUNE}
TOTAL_KEYS = (
    "received",
    "carried_over",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "late_without_apology",
    "pending_within_deadline",  # QĐ 766: counted with the on-time dossiers in the received-based rate
    # The rest of the statistics page and the public results page (catalogue version 5), read through the store:
    "online",
    "pending",
    "pending_overdue",
    "apologies",
    "closed_other",
)
FIELD_KEYS = ("resolved", "resolved_early", "resolved_on_time")


@read_at_start
@cache
def indicator_fields() -> dict[str, list[str]]:
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    return {name: [str(c) for c in codes] for name, codes in (data.get("indicator_fields") or {}).items()}


def _tier_units(units: list[Any], span: Span, level: str) -> list[int]:
    """The units of ``units`` that belong to a unit of ``level``: itself, or as a section of it.

    The engine passes the units whose records count (own: the unit and its sections; area: its subtree);
    which tier a section belongs to is read from the engine's org graph (``registry.owner_of``)."""
    return [getattr(u, "pk", u) for u in units if owner_of(u, span.end).level == level]


def _first_days() -> dict[int, Any]:
    """Each unit's first day of receipt: from then on it keeps its dossiers in the product.

    One probe of the (unit, received_on) index per unit, not a GROUP BY over every dossier: 0,3 s on two
    million dossiers for the GROUP BY, a few milliseconds for the probes (a few hundred units)."""
    first = Dossier.objects.filter(unit_id=OuterRef("pk")).order_by("received_on").values("received_on")[:1]
    rows = OrgUnit.objects.order_by().annotate(first=Subquery(first)).values_list("pk", "first")
    return {pk: day for pk, day in rows if day is not None}


_keeps_dossiers = kept_since(_first_days, "dossiers.received_on")


def _keeps_tier(level: str) -> Callable[[list[Any], Span], bool]:
    """A tier's figures exist when a unit of that tier among ``units`` keeps dossiers by the span's end."""

    def keeps(units: list[Any], span: Span) -> bool:
        ids = shared(
            ("dossiers.tier", level, tuple(_ids(units)), span.start, span.end), lambda: _tier_units(units, span, level)
        )
        return bool(ids) and _keeps_dossiers(ids, span)

    return keeps


def _from_stats(level: str, key: str, field_group: str | None = None) -> Callable[[list[Any], Span], Computed]:
    def compute(units: list[Any], span: Span) -> Computed:
        ids = shared(
            ("dossiers.tier", level, tuple(_ids(units)), span.start, span.end), lambda: _tier_units(units, span, level)
        )
        if not ids:
            return Computed(0, {"units": 0})
        # One stats query serves the twenty-odd dossier indicators of the same units and dates.
        figures = _stats(ids, span, by_field=field_group is not None)
        if field_group is None:
            return Computed(figures[key], {"units": len(ids), "from": str(span.start), "to": str(span.end)})
        codes = set(indicator_fields().get(field_group, []))
        value = sum(row[key] for row in figures["by_field"] if row["field"] in codes)
        return Computed(value, {"units": len(ids), "fields": sorted(codes)})

    return compute


_PREFETCHED = "dossiers.grouped"


def _stats(ids: list[int], span: Span, *, by_field: bool) -> dict[str, Any]:
    """The statistics of ``ids``, once per reading: from the rows a prefetch left for these days when it covers
    them (a province's table by commune: one query; the totals alone unless ``by_field`` is asked for), else
    their own query (totals and breakdowns at once)."""
    key = (tuple(sorted(ids)), span.start, span.end)
    pre = peek((_PREFETCHED, span.start, span.end))
    if pre is not None and pre[0].issuperset(ids):
        return shared(
            ("dossiers.stats", *key, by_field),
            lambda: stats_of_grouped(pre[1], ids, pre[2], totals_only=not by_field),
        )
    return shared(("dossiers.stats", *key), lambda: stats(ids, span.start, span.end))


def records_stats(inputs: dict, units: list[int], start: date, end: date) -> dict[str, Any]:
    """``stats(units, start, end)`` from the rows a reading's prefetch left in ``inputs`` when they cover
    these units and days (the statistics page's tables by field and by channel: no second query over the
    province's summary rows), else by its own query."""
    pre = inputs.get((_PREFETCHED, start, end))
    ids = {int(u) for u in units}
    if pre is not None and pre[0].issuperset(ids):
        return stats_of_grouped(pre[1], sorted(ids), pre[2])
    return stats(sorted(ids), start, end)


@register_prefetch
def _prefetch_stats(unit_ids: list[int], span: Span) -> None:
    """Every unit's summary rows for the period's days in one query, for :func:`_stats` to slice."""
    if len(unit_ids) > 1:

        def rows() -> tuple[frozenset[int], dict, Any]:
            by_unit = grouped_rows(unit_ids, span.start, span.end)
            return frozenset(unit_ids), by_unit, names_of([k for rows in by_unit.values() for k in rows])

        shared((_PREFETCHED, span.start, span.end), rows)


for tier, level in TIERS.items():
    for key in TOTAL_KEYS:
        register_computed(f"dossiers.{tier}_{key}", keeps_records=_keeps_tier(level))(_from_stats(level, key))
    for group in ("land", "construction"):
        for key in FIELD_KEYS:
            register_computed(f"dossiers.{tier}_{group}_{key}", keeps_records=_keeps_tier(level))(
                _from_stats(level, key, group)
            )


def _ids(units: list[Any]) -> list[int]:
    return [getattr(u, "pk", u) for u in units]


def _channels(units: list[Any], span: Span) -> dict[str, int]:
    """Postal and online figures of the dossiers received in the span, in ONE pass over them (shared by the
    eight indicators below within a reading): on a million dossiers one scan instead of eight."""
    post, online = Q(channel=Channel.POST), Q(channel=Channel.ONLINE)
    partial, full = Q(online_form=OnlineForm.PARTIAL), Q(online_form=OnlineForm.FULL)

    def received() -> dict[str, int]:
        return Dossier.objects.filter(unit__in=_ids(units), received_on__range=(span.start, span.end)).aggregate(
            postal_received=Count("pk", filter=post),
            postal_procedures_received=Count("procedure", distinct=True, filter=post),
            level3=Count("pk", filter=partial),
            level3_online=Count("pk", filter=partial & online),
            level4=Count("pk", filter=full),
            level4_online=Count("pk", filter=full & online),
        )

    def returned() -> dict[str, int]:
        qs = Dossier.objects.filter(
            unit__in=_ids(units), return_method=ReturnMethod.POST, returned_on__range=(span.start, span.end)
        )
        return qs.aggregate(postal_returned=Count("pk"), postal_procedures_returned=Count("procedure", distinct=True))

    key = (tuple(_ids(units)), span.start, span.end)
    return {**shared(("dossiers.channels", *key), received), **shared(("dossiers.returned_post", *key), returned)}


def _channel_figure(key: str, doc: str) -> Callable[[list[Any], Span], int]:
    def compute(units: list[Any], span: Span) -> int:
        return _channels(units, span)[key]

    compute.__doc__ = doc
    compute.__qualname__ = f"channel_figure_{key}"
    return compute


# Older reports say "mức độ 3" (≈ một phần) and "mức độ 4" (≈ toàn trình), NĐ 42/2022.
for _code, _key, _doc in (
    ("dossiers.postal_received", "postal_received", "Hồ sơ tiếp nhận qua dịch vụ bưu chính công ích."),
    ("dossiers.postal_returned", "postal_returned", "Hồ sơ trả kết quả qua dịch vụ bưu chính công ích."),
    ("dossiers.postal_procedures_received", "postal_procedures_received", "Số TTHC có hồ sơ tiếp nhận qua BCCI."),
    ("dossiers.postal_procedures_returned", "postal_procedures_returned", "Số TTHC có hồ sơ trả kết quả qua BCCI."),
    ("dossiers.level3_dossiers", "level3", "Hồ sơ của TTHC trực tuyến một phần (mức độ 3)."),
    ("dossiers.level3_online_dossiers", "level3_online", "Hồ sơ mức độ 3 nộp trực tuyến."),
    ("dossiers.level4_dossiers", "level4", "Hồ sơ của TTHC trực tuyến toàn trình (mức độ 4)."),
    ("dossiers.level4_online_dossiers", "level4_online", "Hồ sơ mức độ 4 nộp trực tuyến."),
):
    register_computed(_code, keeps_records=_keeps_dossiers)(_channel_figure(_key, _doc))
