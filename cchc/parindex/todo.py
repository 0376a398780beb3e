"""Cảnh báo sớm trên trang chủ: criteria the unit is on course to lose this year, from live figures."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cchc.core.registry import TodoItem
from cchc.core.vnformat import format_number

MAX_ITEMS = 6


def early_warning_items(user: Any, unit: Any) -> list[TodoItem]:
    from cchc.accounts import scope
    from cchc.parindex.selectors import early_warnings

    if unit is None or not scope.can(user, scope.Action.VIEW, unit):
        return []
    _framework, warnings = early_warnings(unit)
    if not warnings:
        return []
    url = reverse("parindex:warnings") + f"?don-vi={unit.code}"
    items = []
    for w in sorted(warnings, key=lambda w: w.losing, reverse=True)[:MAX_ITEMS]:
        items.append(
            TodoItem(
                title=f"Chỉ số CCHC: tiêu chí {w.criterion.code} có nguy cơ mất {format_number(w.losing)} điểm",
                detail=w.message,
                url=url,
                severity="warning",
            )
        )
    return items


def remediation_items(user: Any, unit: Any) -> list[TodoItem]:
    """Kế hoạch khắc phục còn thiếu: a finalised result without a remediation plan (with who asked for it)."""
    from cchc.accounts import scope
    from cchc.parindex.models import Assessment, Status
    from cchc.parindex.selectors import last_reminder

    if unit is None or not scope.can(user, scope.Action.EDIT, unit):
        return []
    items = []
    for a in Assessment.objects.filter(
        unit=unit, status=Status.FINALISED, remediation_plan__isnull=True
    ).select_related("framework"):
        reminder = last_reminder(a)
        asked = f" ({reminder.actor_label} đã nhắc ngày {reminder.at:%d/%m/%Y})" if reminder else ""
        items.append(
            TodoItem(
                title=f"Lập kế hoạch khắc phục Chỉ số CCHC năm {a.framework.year}",
                detail=f"Đã có kết quả chính thức; chưa có kế hoạch khắc phục các tiêu chí bị mất điểm{asked}.",
                url=reverse("parindex:remediation", args=[a.pk]),
                severity="warning" if reminder else "info",
            )
        )
    return items
