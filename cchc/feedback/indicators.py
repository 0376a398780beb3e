"""Hàm tính chỉ tiêu phản ánh, kiến nghị về quy định hành chính (received in the span, judged at its end)."""

from __future__ import annotations

from cchc.feedback.models import FeedbackItem
from cchc.feedback.selectors import figures
from cchc.indicators.registry import Computed, Span, first_record_days, kept_since, register_computed

# A unit keeps its feedback register in the product from the first item it received.
_keeps = kept_since(first_record_days(FeedbackItem, "received_on"), "feedback.received_on")


def _figures(units, span: Span):
    return figures([u.pk for u in units], span.start, span.end)


@register_computed("feedback.received", keeps_records=_keeps)
def received(units, span: Span) -> Computed:
    f = _figures(units, span)
    return Computed(f.received, {"tất cả phản ánh (kể cả không về quy định hành chính)": f.all_received})


@register_computed("feedback.resolved", keeps_records=_keeps)
def resolved(units, span: Span) -> int:
    return _figures(units, span).resolved


@register_computed("feedback.forwarded", keeps_records=_keeps)
def forwarded(units, span: Span) -> int:
    return _figures(units, span).forwarded


@register_computed("feedback.overdue", keeps_records=_keeps)
def overdue(units, span: Span) -> int:
    return _figures(units, span).overdue
