from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from cchc.accounts import scope
from cchc.core.registry import TodoItem
from cchc.news.selectors import current_month_shortfall
from cchc.org.models import OrgUnit


def news_items(user, unit) -> list[TodoItem]:
    pk = getattr(unit, "pk", None)
    if pk is None or not scope.can(user, scope.Action.VIEW, pk):
        return []
    today = timezone.localdate()
    month = current_month_shortfall(OrgUnit.objects.get(pk=pk), today)
    if month is None:
        return []
    return [
        TodoItem(
            title=f"Tin, bài tháng {month.month:02d}/{today.year} chưa đạt chỉ tiêu",
            detail=f"Mới đăng {month.count}/{month.quota} tin, bài; còn thiếu {month.missing}.",
            url=reverse("news:index"),
            severity="warning",
            count=month.missing,
        )
    ]
