"""Reads of news items: lists, monthly counts against the unit's quota. Always scoped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractMonth

from cchc.accounts import scope
from cchc.core.text import filter_folded
from cchc.news.models import NewsItem, NewsQuota

WARN_FROM_DAY = 20  # from the 20th a month still below quota is flagged


def items_for(
    user,
    *,
    unit=None,
    year: int | None = None,
    month: int | None = None,
    channel: str = "",
    kind: str = "",
    q: str = "",
) -> QuerySet[NewsItem]:
    qs = scope.scoped(NewsItem.objects.select_related("unit"), user, scope.Action.VIEW)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if year:
        qs = qs.filter(published_on__year=year)
    if month:
        qs = qs.filter(published_on__month=month)
    if channel:
        qs = qs.filter(channel=channel)
    if kind:
        qs = qs.filter(kind=kind)
    qs = filter_folded(qs, q, ("title",))  # without diacritics too
    return qs


def get_item(user, item_id: int, action: scope.Action = scope.Action.VIEW) -> NewsItem:
    return scope.access(NewsItem.objects.select_related("unit"), user, action, pk=item_id)


def quota_for(unit, year: int) -> int | None:
    quota = NewsQuota.objects.filter(unit=unit, year=year).first()
    return quota.per_month if quota is not None and quota.per_month else None


@dataclass(frozen=True)
class MonthCount:
    month: int
    count: int
    quota: int | None
    short: bool  # below quota, and the month is over or past its 20th day

    @property
    def missing(self) -> int:
        return max((self.quota or 0) - self.count, 0)


def monthly_counts(unit, year: int, today: date) -> list[MonthCount]:
    """Số tin, bài từng tháng của năm so với chỉ tiêu; months not yet begun are left out."""
    rows = dict(
        NewsItem.objects.filter(unit=unit, published_on__year=year)
        .annotate(m=ExtractMonth("published_on"))
        .order_by()
        .values_list("m")
        .annotate(n=Count("pk"))
    )
    quota = quota_for(unit, year)
    months = []
    for month in range(1, 13):
        if (year, month) > (today.year, today.month):
            break
        count = rows.get(month, 0)
        judged = (year, month) < (today.year, today.month) or today.day >= WARN_FROM_DAY
        months.append(MonthCount(month, count, quota, bool(quota and count < quota and judged)))
    return months


def current_month_shortfall(unit, today: date) -> MonthCount | None:
    """This month's count when it is below quota from the 20th on (the home-page warning)."""
    if today.day < WARN_FROM_DAY:
        return None
    month = monthly_counts(unit, today.year, today)[-1]
    return month if month.short else None
