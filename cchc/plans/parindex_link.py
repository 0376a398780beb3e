"""Kế hoạch khắc phục Chỉ số CCHC as a plan of the plans app: each row of a remediation plan (one lost
criterion) becomes a tracked task, so progress, evidence and overdue warnings work as for every plan task,
and what is recorded on the task flows back into the remediation report.

- parindex → plans: ``parindex.services.remediation_task_saved`` (sent on every row created or changed)
  creates or updates the task in a plan of kind ``PlanKind.PAR_REMEDIATION`` (one per remediation plan,
  ``source_ref = "parindex:<id>"``): a parent task per field, a sub-task per criterion, and stores the task's
  id in ``RemediationTask.plans_task_ref``.
- plans → parindex: a change of status, completion date or evidence on such a task is written back through
  ``parindex.services.sync_task_from_plans`` (which sends no signal, so the two never echo each other).

The plans of this kind are left out of the plan indicators (``plans.indicators``), so the yearly CCHC plan's
“26/28 phần việc” never counts remediation rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.utils import timezone

from cchc.accounts.actors import SystemActor
from cchc.plans.areas import find_area
from cchc.plans.models import Plan, PlanKind, PlanTask, TaskStatus

ACTOR = SystemActor("cchc (đồng bộ kế hoạch khắc phục Chỉ số CCHC)")
STATUS_TO_PLANS = {"todo": TaskStatus.NOT_STARTED, "doing": TaskStatus.IN_PROGRESS, "done": TaskStatus.DONE}
STATUS_FROM_PLANS = {v: k for k, v in STATUS_TO_PLANS.items()}


def _plan_for(remediation_plan: Any) -> Plan:
    assessment = remediation_plan.assessment
    ref = f"parindex:{remediation_plan.pk}"
    plan = Plan.objects.filter(source_ref=ref).first()
    year = assessment.framework.year + 1
    title = (
        f"Khắc phục những tồn tại, hạn chế trong công tác cải cách hành chính năm {assessment.framework.year}, "
        f"giải pháp nâng cao Chỉ số CCHC năm {year}"
    )
    if plan is None:
        plan = Plan.objects.create(
            unit=assessment.unit, kind=PlanKind.PAR_REMEDIATION, source_ref=ref, year=year, title=title
        )
    symbol = remediation_plan.number or ""
    if (plan.symbol, plan.issued_on) != (symbol, remediation_plan.issued_on):
        plan.symbol, plan.issued_on = symbol, remediation_plan.issued_on
        plan.save(update_fields=["symbol", "issued_on", "updated_at"])
    return plan


def _area(field_code: str) -> str:
    area = find_area(field_code)
    return area.code if area else "chi_dao"


def mirror(task: Any) -> PlanTask:
    """Create or update the plan task of one remediation row (idempotent)."""
    from cchc.plans import services

    criterion = task.criterion
    plan = _plan_for(task.plan)
    field = (
        criterion.framework.criteria.get(code=criterion.field_code)
        if criterion.field_code != criterion.code
        else criterion
    )
    parent = plan.tasks.filter(code=field.code).first() if field.code.isdigit() else None
    if parent is None and field.code.isdigit():
        parent = services.save_task(
            ACTOR, plan, services.TaskData(code=field.code, title=field.name, area=_area(field.code))
        )
    existing = plan.tasks.filter(pk=int(task.plans_task_ref)).first() if task.plans_task_ref.isdigit() else None
    if existing is not None:
        code = existing.code
    elif parent is not None:
        code = f"{parent.code}.{parent.children.count() + 1}"
    else:
        code = str(plan.tasks.filter(parent__isnull=True).count() + 1)
    done = task.status == "done"
    data = services.TaskData(
        code=code,
        title=f"Tiêu chí {criterion.code} {criterion.name}: {task.measure}".strip(": ")[:1000],
        area=parent.area if parent else _area(criterion.field_code),
        responsible=task.responsible[:300],
        deadline=task.deadline,
        status=STATUS_TO_PLANS[task.status],
        completed_on=(task.completed_on or timezone.localdate()) if done else None,
        evidence=task.result_evidence or task.action_taken,
    )
    if existing is not None and not services.task_differs(existing, data):
        return existing
    today = max(timezone.localdate(), data.completed_on or timezone.localdate())
    saved = services.save_task(ACTOR, plan, data, task=existing, today=today)
    if task.plans_task_ref != str(saved.pk):
        type(task).objects.filter(pk=task.pk).update(plans_task_ref=str(saved.pk))
        task.plans_task_ref = str(saved.pk)
    return saved


def on_remediation_task_saved(sender: Any, task: Any, created: bool, **_: Any) -> None:
    mirror(task)


def on_plan_task_saved(sender: Any, instance: PlanTask, created: bool, **_: Any) -> None:
    """Status, completion date and evidence recorded in the plans app flow back to the remediation row."""
    if created or not instance.plan.source_ref.startswith("parindex:"):
        return
    from cchc.parindex.services import sync_task_from_plans

    sync_task_from_plans(
        instance.updated_by or ACTOR,
        str(instance.pk),
        status=STATUS_FROM_PLANS.get(instance.status, "todo"),
        completed_on=instance.completed_on,
        evidence=instance.evidence,
    )


def connect() -> None:
    from cchc.parindex.services import remediation_task_saved

    remediation_task_saved.connect(on_remediation_task_saved, dispatch_uid="plans.parindex_link")
    post_save.connect(on_plan_task_saved, sender=PlanTask, dispatch_uid="plans.parindex_link.back")
