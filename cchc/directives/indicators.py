"""Hàm tính chỉ tiêu từ sổ văn bản chỉ đạo, điều hành CCHC: documents issued in the span, per type."""

from __future__ import annotations

from cchc.directives.selectors import count_issued
from cchc.indicators.registry import Computed, Span, register_computed


@register_computed("documents.directives_issued")
@register_computed("directives.issued")
def directives_issued(units, span: Span) -> Computed:
    """Số văn bản chỉ đạo CCHC đã ban hành (ngày ban hành trong kỳ); the provenance lists the count per type."""
    total, per_type = count_issued([u.pk for u in units], span.start, span.end)
    return Computed(total, per_type)
