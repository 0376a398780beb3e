"""Chỉ tiêu tính từ phiếu đánh giá, theo mã hàm trong ``cchc/data/indicators/catalogue.yaml``.

``surveys.ballots`` (Số lượng phiếu khảo sát) and ``surveys.satisfied`` (Số phiếu hài lòng); the
catalogue derives the satisfaction rate as their ratio.
"""

from __future__ import annotations

from cchc.indicators.registry import Computed, Span, first_record_days, kept_since, register_computed
from cchc.surveys.models import Rating
from cchc.surveys.selectors import ratings_in

# A unit keeps its ratings in the product from the first one given at its desks.
_keeps = kept_since(first_record_days(Rating, "rated_on"), "surveys.rated_on")


@register_computed("surveys.ballots", keeps_records=_keeps)
def ballots(units: list, span: Span) -> Computed:
    qs = ratings_in(units, span.start, span.end)
    return Computed(
        qs.count(),
        {
            "bảng": "surveys_rating",
            "đơn vị": [u.code for u in units],
            "từ": span.start.isoformat(),
            "đến": span.end.isoformat(),
        },
    )


@register_computed("surveys.satisfied", keeps_records=_keeps)
def satisfied(units: list, span: Span) -> Computed:
    qs = ratings_in(units, span.start, span.end).filter(satisfied=True)
    return Computed(
        qs.count(),
        {
            "bảng": "surveys_rating",
            "điều kiện": "hài lòng hoặc rất hài lòng ở câu hỏi chung",
            "đơn vị": [u.code for u in units],
            "từ": span.start.isoformat(),
            "đến": span.end.isoformat(),
        },
    )
