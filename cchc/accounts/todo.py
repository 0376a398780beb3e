"""To-do items about accounts: units that nobody reports for."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from cchc.accounts import scope
from cchc.accounts.models import Role
from cchc.core.registry import TodoItem
from cchc.org.models import Level


def setup_items(user: Any, unit: Any) -> list[TodoItem]:
    """Units in the reviewer's scope that exist today but have no CCHC officer to report for them."""
    if not user.is_reviewer:
        return []
    today = timezone.localdate()
    units = scope.visible_units(user).valid_on(today).filter(level=Level.COMMUNE)
    without = units.exclude(users__role=Role.COMMUNE_OFFICER, users__is_active=True).order_by("code")
    count = without.count()
    if not count:
        return []
    names = ", ".join(u.name for u in without[:5]) + ("…" if count > 5 else "")
    return [
        TodoItem(
            title="Đơn vị cấp xã chưa có công chức phụ trách CCHC",
            detail=f"{names}. Cần tạo tài khoản để các đơn vị này báo cáo.",
            url=reverse("org:tree"),
            severity="warning",
            count=count,
        )
    ]
