"""Home-page items of the periodic reports: a report due soon or late, and reports waiting for review.

A late or missing report costs index points (see the references); the reminder starts ten days before the
due date of the report period that contains today or has just ended.
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cchc.accounts import scope
from cchc.core.registry import TodoItem
from cchc.core.vnformat import format_date
from cchc.indicators.periods import get_period, report_suffixes
from cchc.org.models import Level
from cchc.reports.models import Report, Status

REMIND_DAYS = 10


def today():
    return timezone.localdate()


def _due_periods(day):
    """Report periods (of this year and the last) whose due date is within the reminder window or past,
    but not more than a quarter past: older ones are the reviewer's business, not a daily reminder."""
    for year in (day.year - 1, day.year, day.year + 1):
        for suffix in report_suffixes():
            period = get_period(f"{year}-{suffix}")
            due = period.due_date
            if due and due - timedelta(days=REMIND_DAYS) <= day <= due + timedelta(days=90):
                yield period


def report_items(user, unit) -> list[TodoItem]:
    if unit is None or unit.level == Level.SECTION or not scope.can(user, scope.Action.EDIT, unit):
        items: list[TodoItem] = []
    else:
        day = today()
        items = []
        for period in _due_periods(day):
            if not unit.is_valid_on(period.end):
                continue
            sent = Report.objects.filter(unit=unit, period=period, status__in=[Status.SUBMITTED, Status.ACCEPTED])
            if sent.exists():
                continue
            late = day > period.due_date
            name = period.name[:1].lower() + period.name[1:]
            if Report.objects.filter(unit=unit, period=period, status=Status.RETURNED).exists():
                # Sent, then returned by the level above: the unit must correct it, it did not fail to send.
                items.append(
                    TodoItem(
                        title=f"Báo cáo CCHC {name} bị cấp trên trả lại",
                        detail=f"Sửa theo ý kiến của cấp trên rồi gửi lại (hạn gửi {format_date(period.due_date)}).",
                        url=reverse("reports:index") + f"?ky={period.code}",
                        severity="danger",
                    )
                )
                continue
            items.append(
                TodoItem(
                    title=f"Báo cáo CCHC {name} {'đã quá hạn gửi' if late else 'sắp đến hạn gửi'}",
                    detail=(
                        f"Hạn gửi {format_date(period.due_date)}. Báo cáo gửi muộn hoặc thiếu bị trừ điểm Chỉ số CCHC."
                    ),
                    url=reverse("reports:index") + f"?ky={period.code}",
                    severity="danger" if late else "warning",
                )
            )
    if user.is_reviewer:
        waiting = scope.scoped(Report.objects.filter(status=Status.SUBMITTED), user, scope.Action.REVIEW)
        count = waiting.exclude(unit=unit).count() if unit is not None else waiting.count()
        if count:
            items.append(
                TodoItem(
                    title="Báo cáo của đơn vị cấp dưới chờ tiếp nhận",
                    url=reverse("reports:inbox"),
                    severity="info",
                    count=count,
                )
            )
    return items
