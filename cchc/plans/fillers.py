"""Lines for the CCHC report: the plan's tasks due in the period and where each stands."""

from __future__ import annotations

from typing import Any

from cchc.core.vnformat import format_date
from cchc.plans.models import PlanTask, TaskStatus
from cchc.reports.fillers import register_filler


@register_filler("plans.tasks")
def tasks(unit: Any, period: Any) -> list[str]:
    """Tasks of the unit's plans whose deadline falls in the period: done (with the date) or not yet."""
    rows = (
        PlanTask.objects.filter(plan__unit=unit, deadline__range=(period.start, period.end), children__isnull=True)
        .select_related("plan")
        .order_by("deadline", "code")
    )
    lines = []
    for task in rows:
        if task.status == TaskStatus.DONE:
            state = f"đã hoàn thành{f' ngày {format_date(task.completed_on)}' if task.completed_on else ''}"
        else:
            state = f"chưa hoàn thành (hạn {format_date(task.deadline)})"
        lines.append(f"{task.code}. {task.title} — {state}")
    return lines
