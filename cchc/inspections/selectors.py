"""Reads of inspections: lists with found/fixed counts, per-period figures. Always scoped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from cchc.accounts import scope
from cchc.inspections.models import Finding, InspectedUnit, Inspection, TargetKind


def inspections_for(user, *, unit=None, year: int | None = None) -> QuerySet[Inspection]:
    qs = scope.scoped(Inspection.objects.select_related("unit"), user, scope.Action.VIEW)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if year:
        qs = qs.filter(start_on__year=year)
    return qs.annotate(
        n_targets=Count("targets", distinct=True),
        n_findings=Count("findings", distinct=True),
        n_fixed=Count("findings", filter=Q(findings__fixed_on__isnull=False), distinct=True),
    )


def get_inspection(user, inspection_id: int, action: scope.Action = scope.Action.VIEW) -> Inspection:
    return scope.access(Inspection.objects.select_related("unit"), user, action, pk=inspection_id)


def get_finding(user, finding_id: int, action: scope.Action = scope.Action.VIEW) -> Finding:
    return scope.access(
        Finding.objects.select_related("inspection", "inspection__unit", "target"),
        user,
        action,
        unit_field="inspection__unit",
        pk=finding_id,
    )


@dataclass(frozen=True)
class InspectionFigures:
    departments: int
    subordinate_units: int
    communes: int
    found: int
    fixed: int


def figures(unit_ids, start: date, end: date) -> InspectionFigures:
    """Units inspected (by kind) on a day in [start, end]; findings found then; of those, fixed by ``end``."""
    targets = InspectedUnit.objects.filter(inspection__unit_id__in=list(unit_ids), inspected_on__range=(start, end))
    kinds = dict(targets.order_by().values_list("kind").annotate(n=Count("pk")))
    findings = Finding.objects.filter(inspection__unit_id__in=list(unit_ids), found_on__range=(start, end))
    agg = findings.aggregate(found=Count("pk"), fixed=Count("pk", filter=Q(fixed_on__lte=end)))
    return InspectionFigures(
        kinds.get(TargetKind.DEPARTMENT, 0),
        kinds.get(TargetKind.SUBORDINATE, 0),
        kinds.get(TargetKind.COMMUNE, 0),
        agg["found"],
        agg["fixed"],
    )
