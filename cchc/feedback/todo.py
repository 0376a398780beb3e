from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from cchc.accounts import scope
from cchc.core.registry import TodoItem
from cchc.core.vnformat import format_date
from cchc.feedback.selectors import overdue_items


def feedback_items(user, unit) -> list[TodoItem]:
    pk = getattr(unit, "pk", None)
    if pk is None or not scope.can(user, scope.Action.VIEW, pk):
        return []
    items = list(overdue_items([pk], timezone.localdate())[:50])
    if not items:
        return []
    first = items[0]
    return [
        TodoItem(
            title="Phản ánh, kiến nghị quá hạn xử lý",
            detail=f"{len(items)} phản ánh chưa trả lời, chưa chuyển đã quá hạn; "
            f"sớm nhất hạn {format_date(first.deadline)} ({first.citizen_name}).",
            url=reverse("feedback:index") + "?tt=overdue",
            severity="danger",
            count=len(items),
        )
    ]
