"""Hàm tính chỉ tiêu từ sổ văn bản chỉ đạo, điều hành CCHC: documents issued in the span, per type."""

from __future__ import annotations

from cchc.directives.models import DirectiveDocument
from cchc.directives.selectors import count_issued
from cchc.indicators.registry import Computed, Span, first_record_days, kept_since, register_computed

# A unit keeps its directive documents in the product from the first one it registered.
_keeps = kept_since(first_record_days(DirectiveDocument, "issued_on"), "directives.issued_on")


@register_computed("documents.directives_issued", keeps_records=_keeps)
@register_computed("directives.issued", keeps_records=_keeps)
def directives_issued(units, span: Span) -> Computed:
    """Số văn bản chỉ đạo CCHC đã ban hành (ngày ban hành trong kỳ); the provenance lists the count per type."""
    total, per_type = count_issued([u.pk for u in units], span.start, span.end)
    return Computed(total, per_type)
