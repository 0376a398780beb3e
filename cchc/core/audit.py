"""One way to write the audit trail, so that every service records changes the same way."""

from __future__ import annotations

from typing import Any

from django.db import models

from cchc.core.models import AuditEvent


def record(
    actor: Any,
    verb: str,
    obj: models.Model | tuple[str, str],
    *,
    unit: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit row. ``actor`` is a user, or a string such as ``"cchc org load"`` for the CLI."""
    if isinstance(obj, tuple):
        object_type, object_id = obj
    else:
        object_type, object_id = obj._meta.label_lower, str(obj.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor.get_username() if user is not None else str(actor or "")
    return AuditEvent.objects.create(
        actor=user,
        actor_label=label,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        unit=unit,
        data=data or {},
    )
