"""Home-page items of the sign-off: documents waiting for the leader, and documents the leader returned."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cchc.accounts import scope
from cchc.core.registry import TodoItem
from cchc.documents.approvals import kind_of, pending_for
from cchc.documents.models import Approval, ApprovalState


def signs(user: Any) -> bool:
    """Whether the user signs anywhere (the leader's menu entry)."""
    ids = scope.unit_ids(user, scope.Action.SIGN)
    return ids is None or bool(ids)


def approval_items(user: Any, unit: Any) -> list[TodoItem]:
    items: list[TodoItem] = []
    if signs(user):
        count = pending_for(user).count()
        if count:
            items.append(
                TodoItem(
                    title="Văn bản chờ ký duyệt",
                    url=reverse("documents:pending"),
                    severity="warning",
                    count=count,
                    detail="Công chức đã trình; mở để ký duyệt hoặc trả lại kèm ý kiến.",
                )
            )
    if getattr(user, "is_authenticated", False):
        mine = (
            Approval.objects.filter(requested_by=user)
            .order_by("object_type", "object_id", "-round")
            .defer("signed_pdf", "pdf_to_sign")
        )
        seen: set[tuple[str, str]] = set()
        for approval in mine:
            key = (approval.object_type, approval.object_id)
            if key in seen:
                continue
            seen.add(key)
            if approval.state == ApprovalState.RETURNED:
                kind = kind_of(approval)
                items.append(
                    TodoItem(
                        title=f"Lãnh đạo trả lại: {approval.title}",
                        url=kind.url(kind.load(approval.object_id)),
                        severity="warning",
                        detail=approval.decision_comment,
                    )
                )
    return items
