"""Kế hoạch khắc phục: the remediation plan of a finalised assessment, its tasks, their mirror in the plans
app, the reminder from the level above, and the plan's sign-off.

Every write checks scope and writes its audit row in the same transaction. Tasks carry a ``version``: a save
made from a stale screen is refused, never applied over someone else's change.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

from cchc.accounts import scope
from cchc.core import audit
from cchc.core.audit import Verb
from cchc.core.errors import Conflict
from cchc.core.vnformat import VietnameseParseError, parse_date
from cchc.parindex import selectors
from cchc.parindex.models import Assessment, RemediationPlan, RemediationTask, Status, TaskStatus
from cchc.parindex.remediation import defaults_for as remediation_defaults
from cchc.parindex.services._common import audit_value, is_user, require

# Sent after a remediation task is created or changed (``task``, ``created``). The plans app connects here
# to mirror each row of a remediation plan as a tracked plan task and store its id in ``plans_task_ref``;
# parindex itself never imports the plans app.
remediation_task_saved = Signal()


def ensure_plan(actor: Any, assessment: Assessment) -> RemediationPlan:
    """Kế hoạch khắc phục: one task per criterion that lost points (added, never duplicated)."""
    require(actor, scope.Action.EDIT, assessment.unit)
    if assessment.status != Status.FINALISED:
        raise ValidationError("Chỉ lập kế hoạch khắc phục khi đã có kết quả Chỉ số CCHC chính thức.")
    groups, _ = selectors.lost_points(selectors.build_sheet(assessment))
    with transaction.atomic():
        plan, created = RemediationPlan.objects.get_or_create(assessment=assessment)
        have = set(plan.tasks.values_list("criterion_id", flat=True))
        new_tasks = []
        for group in groups:
            for line in group.lines:
                if line.criterion.pk in have:
                    continue
                line.criterion.framework = assessment.framework
                d = remediation_defaults(line.criterion)
                task = RemediationTask.objects.create(
                    plan=plan,
                    criterion=line.criterion,
                    responsible=d.responsible,
                    measure=d.measure,
                    deadline=d.deadline,
                    deadline_text=d.deadline_text,
                )
                new_tasks.append(task)
        if created or new_tasks:
            audit.record(
                actor,
                Verb.REMEDIATION_PLAN_TASKS,
                plan,
                unit=assessment.unit,
                data={"added": [t.criterion.code for t in new_tasks]},
            )
    for task in new_tasks:
        remediation_task_saved.send(RemediationTask, task=task, created=True)
    return plan


TASK_FIELDS = (
    "responsible",
    "deadline",
    "deadline_text",
    "note",
    "status",
    "action_taken",
    "measure",
    "result_evidence",
    "progress",
    "completed_on",
)


def update_task(actor: Any, task: RemediationTask, version: int, **changes: Any) -> RemediationTask:
    """Sửa một nhiệm vụ khắc phục (người chủ trì, thời hạn, trạng thái, tiến độ, kết quả). ``version`` is the
    one the screen showed; the plans mirror is told of every change."""
    unit = task.plan.assessment.unit
    require(actor, scope.Action.EDIT, unit)
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {unknown}")
    cleaned = _clean_task_changes(task, changes)
    with transaction.atomic():
        current = RemediationTask.objects.select_for_update().get(pk=task.pk)
        if current.version != version:
            raise Conflict(
                f"Nhiệm vụ khắc phục tiêu chí {task.criterion.code} vừa được người khác sửa. "
                "Thay đổi của bạn chưa được lưu; hãy tải lại trang rồi nhập lại."
            )
        diff = {k: v for k, v in cleaned.items() if getattr(current, k) != v}
        if diff:
            RemediationTask.objects.filter(pk=task.pk).update(**diff, version=F("version") + 1)
            audit.record(
                actor,
                Verb.REMEDIATION_TASK_SAVE,
                current,
                unit=unit,
                data={
                    "criterion": task.criterion.code,
                    "changes": {
                        k: audit_value(v) if not isinstance(v, date) else v.isoformat() for k, v in diff.items()
                    },
                },
            )
    fresh = RemediationTask.objects.select_related("criterion", "plan__assessment__unit").get(pk=task.pk)
    if diff:
        remediation_task_saved.send(RemediationTask, task=fresh, created=False)
        # a receiver may have written back (the plans mirror): return the row as it now stands
        fresh = RemediationTask.objects.select_related("criterion", "plan__assessment__unit").get(pk=task.pk)
    return fresh


def _clean_task_changes(task: RemediationTask, changes: dict[str, Any]) -> dict[str, Any]:
    """The typed values of the changed fields; a task marked done is at 100% and completed (today unless a
    day is given or already kept), a task marked anything else is not completed."""
    code = task.criterion.code
    cleaned = {name: _clean_task_field(code, name, raw) for name, raw in changes.items()}
    if cleaned.get("status") == TaskStatus.DONE:
        cleaned["progress"] = 100
        cleaned["completed_on"] = cleaned.get("completed_on") or task.completed_on or timezone.localdate()
    elif "status" in cleaned:
        cleaned["completed_on"] = None
    return cleaned


def _clean_task_field(code: str, name: str, raw: Any) -> Any:
    """One field of a task from what the form or the caller gave (Vietnamese messages name the criterion)."""
    if name in ("deadline", "completed_on"):
        if raw in (None, ""):
            return None
        if isinstance(raw, date):
            return raw
        try:
            return parse_date(str(raw))
        except VietnameseParseError as exc:
            raise ValidationError(f"Tiêu chí {code}: {exc}") from exc
    if name == "status":
        if raw not in TaskStatus.values:
            raise ValidationError(f"Trạng thái “{raw}” không hợp lệ.")
        return raw
    if name == "progress":
        try:
            progress = int(str(raw).strip().rstrip("%") or 0)
        except ValueError as exc:
            raise ValidationError(f"Tiêu chí {code}: tiến độ “{raw}” phải là số phần trăm.") from exc
        if not 0 <= progress <= 100:
            raise ValidationError(f"Tiêu chí {code}: tiến độ phải từ 0 đến 100%.")
        return progress
    return (raw or "").strip()


def sync_task_from_plans(
    actor: Any, plans_task_ref: str, *, status: str, completed_on: date | None, evidence: str
) -> RemediationTask | None:
    """What was recorded on the mirrored plans task (status, completion, evidence) written back to the
    remediation row; sends no ``remediation_task_saved`` so the two apps never echo each other."""
    task = (
        RemediationTask.objects.select_related("criterion", "plan__assessment__unit")
        .filter(plans_task_ref=plans_task_ref)
        .first()
    )
    if task is None or status not in TaskStatus.values:
        return None
    changes: dict[str, Any] = {"status": status, "completed_on": completed_on if status == TaskStatus.DONE else None}
    if status == TaskStatus.DONE:
        changes["progress"] = 100
    if (evidence or "") != (task.result_evidence or task.action_taken):
        changes["result_evidence"] = evidence or ""
    diff = {k: v for k, v in changes.items() if getattr(task, k) != v}
    if not diff:
        return task
    with transaction.atomic():
        RemediationTask.objects.filter(pk=task.pk).update(**diff, version=F("version") + 1)
        audit.record(
            actor,
            Verb.REMEDIATION_TASK_SYNC,
            task,
            unit=task.plan.assessment.unit,
            data={
                "criterion": task.criterion.code,
                "from": "plans",
                "changes": {k: v.isoformat() if isinstance(v, date) else v for k, v in diff.items()},
            },
        )
    return RemediationTask.objects.get(pk=task.pk)


def update_plan(actor: Any, plan: RemediationPlan, **changes: Any) -> RemediationPlan:
    unit = plan.assessment.unit
    require(actor, scope.Action.EDIT, unit)
    allowed = {"number", "issued_on", "signer", "report_number", "report_on", "overall", "next_measures", "directing"}
    with transaction.atomic():
        diff = {k: v for k, v in changes.items() if k in allowed and getattr(plan, k) != v}
        for k, v in diff.items():
            setattr(plan, k, v)
        if diff:
            plan.save()
            audit.record(actor, Verb.REMEDIATION_PLAN_SAVE, plan, unit=unit, data={k: str(v) for k, v in diff.items()})
    return plan


def issue_plan_number(actor: Any, plan: RemediationPlan, kind: str = "KH") -> str:
    """Lấy số văn bản từ sổ đăng ký của đơn vị (KH for the plan, BC for the report)."""
    from cchc.documents.services import issue_number

    unit = plan.assessment.unit
    require(actor, scope.Action.EDIT, unit)
    field = "number" if kind == "KH" else "report_number"
    if getattr(plan, field):
        return getattr(plan, field)
    day_field = "issued_on" if kind == "KH" else "report_on"
    day = getattr(plan, day_field) or timezone.localdate()
    symbol = issue_number(actor, unit, day.year, kind)
    update_plan(actor, plan, **{field: symbol, day_field: day})
    return symbol


def remind_plan(actor: Any, assessment: Assessment) -> None:
    """Nhắc đơn vị lập kế hoạch khắc phục: a reviewer of the level above asks the unit (the unit's home page
    then shows who asked and when, until the plan exists)."""
    require(actor, scope.Action.VIEW, assessment.unit)
    if is_user(actor) and not actor.is_reviewer:
        raise PermissionDenied("Chỉ cơ quan thẩm định mới nhắc đơn vị lập kế hoạch khắc phục.")
    if assessment.status != Status.FINALISED:
        raise ValidationError("Đơn vị chưa có kết quả chính thức nên chưa phải lập kế hoạch khắc phục.")
    if RemediationPlan.objects.filter(assessment=assessment).exists():
        raise ValidationError("Đơn vị đã lập kế hoạch khắc phục.")
    with transaction.atomic():
        audit.record(
            actor,
            Verb.REMEDIATION_PLAN_REMIND,
            assessment,
            unit=assessment.unit,
            data={"framework": assessment.framework.code},
        )


# ---- sign-off of the remediation plan (cchc.documents.approvals) ----------------------------------------
def request_plan_approval(actor: Any, plan: RemediationPlan, note: str = "") -> Any:
    """Trình ký: the plan goes to the unit's leader, who approves (and signs) it or returns it."""
    from cchc.documents import approvals

    a = plan.assessment
    return approvals.request_approval(
        actor,
        plan,
        unit=a.unit,
        title=f"Kế hoạch khắc phục Chỉ số CCHC năm {a.framework.year} — {a.unit.name}",
        note=note,
    )


def _plan_approved(actor: Any, plan: RemediationPlan, approval: Any) -> None:
    """On approval the plan carries its signer and date (kept if the officer typed them)."""
    changes = {}
    if not plan.signer:
        changes["signer"] = getattr(actor, "display_name", "") or str(actor)
    if not plan.issued_on:
        changes["issued_on"] = timezone.localdate()
    if changes:
        for k, v in changes.items():
            setattr(plan, k, v)
        plan.save(update_fields=list(changes))
        audit.record(
            actor, Verb.REMEDIATION_PLAN_APPROVED, plan, unit=plan.assessment.unit, data={"approval": approval.pk}
        )


def register_approval_kind() -> None:
    """The remediation plan is approved and signed like a report (called from AppConfig.ready)."""
    from django.urls import reverse

    from cchc.documents import approvals
    from cchc.documents.rendering import docx_to_pdf
    from cchc.parindex.documents import plan_docx

    approvals.register_kind(
        approvals.ApprovalKind(
            object_type=RemediationPlan._meta.label_lower,
            label="Kế hoạch khắc phục Chỉ số CCHC",
            load=lambda object_id: RemediationPlan.objects.select_related(
                "assessment__unit", "assessment__framework"
            ).get(pk=object_id),
            url=lambda plan: reverse("parindex:remediation", args=[plan.assessment_id]),
            on_approved=_plan_approved,
            on_returned=lambda actor, plan, approval: None,  # the plan stays editable; the comment is shown
            pdf=lambda plan: docx_to_pdf(plan_docx(plan.assessment)),
            file_name=lambda plan: f"ke-hoach-khac-phuc-{plan.assessment.unit.code}-da-ky.pdf",
        )
    )
