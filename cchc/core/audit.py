"""One way to write the audit trail, so that every service records changes the same way."""

from __future__ import annotations

import json
from enum import StrEnum, unique
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from cchc.core.models import AuditEvent


@unique  # a value is one event, never two names
class Verb(StrEnum):
    """Các thao tác ghi nhật ký: the one vocabulary of audit events (as Zulip's ``AuditLogEventType``).

    The values are what ``AuditEvent.verb`` has always stored ("app.what"), so rows written before the enum
    read the same. A value is never reused for another meaning; a new event gets a new member here.
    ``cchc/core/tests/test_audit_verbs.py`` fails on a verb written in the code that is not listed here."""

    # accounts
    USER_CREATE = "accounts.user.create"
    USER_CREATED = "accounts.user_created"  # by the administration pages
    USER_CHANGED = "accounts.user_changed"
    USER_PERMISSIONS_CHANGED = "accounts.user_permissions_changed"
    # api
    API_TOKEN_CREATE = "api.token.create"
    API_TOKEN_REVOKE = "api.token.revoke"
    # core
    UPLOADS_PURGED = "core.uploads_purged"
    # directives
    DIRECTIVE_CREATED = "directives.created"
    DIRECTIVE_UPDATED = "directives.updated"
    DIRECTIVE_DELETED = "directives.deleted"
    DIRECTIVE_EVIDENCE_ATTACHED = "directives.evidence_attached"
    DIRECTIVE_EVIDENCE_DETACHED = "directives.evidence_detached"
    # documents
    NUMBER_ISSUE = "documents.number.issue"
    APPROVAL_REQUEST = "documents.approval.request"
    APPROVAL_APPROVE = "documents.approval.approve"
    APPROVAL_RETURN = "documents.approval.return"
    APPROVAL_SIGN = "documents.approval.sign"
    APPROVAL_UPLOAD_SIGNED = "documents.approval.upload_signed"
    # dossiers (the life-cycle steps are "dossiers.<EventKind value>")
    DOSSIER_IMPORT = "dossiers.import"
    PROCEDURES_IMPORT = "dossiers.import_procedures"
    PROCEDURE_CREATE = "dossiers.procedure_create"
    PROCEDURE_UPDATE = "dossiers.procedure_update"
    DOSSIER_RECEIVE = "dossiers.receive"
    DOSSIER_RECORDS = "dossiers.records"
    DOSSIER_ISSUE_LOOKUP_KEY = "dossiers.issue_lookup_key"
    COUNTER_GUIDANCE = "dossiers.counter_guidance"
    COUNTER_REFUSAL = "dossiers.counter_refusal"
    DOSSIER_HANDOVER = "dossiers.chuyen"
    DOSSIER_SUPPLEMENT_REQUESTED = "dossiers.yc_bo_sung"
    DOSSIER_SUPPLEMENT_RECEIVED = "dossiers.nhan_bo_sung"
    DOSSIER_SUSPENDED = "dossiers.tam_dung"
    DOSSIER_RESUMED = "dossiers.tiep_tuc"
    DOSSIER_REFUSED = "dossiers.tu_choi"
    DOSSIER_WITHDRAWN = "dossiers.rut"
    DOSSIER_STOPPED = "dossiers.dung"
    DOSSIER_APOLOGY = "dossiers.xin_loi"
    DOSSIER_RESULT_READY = "dossiers.co_ket_qua"
    DOSSIER_RETURNED = "dossiers.tra"
    # feedback
    FEEDBACK_CREATED = "feedback.created"
    FEEDBACK_UPDATED = "feedback.updated"
    FEEDBACK_DELETED = "feedback.deleted"
    # index766
    INDEX766_SNAPSHOT = "index766.snapshot"
    # indicators
    CATALOGUE_LOADED = "indicators.catalogue_loaded"
    FIGURES_IMPORTED = "indicators.figures_imported"
    VALUE_ENTERED = "indicators.value_entered"
    VALUE_CLEARED = "indicators.value_cleared"
    # inspections
    INSPECTION_CREATED = "inspections.created"
    INSPECTION_UPDATED = "inspections.updated"
    INSPECTION_TARGET_ADDED = "inspections.target_added"
    FINDING_CREATED = "inspections.finding_created"
    FINDING_UPDATED = "inspections.finding_updated"
    FINDING_DELETED = "inspections.finding_deleted"
    # news
    NEWS_CREATED = "news.created"
    NEWS_UPDATED = "news.updated"
    NEWS_DELETED = "news.deleted"
    NEWS_QUOTA_SET = "news.quota_set"
    # org
    UNIT_CREATE = "org.unit.create"
    UNIT_UPDATE = "org.unit.update"
    UNIT_REPARENT = "org.unit.reparent"
    LINEAGE_SET = "org.lineage.set"
    # parindex
    ASSESSMENT_START = "parindex.assessment.start"
    ASSESSMENT_SUBMIT = "parindex.assessment.submit"
    ASSESSMENT_RETURN = "parindex.assessment.return"
    ASSESSMENT_FINALISE = "parindex.assessment.finalise"
    SCORE_SAVE = "parindex.score.save"
    SCORE_IMPORT = "parindex.score.import"
    EVIDENCE_ADD = "parindex.evidence.add"
    EVIDENCE_REMOVE = "parindex.evidence.remove"
    FRAMEWORK_LOAD = "parindex.framework.load"
    FRAMEWORK_METADATA = "parindex.framework.metadata"
    FRAMEWORK_ANNOUNCE = "parindex.framework.announce"
    REMEDIATION_PLAN_SAVE = "parindex.plan.save"
    REMEDIATION_PLAN_TASKS = "parindex.plan.tasks"
    REMEDIATION_PLAN_REMIND = "parindex.plan.remind"
    REMEDIATION_PLAN_APPROVED = "parindex.plan.approved"
    REMEDIATION_TASK_SAVE = "parindex.task.save"
    REMEDIATION_TASK_SYNC = "parindex.task.sync"
    # plans
    PLAN_CREATED = "plans.plan_created"
    PLAN_UPDATED = "plans.plan_updated"
    PLAN_TASK_CREATED = "plans.task_created"
    PLAN_TASK_UPDATED = "plans.task_updated"
    PLAN_TASK_DELETED = "plans.task_deleted"
    PLAN_TASKS_IMPORTED = "plans.tasks_imported"
    # reports
    REPORT_CREATE = "reports.create"
    REPORT_SECTION_SAVE = "reports.section.save"
    REPORT_HEADER_SAVE = "reports.header.save"
    REPORT_REQUEST_SIGNATURE = "reports.request_signature"  # trình ký
    REPORT_SUBMIT = "reports.submit"  # gửi cấp trên
    REPORT_ACCEPT = "reports.accept"
    REPORT_RETURN = "reports.return"
    # surveys
    QUESTION_SET_CHOSEN = "surveys.choose_question_set"
    DEVICE_REGISTERED = "surveys.device_registered"
    DEVICE_REVOKED = "surveys.device_revoked"
    # workdays
    OVERRIDE_CREATE = "workdays.override.create"
    OVERRIDE_UPDATE = "workdays.override.update"
    OVERRIDE_DELETE = "workdays.override.delete"
    NOTICE_CREATE = "workdays.notice.create"
    NOTICE_UPDATE = "workdays.notice.update"


def record(
    actor: Any,
    verb: Verb | str,
    obj: models.Model | tuple[str, str],
    *,
    unit: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit row. ``actor`` is a user or a SystemActor (``cchc.core.actors``); ``verb`` a ``Verb``
    (a plain string is accepted while call sites move to the enum; the test of verbs keeps them listed).

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
        verb=str(verb),
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
