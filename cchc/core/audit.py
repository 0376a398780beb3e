"""One way to write the audit trail, so that every service records changes the same way."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
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
    """Write one audit row. ``actor`` is a user or a SystemActor (``cchc.accounts.actors``).

    For a model saved in this transaction, the old and new values of the fields it changed are added as
    ``data["changes"]`` (captured by ``snapshot_before_save``)."""
    if isinstance(obj, tuple):
        object_type, object_id = obj
    else:
        object_type, object_id = obj._meta.label_lower, str(obj.pk)
        changed = changes_of(obj)
        if changed and "changes" not in (data or {}):
            data = {**(data or {}), "changes": changed}  # every update says what it was before
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


# ---- old and new values of every update ------------------------------------------------------------------
# Rows saved too often or holding no user's fact: no snapshot (one SELECT per save is the cost of the rest).
NOT_SNAPSHOTTED = {"core.auditevent", "indicators.computedvalue", "dossiers.dossierstat", "sessions.session"}
NOT_SNAPSHOTTED_APPS = {"jobs", "django_tasks_database", "axes", "admin", "contenttypes", "sessions"}


def snapshot_before_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **_: Any) -> None:
    """pre_save receiver: keep the row as the database holds it, so that ``record`` can write old → new."""
    meta = sender._meta
    if raw or instance._state.adding or instance.pk is None:
        return
    if meta.app_label in NOT_SNAPSHOTTED_APPS or meta.label_lower in NOT_SNAPSHOTTED:
        return
    names = [f.attname for f in meta.concrete_fields]
    instance.__dict__["_cchc_before"] = sender._default_manager.filter(pk=instance.pk).values(*names).first()


def _plain(value: Any) -> Any:
    try:
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    except TypeError:  # a file field, a custom type: its text
        return str(value)


def changes_of(obj: models.Model) -> dict[str, dict[str, Any]]:
    """{field: {"old": …, "new": …}} of the fields an update changed (empty for a new row)."""
    before = obj.__dict__.get("_cchc_before")
    if not before:
        return {}
    out = {}
    for name, old in before.items():
        new = getattr(obj, name, old)
        if old != new:
            out[name] = {"old": _plain(old), "new": _plain(new)}
    return out


# ---- the detail of a row as people read it ---------------------------------------------------------------
def _text(value: Any) -> str:
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items()) or "(trống)"
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value) or "(trống)"
    return str(value)


def describe(data: dict[str, Any] | None) -> str:
    """The detail of an audit row in plain words: ``trường: cũ → mới`` for each change, then the other
    facts as ``khóa: giá trị`` (never a Python or JSON repr on a page or in a spreadsheet)."""
    data = data or {}
    parts = []
    for name, change in (data.get("changes") or {}).items():
        if isinstance(change, dict) and {"old", "new"} <= change.keys():
            parts.append(f"{name}: {_text(change['old'])} → {_text(change['new'])}")
        else:
            parts.append(f"{name}: {_text(change)}")
    parts += [f"{key}: {_text(value)}" for key, value in data.items() if key != "changes"]
    return "; ".join(parts)
