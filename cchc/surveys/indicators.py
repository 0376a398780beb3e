"""Chỉ tiêu tính từ phiếu đánh giá, theo mã hàm trong ``cchc/data/indicators/catalogue.yaml``.

``surveys.ballots`` (Số lượng phiếu khảo sát) and ``surveys.satisfied`` (Số phiếu hài lòng); the
catalogue derives the satisfaction rate as their ratio.
"""

from __future__ import annotations

from cchc.indicators.registry import Computed, Span, register_computed
from cchc.surveys.selectors import ratings_in


@register_computed("surveys.ballots")
def ballots(units: list, span: Span) -> Computed:
    qs = ratings_in(units, span.start, span.end)
    return Computed(qs.count(), {"bảng": "surveys_rating", "đơn vị": [u.code for u in units],
                                 "từ": span.start.isoformat(), "đến": span.end.isoformat()})


@register_computed("surveys.satisfied")
def satisfied(units: list, span: Span) -> Computed:
    qs = ratings_in(units, span.start, span.end).filter(satisfied=True)
    return Computed(qs.count(), {"bảng": "surveys_rating", "điều kiện": "hài lòng hoặc rất hài lòng ở câu hỏi chung",
                                 "đơn vị": [u.code for u in units],
                                 "từ": span.start.isoformat(), "đến": span.end.isoformat()})
