from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from cchc.accounts import scope
from cchc.core.registry import TodoItem
from cchc.core.vnformat import format_date
from cchc.feedback.selectors import due_soon_items, overdue_items

# An item whose deadline is at most this many working days away stands on the to-do list (QĐ 766 scores
# feedback handled on time: the last days are when it can still be saved).
NEAR_WORKING_DAYS = 2


def feedback_items(user, unit) -> list[TodoItem]:
    pk = getattr(unit, "pk", None)
    if pk is None or not scope.can(user, scope.Action.VIEW, pk):
        return []
    today = timezone.localdate()
    return [item for item in (_overdue(pk, today), _near(unit, today)) if item is not None]


def _overdue(pk: int, today: date) -> TodoItem | None:
    items = list(overdue_items([pk], today)[:50])
    if not items:
        return None
    first = items[0]
    return TodoItem(
        title="Phản ánh, kiến nghị quá hạn xử lý",
        detail=f"{len(items)} phản ánh chưa trả lời, chưa chuyển đã quá hạn; "
        f"sớm nhất hạn {format_date(first.deadline)} ({first.citizen_name}).",
        url=reverse("feedback:index") + "?tt=overdue",
        severity="danger",
        count=len(items),
    )


def near_limit(unit, today: date) -> date:
    """The last day still "near": today + NEAR_WORKING_DAYS working days on the unit's calendar."""
    from cchc.workdays.calendar_engine import CalendarRangeError
    from cchc.workdays.selectors import get_calendar_for_unit

    try:
        return get_calendar_for_unit(unit, today).add_working_days(today, NEAR_WORKING_DAYS)
    except CalendarRangeError:
        return today + timedelta(days=NEAR_WORKING_DAYS)


def _near(unit, today: date) -> TodoItem | None:
    items = list(due_soon_items([unit.pk], today, near_limit(unit, today))[:50])
    if not items:
        return None
    first = items[0]
    return TodoItem(
        title="Phản ánh, kiến nghị sắp đến hạn xử lý",
        detail=f"{len(items)} phản ánh còn không quá {NEAR_WORKING_DAYS} ngày làm việc; "
        f"gần nhất hạn {format_date(first.deadline)} ({first.citizen_name}, {first.get_handling_display().lower()}).",
        url=reverse("feedback:index") + "?tt=open",
        severity="warning",
        count=len(items),
    )
