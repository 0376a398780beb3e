"""Reads of plans and tasks: progress, overdue flags, assigned tasks, the weekly summary. Always scoped."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet

from cchc.accounts import scope
from cchc.core.vnformat import percent
from cchc.plans.models import Plan, PlanTask, TaskStatus

DUE_SOON_DAYS = 7


def plans_for(user, *, unit=None, year: int | None = None) -> QuerySet[Plan]:
    qs = scope.scoped(Plan.objects.select_related("unit"), user, scope.Action.VIEW)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if year:
        qs = qs.filter(year=year)
    return qs


def get_plan(user, plan_id: int, action: scope.Action = scope.Action.VIEW) -> Plan:
    return scope.access(Plan.objects.select_related("unit"), user, action, pk=plan_id)


def get_task(user, task_id: int, action: scope.Action = scope.Action.VIEW) -> PlanTask:
    return scope.access(
        PlanTask.objects.select_related("plan", "plan__unit", "parent"),
        user,
        action,
        unit_field="plan__unit",
        pk=task_id,
    )


def leaves(qs: QuerySet[PlanTask]) -> QuerySet[PlanTask]:
    """Phần việc: the tasks without children — the ones progress counts."""
    return qs.annotate(_children=Count("children")).filter(_children=0)


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    overdue: int

    @property
    def rate(self) -> Decimal | None:
        """26/28 → 92,86 (percent, two decimals, half-up)."""
        return percent(self.done, self.total)


def plan_progress(plan: Plan, today: date) -> Progress:
    qs = leaves(plan.tasks.all())
    agg = qs.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=TaskStatus.DONE)),
        overdue=Count("pk", filter=~Q(status=TaskStatus.DONE) & Q(deadline__lt=today)),
    )
    return Progress(agg["total"], agg["done"], agg["overdue"])


@dataclass
class TaskRow:
    task: PlanTask
    depth: int
    is_leaf: bool
    done: int = 0
    total: int = 0

    @property
    def rate(self) -> Decimal | None:
        return percent(self.done, self.total)


def task_rows(plan: Plan) -> list[TaskRow]:
    """The plan's tasks in outline order, each parent with the progress of its phần việc."""
    tasks = list(plan.tasks.all().order_by("position", "pk"))
    children: dict[int | None, list[PlanTask]] = {}
    for t in tasks:
        children.setdefault(t.parent_id, []).append(t)
    rows: list[TaskRow] = []

    def walk(task: PlanTask, depth: int) -> tuple[int, int]:
        row = TaskRow(task, depth, task.pk not in children)
        rows.append(row)
        if row.is_leaf:
            row.total, row.done = 1, int(task.is_done)
        else:
            for child in children[task.pk]:
                d, n = walk(child, depth + 1)
                row.done += d
                row.total += n
        return row.done, row.total

    for top in children.get(None, []):
        walk(top, 0)
    return rows


def _open_leaves(units: Iterable[int] | None) -> QuerySet[PlanTask]:
    qs = leaves(PlanTask.objects.select_related("plan", "plan__unit")).exclude(status=TaskStatus.DONE)
    return qs if units is None else qs.filter(plan__unit_id__in=list(units))


def overdue_tasks(unit_ids: Iterable[int] | None, today: date) -> QuerySet[PlanTask]:
    return _open_leaves(unit_ids).filter(deadline__lt=today).order_by("deadline", "pk")


def due_soon_tasks(unit_ids: Iterable[int] | None, today: date, days: int = DUE_SOON_DAYS) -> QuerySet[PlanTask]:
    return (
        _open_leaves(unit_ids)
        .filter(deadline__gte=today, deadline__lte=today + timedelta(days=days))
        .order_by("deadline", "pk")
    )


@dataclass(frozen=True)
class AssignedSummary:
    """Nhiệm vụ cấp trên giao: total, done on time, done late, not done."""

    assigned: int
    on_time: int
    late: int
    not_done: int


def assigned_summary(unit_ids: Iterable[int], start: date, end: date) -> AssignedSummary:
    """Tasks assigned by the level above whose deadline falls in [start, end], judged at ``end``:
    done on time (completed by the deadline), done late (completed after it, by ``end``), not done."""
    qs = leaves(
        PlanTask.objects.filter(plan__unit_id__in=list(unit_ids), assigned_by_higher=True, deadline__range=(start, end))
    )
    done = Q(status=TaskStatus.DONE, completed_on__lte=end)
    agg = qs.aggregate(
        assigned=Count("pk"),
        on_time=Count("pk", filter=done & Q(completed_on__lte=F("deadline"))),
        late=Count("pk", filter=done & Q(completed_on__gt=F("deadline"))),
    )
    return AssignedSummary(agg["assigned"], agg["on_time"], agg["late"], agg["assigned"] - agg["on_time"] - agg["late"])


@dataclass
class WeeklySummary:
    """Tổng hợp tuần: what a CCHC officer reads on Monday morning."""

    unit_name: str
    week_start: date
    week_end: date
    completed: list[PlanTask] = field(default_factory=list)
    overdue: list[PlanTask] = field(default_factory=list)
    due_next_week: list[PlanTask] = field(default_factory=list)
    plans: list[tuple[Plan, Progress]] = field(default_factory=list)


def weekly_summary(unit, today: date) -> WeeklySummary:
    """The week (Monday to Sunday) that ended before ``today``'s week, with what is open now."""
    this_monday = today - timedelta(days=today.weekday())
    start, end = this_monday - timedelta(days=7), this_monday - timedelta(days=1)
    ids = [unit.pk]
    summary = WeeklySummary(unit.name, start, end)
    summary.completed = list(
        leaves(PlanTask.objects.filter(plan__unit_id__in=ids, status=TaskStatus.DONE, completed_on__range=(start, end)))
        .select_related("plan")
        .order_by("completed_on", "pk")
    )
    summary.overdue = list(overdue_tasks(ids, today))
    summary.due_next_week = list(due_soon_tasks(ids, today))
    for plan in Plan.objects.filter(unit_id__in=ids, year=today.year).order_by("symbol"):
        summary.plans.append((plan, plan_progress(plan, today)))
    return summary


def weekly_summary_text(summary: WeeklySummary) -> str:
    from cchc.core.vnformat import format_date, format_percent

    lines = [
        f"TỔNG HỢP TUẦN {format_date(summary.week_start)} – {format_date(summary.week_end)}: {summary.unit_name}",
        "",
    ]
    for plan, progress in summary.plans:
        rate = format_percent(progress.rate) if progress.rate is not None else "chưa có phần việc"
        lines.append(
            f"{plan}: hoàn thành {progress.done}/{progress.total} phần việc ({rate}); quá hạn {progress.overdue}."
        )
    if not summary.plans:
        lines.append("Chưa có kế hoạch CCHC năm nay.")

    def section(title: str, tasks: list[PlanTask], with_date: str) -> None:
        lines.append("")
        lines.append(f"{title}: {len(tasks)}")
        for t in tasks:
            day = getattr(t, with_date)
            lines.append(
                f"  - {t.code}. {t.title} ({t.responsible or 'chưa giao người thực hiện'}; "
                f"{'hạn' if with_date == 'deadline' else 'xong'} {format_date(day) if day else '—'})"
            )

    section("Đã hoàn thành trong tuần", summary.completed, "completed_on")
    section("Quá hạn", summary.overdue, "deadline")
    section(f"Đến hạn trong {DUE_SOON_DAYS} ngày tới", summary.due_next_week, "deadline")
    return "\n".join(lines)
