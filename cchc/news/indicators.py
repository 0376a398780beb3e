"""Hàm tính chỉ tiêu tuyên truyền CCHC từ tin, bài đã đăng (ngày đăng trong kỳ). The catalogue still has
these rows as entered; they become computed once its lines name these codes."""

from __future__ import annotations

from cchc.indicators.registry import Computed, Span, first_record_days, kept_since, register_computed
from cchc.news.models import Channel, NewsItem, NewsKind

# A unit keeps its news in the product from its first post on; before that its figures are unknown.
_keeps = kept_since(first_record_days(NewsItem, "published_on"), "news.published_on")


def _items(units, span: Span):
    return NewsItem.objects.filter(unit__in=units, published_on__range=(span.start, span.end))


@register_computed("news.unit_site_posts", keeps_records=_keeps)
def unit_site_posts(units, span: Span) -> int:
    """Tin, bài đăng tại chuyên mục CCHC trên trang thông tin điện tử của đơn vị."""
    return _items(units, span).filter(channel=Channel.UNIT_SITE).count()


@register_computed("news.province_site_posts", keeps_records=_keeps)
def province_site_posts(units, span: Span) -> int:
    """Tin, bài gửi và được duyệt đăng tại chuyên trang CCHC của tỉnh."""
    return _items(units, span).filter(channel=Channel.PROVINCE_SITE).count()


@register_computed("news.media_posts", keeps_records=_keeps)
def media_posts(units, span: Span) -> Computed:
    """Tuyên truyền qua mọi phương tiện (báo, đài, website, Zalo…): every item, with tin/bài split out."""
    qs = _items(units, span)
    news = qs.filter(kind=NewsKind.NEWS).count()
    total = qs.count()
    return Computed(total, {"tin": news, "bài, phóng sự": total - news})
