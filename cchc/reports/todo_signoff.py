"""Home-page item of the sign-off for the officer: a report the leader approved waits to be sent upward."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cchc.accounts import scope
from cchc.core.registry import TodoItem
from cchc.reports.models import Report, Status


def approved_items(user: Any, unit: Any) -> list[TodoItem]:
    """ "Đã ký duyệt, chờ gửi cấp trên" for the officers of the unit (the leader returns are listed by
    ``cchc.documents.todo``)."""
    if not getattr(user, "is_authenticated", False):
        return []
    waiting = scope.scoped(Report.objects.filter(status=Status.APPROVED), user, scope.Action.EDIT)
    return [
        TodoItem(
            title=f"{report} đã được lãnh đạo ký duyệt: gửi cấp trên",
            url=reverse("reports:detail", args=[report.pk]),
            severity="warning",
            detail="Báo cáo đã có số; bấm “Gửi cấp trên” trên trang báo cáo.",
        )
        for report in waiting.select_related("unit", "period").order_by("due_date")[:10]
    ]
