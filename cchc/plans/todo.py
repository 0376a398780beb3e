"""Việc cần làm trên trang chủ: overdue plan tasks and tasks due within 7 days."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from cchc.accounts import scope
from cchc.core.registry import TodoItem
from cchc.core.vnformat import format_date
from cchc.plans import selectors


def _ids(user, unit) -> list[int] | None:
    if unit is None or not scope.can(user, scope.Action.VIEW, unit):
        return []
    return [unit.pk]


def plan_items(user, unit) -> list[TodoItem]:
    ids = _ids(user, unit)
    if not ids:
        return []
    today = timezone.localdate()
    items: list[TodoItem] = []
    overdue = list(selectors.overdue_tasks(ids, today)[:50])
    if overdue:
        first = overdue[0]
        items.append(
            TodoItem(
                title="Nhiệm vụ kế hoạch CCHC quá hạn",
                detail=f"{len(overdue)} phần việc chưa hoàn thành đã quá thời hạn; "
                f"sớm nhất: {first.code}. {first.title} (hạn {format_date(first.deadline)}).",
                url=reverse("plans:overdue"),
                severity="danger",
                count=len(overdue),
            )
        )
    soon = list(selectors.due_soon_tasks(ids, today)[:50])
    if soon:
        first = soon[0]
        items.append(
            TodoItem(
                title=f"Nhiệm vụ đến hạn trong {selectors.DUE_SOON_DAYS} ngày",
                detail=f"{len(soon)} phần việc; gần nhất: {first.code}. {first.title} "
                f"(hạn {format_date(first.deadline)}).",
                url=reverse("plans:overdue"),
                severity="warning",
                count=len(soon),
            )
        )
    return items
