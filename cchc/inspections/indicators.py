"""Hàm tính chỉ tiêu kiểm tra CCHC, from the inspection records of the inspecting unit (counts: own)."""

from __future__ import annotations

from cchc.indicators.registry import Span, first_record_days, kept_since, register_computed
from cchc.inspections.models import Inspection
from cchc.inspections.selectors import figures

# A unit keeps its inspections in the product from the first one it started; before that, unknown.
_keeps = kept_since(first_record_days(Inspection, "start_on"), "inspections.start_on")


def _ids(units) -> list[int]:
    return [u.pk for u in units]


@register_computed("inspections.departments", keeps_records=_keeps)
def departments(units, span: Span) -> int:
    return figures(_ids(units), span.start, span.end).departments


@register_computed("inspections.subordinate_units", keeps_records=_keeps)
def subordinate_units(units, span: Span) -> int:
    return figures(_ids(units), span.start, span.end).subordinate_units


@register_computed("inspections.communes", keeps_records=_keeps)
def communes(units, span: Span) -> int:
    return figures(_ids(units), span.start, span.end).communes


@register_computed("inspections.issues_found", keeps_records=_keeps)
def issues_found(units, span: Span) -> int:
    return figures(_ids(units), span.start, span.end).found


@register_computed("inspections.issues_resolved", keeps_records=_keeps)
def issues_resolved(units, span: Span) -> int:
    return figures(_ids(units), span.start, span.end).fixed
