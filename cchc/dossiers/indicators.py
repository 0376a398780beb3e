"""The dossier figures of the statistics appendix, registered as computed indicators.

Each function gets the units whose records count and a span of dates (see cchc.indicators.registry);
it splits the units by tier — dossiers received by a district (UBND cấp huyện and its sections) or by a
commune — and reads the same statistics as `cchc dossiers stats`, so a report and the stats page never
disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import yaml
from django.db.models import Count, Q

from cchc.dossiers.models import Channel, Dossier, OnlineForm, ReturnMethod
from cchc.dossiers.rules import RULES_FILE
from cchc.dossiers.stats import stats
from cchc.indicators.registry import Computed, Span, register_computed, shared
from cchc.org.models import Level, OrgUnit, OrgUnitParent

TIERS = {"district": Level.DISTRICT, "commune": Level.COMMUNE}
TOTAL_KEYS = (
    "received", "carried_over", "resolved", "resolved_early", "resolved_on_time", "resolved_late",
    "late_without_apology",
)
FIELD_KEYS = ("resolved", "resolved_early", "resolved_on_time")


@cache
def indicator_fields() -> dict[str, list[str]]:
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    return {name: [str(c) for c in codes] for name, codes in (data.get("indicator_fields") or {}).items()}


def _tier_units(units: list[Any], span: Span, level: str) -> list[int]:
    """The units of ``units`` that belong to a unit of ``level``: itself, or as a section of it.

    Called for every dossier indicator of every unit and period, so it reads only the parent links of
    the sections among ``units`` (one small query) instead of the whole org graph."""
    objects = {u.pk: u for u in units if isinstance(u, OrgUnit)}
    missing = [u for u in units if not isinstance(u, OrgUnit)]
    objects.update({u.pk: u for u in OrgUnit.objects.filter(pk__in=missing)})
    found = [uid for uid, unit in objects.items() if unit.level == level]
    sections = [unit for unit in objects.values() if unit.level == Level.SECTION]
    if sections:
        links = OrgUnitParent.objects.filter(unit__in=sections, valid_from__lte=span.end).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=span.start)
        ).select_related("parent")
        for link in links:
            # A section counts for the unit it belonged to; nested sections are rare enough to walk up.
            parent = link.parent
            while parent.level == Level.SECTION:
                up = OrgUnitParent.objects.filter(unit=parent).select_related("parent").order_by("-valid_from").first()
                if up is None:
                    break
                parent = up.parent
            if parent.level == level and link.unit_id not in found:
                found.append(link.unit_id)
    return found


def _from_stats(level: str, key: str, field_group: str | None = None) -> Callable[[list[Any], Span], Computed]:
    def compute(units: list[Any], span: Span) -> Computed:
        ids = shared(("dossiers.tier", level, tuple(_ids(units)), span.start, span.end),
                     lambda: _tier_units(units, span, level))
        if not ids:
            return Computed(0, {"units": 0})
        # One stats query serves the twenty-odd dossier indicators of the same units and dates.
        figures = shared(("dossiers.stats", tuple(sorted(ids)), span.start, span.end),
                         lambda: stats(ids, span.start, span.end))
        if field_group is None:
            return Computed(figures[key], {"units": len(ids), "from": str(span.start), "to": str(span.end)})
        codes = set(indicator_fields().get(field_group, []))
        value = sum(row[key] for row in figures["by_field"] if row["field"] in codes)
        return Computed(value, {"units": len(ids), "fields": sorted(codes)})

    return compute


for tier, level in TIERS.items():
    for key in TOTAL_KEYS:
        register_computed(f"dossiers.{tier}_{key}")(_from_stats(level, key))
    for group in ("land", "construction"):
        for key in FIELD_KEYS:
            register_computed(f"dossiers.{tier}_{group}_{key}")(_from_stats(level, key, group))


def _ids(units: list[Any]) -> list[int]:
    return [getattr(u, "pk", u) for u in units]


@register_computed("dossiers.postal_received")
def postal_received(units: list[Any], span: Span) -> int:
    """Hồ sơ tiếp nhận qua dịch vụ bưu chính công ích."""
    return Dossier.objects.filter(unit__in=_ids(units), channel=Channel.POST,
                                  received_on__range=(span.start, span.end)).count()


@register_computed("dossiers.postal_returned")
def postal_returned(units: list[Any], span: Span) -> int:
    """Hồ sơ trả kết quả qua dịch vụ bưu chính công ích."""
    return Dossier.objects.filter(unit__in=_ids(units), return_method=ReturnMethod.POST,
                                  returned_on__range=(span.start, span.end)).count()


@register_computed("dossiers.postal_procedures_received")
def postal_procedures_received(units: list[Any], span: Span) -> int:
    """Số TTHC thực tế có hồ sơ tiếp nhận qua BCCI."""
    return (Dossier.objects.filter(unit__in=_ids(units), channel=Channel.POST,
                                   received_on__range=(span.start, span.end))
            .aggregate(n=Count("procedure", distinct=True))["n"])


@register_computed("dossiers.postal_procedures_returned")
def postal_procedures_returned(units: list[Any], span: Span) -> int:
    """Số TTHC thực tế có hồ sơ trả kết quả qua BCCI."""
    return (Dossier.objects.filter(unit__in=_ids(units), return_method=ReturnMethod.POST,
                                   returned_on__range=(span.start, span.end))
            .aggregate(n=Count("procedure", distinct=True))["n"])


def _online(form: str, online_only: bool) -> Callable[[list[Any], Span], int]:
    def compute(units: list[Any], span: Span) -> int:
        qs = Dossier.objects.filter(unit__in=_ids(units), online_form=form, received_on__range=(span.start, span.end))
        return (qs.filter(channel=Channel.ONLINE) if online_only else qs).count()

    return compute


# Older reports say "mức độ 3" (≈ một phần) and "mức độ 4" (≈ toàn trình), NĐ 42/2022.
register_computed("dossiers.level3_dossiers")(_online(OnlineForm.PARTIAL, False))
register_computed("dossiers.level3_online_dossiers")(_online(OnlineForm.PARTIAL, True))
register_computed("dossiers.level4_dossiers")(_online(OnlineForm.FULL, False))
register_computed("dossiers.level4_online_dossiers")(_online(OnlineForm.FULL, True))
