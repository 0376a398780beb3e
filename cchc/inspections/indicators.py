"""Hàm tính chỉ tiêu kiểm tra CCHC. The catalogue still has these rows as entered; once its lines say
``computed: inspections.…`` the figures come from the inspection records."""

from __future__ import annotations

from cchc.indicators.registry import Span, register_computed
from cchc.inspections.selectors import figures


def _ids(units) -> list[int]:
    return [u.pk for u in units]


@register_computed("inspections.departments")
def departments(units, span: Span) -> int:
    return figures(_ids(units), span.start, span.end).departments


@register_computed("inspections.subordinate_units")
def subordinate_units(units, span: Span) -> int:
    return figures(_ids(units), span.start, span.end).subordinate_units


@register_computed("inspections.communes")
def communes(units, span: Span) -> int:
    return figures(_ids(units), span.start, span.end).communes


@register_computed("inspections.issues_found")
def issues_found(units, span: Span) -> int:
    return figures(_ids(units), span.start, span.end).found


@register_computed("inspections.issues_resolved")
def issues_resolved(units, span: Span) -> int:
    return figures(_ids(units), span.start, span.end).fixed
