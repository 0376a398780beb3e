"""Hàm tính chỉ tiêu từ kế hoạch CCHC (registered by code; the catalogue names them).

A plan is judged as it stood at the end of the span: the phần việc of the plans of the span's year, and
those of them completed by the span's end. So a Q3 report reads "26/28 phần việc" as of 14/9.
"""

from __future__ import annotations

from django.db.models import Count, Q

from cchc.indicators.registry import Computed, Span, register_computed, shared
from cchc.plans import selectors
from cchc.plans.models import Plan, PlanKind, PlanTask, TaskStatus


def _keeps(units, span: Span) -> bool:
    """Plan figures exist for a unit that has a CCHC plan for the span's year in the product: without one,
    "0 nhiệm vụ" would be a false statement, so the figure is unknown until it is entered."""
    plans = shared(
        ("plans.unit_years",),
        lambda: set(Plan.objects.filter(kind=PlanKind.CCHC).order_by().values_list("unit_id", "year")),
    )
    return any((getattr(u, "pk", u), span.end.year) in plans for u in units)


def _leaves(units, span: Span):
    # The yearly CCHC plan only: a PAR-index remediation plan's tasks are tracked but never counted here.
    return selectors.leaves(
        PlanTask.objects.filter(plan__unit__in=units, plan__year=span.end.year, plan__kind=PlanKind.CCHC)
    )


@register_computed("plans.tasks_planned", keeps_records=_keeps)
def tasks_planned(units, span: Span) -> Computed:
    qs = _leaves(units, span)
    return Computed(qs.count(), {"plans": qs.values("plan").distinct().count()})


@register_computed("plans.tasks_done", keeps_records=_keeps)
def tasks_done(units, span: Span) -> Computed:
    agg = _leaves(units, span).aggregate(
        done=Count("pk", filter=Q(status=TaskStatus.DONE, completed_on__lte=span.end)),
        total=Count("pk"),
    )
    return Computed(agg["done"], {"total": agg["total"]})


@register_computed("plans.assigned_tasks", keeps_records=_keeps)
def assigned_tasks(units, span: Span) -> int:
    return selectors.assigned_summary([u.pk for u in units], span.start, span.end).assigned


@register_computed("plans.assigned_done_on_time", keeps_records=_keeps)
def assigned_done_on_time(units, span: Span) -> int:
    return selectors.assigned_summary([u.pk for u in units], span.start, span.end).on_time


@register_computed("plans.assigned_done_late", keeps_records=_keeps)
def assigned_done_late(units, span: Span) -> int:
    return selectors.assigned_summary([u.pk for u in units], span.start, span.end).late
