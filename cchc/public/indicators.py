"""Chỉ tiêu "Tỷ lệ hồ sơ được công khai tiến độ giải quyết", registered as computed parts of a ratio.

The catalogue declares ``public.progress_published_rate`` from ``public.dossiers_published`` over
``public.dossiers_received``; both parts come from one query (``registry.shared``) over the units and
dates the indicator engine passes, the same function the results page shows.
"""

from __future__ import annotations

from typing import Any

from cchc.dossiers.models import Dossier
from cchc.indicators.registry import Computed, Span, first_record_days, kept_since, register_computed, shared
from cchc.public.figures import published_desk_units, published_progress

FUNCTIONS = ("public.dossiers_published", "public.dossiers_received")


def _ids(units: list[Any]) -> list[int]:
    return sorted(getattr(u, "pk", u) for u in units)


def _counts(units: list[Any], span: Span) -> dict[str, Any]:
    ids = _ids(units)
    desks = shared(("public.desk_units",), published_desk_units)
    return shared(
        ("public.progress", tuple(ids), span.start, span.end),
        lambda: published_progress(ids, span.start, span.end, desks),
    )


# Like every dossier figure: known from a unit's first dossier received in the product.
_keeps = kept_since(first_record_days(Dossier, "received_on"), "dossiers.received_on")


@register_computed("public.dossiers_published", keeps_records=_keeps)
def dossiers_published(units: list[Any], span: Span) -> Computed:
    """Hồ sơ tiếp nhận trong kỳ mà người dân tra cứu được tiến độ trên trang công khai."""
    counts = _counts(units, span)
    return Computed(counts["published"], {"hồ sơ công khai tiến độ": counts["published"], "units": len(units)})


@register_computed("public.dossiers_received", keeps_records=_keeps)
def dossiers_received(units: list[Any], span: Span) -> Computed:
    """Hồ sơ tiếp nhận trong kỳ (mẫu số của tỷ lệ công khai tiến độ)."""
    counts = _counts(units, span)
    return Computed(counts["received"], {"hồ sơ tiếp nhận": counts["received"], "units": len(units)})
