"""Reads of feedback: lists with status filters, per-period figures. Always scoped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from cchc.accounts import scope
from cchc.core.text import filter_folded
from cchc.feedback.models import FeedbackItem


def items_for(
    user, *, unit=None, status: str = "", today: date | None = None, year: int | None = None, q: str = ""
) -> QuerySet[FeedbackItem]:
    qs = scope.scoped(FeedbackItem.objects.select_related("unit"), user, scope.Action.VIEW)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if year:
        qs = qs.filter(received_on__year=year)
    qs = filter_folded(qs, q, ("content", "citizen_name"))  # "nguyen van thu" finds "Nguyễn Văn Thu"
    return filter_status(qs, status, today) if status else qs


def filter_status(qs: QuerySet[FeedbackItem], status: str, today: date | None) -> QuerySet[FeedbackItem]:
    if status == "resolved":
        return qs.filter(answered_on__isnull=False)
    if status == "forwarded":
        return qs.filter(answered_on__isnull=True, forwarded_on__isnull=False)
    open_ = qs.filter(answered_on__isnull=True, forwarded_on__isnull=True)
    if status == "overdue":
        return open_.filter(deadline__lt=today)
    if status == "open":
        return open_.filter(deadline__gte=today)
    return qs


def get_item(user, item_id: int, action: scope.Action = scope.Action.VIEW) -> FeedbackItem:
    return scope.access(FeedbackItem.objects.select_related("unit"), user, action, pk=item_id)


def overdue_items(unit_ids, today: date) -> QuerySet[FeedbackItem]:
    return filter_status(FeedbackItem.objects.filter(unit_id__in=list(unit_ids)), "overdue", today).order_by("deadline")


def due_soon_items(unit_ids, today: date, until: date) -> QuerySet[FeedbackItem]:
    """Items neither answered nor forwarded whose deadline falls in [today, until] (still on time)."""
    qs = filter_status(FeedbackItem.objects.filter(unit_id__in=list(unit_ids)), "open", today)
    return qs.filter(deadline__lte=until).order_by("deadline", "pk")


@dataclass(frozen=True)
class FeedbackFigures:
    received: int
    resolved: int
    forwarded: int
    overdue: int
    all_received: int  # including items not about administrative rules


def figures(unit_ids, start: date, end: date) -> FeedbackFigures:
    """Items about administrative rules received in [start, end], judged at ``end``: answered by then,
    forwarded by then (and not answered), or past their deadline at ``end`` with neither."""
    base = FeedbackItem.objects.filter(unit_id__in=list(unit_ids), received_on__range=(start, end))
    answered = Q(answered_on__lte=end)
    forwarded = Q(forwarded_on__lte=end) & ~answered
    agg = base.filter(about_admin_rule=True).aggregate(
        received=Count("pk"),
        resolved=Count("pk", filter=answered),
        forwarded=Count("pk", filter=forwarded),
        overdue=Count("pk", filter=~answered & ~Q(forwarded_on__lte=end) & Q(deadline__lt=end)),
    )
    return FeedbackFigures(agg["received"], agg["resolved"], agg["forwarded"], agg["overdue"], base.count())
