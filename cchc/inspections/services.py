"""Ghi nhận kiểm tra CCHC: inspections, units inspected, findings and their fixes — scoped and audited."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from cchc.accounts import scope
from cchc.core import audit
from cchc.core.audit import Verb
from cchc.core.errors import FieldError
from cchc.indicators.services import mark_stale_days
from cchc.inspections.models import Finding, InspectedUnit, Inspection, TargetKind
from cchc.org.models import Level


class InspectionError(FieldError):
    """Lỗi dữ liệu của ứng dụng inspections."""


def _not_future(field: str, day: date | None, label: str, today: date) -> None:
    if day is not None and day > today:
        raise InspectionError(field, f"{label} không được sau ngày hôm nay.")


def save_inspection(
    actor,
    unit,
    *,
    title: str,
    start_on: date,
    end_on: date | None = None,
    plan_ref: str = "",
    conclusion: str = "",
    inspection: Inspection | None = None,
    today: date | None = None,
) -> Inspection:
    today = today or timezone.localdate()
    owner = unit if inspection is None else inspection.unit
    scope.require(actor, scope.Action.EDIT, owner)
    if not title.strip():
        raise InspectionError("title", "Cần nhập tên cuộc kiểm tra.")
    if start_on is None:
        raise InspectionError("start_on", "Cần nhập ngày bắt đầu.")
    if end_on is not None and end_on < start_on:
        raise InspectionError("end_on", "Ngày kết thúc không được trước ngày bắt đầu.")
    with transaction.atomic():
        creating = inspection is None
        inspection = inspection or Inspection(unit=owner)
        inspection.title, inspection.start_on, inspection.end_on = title.strip(), start_on, end_on
        inspection.plan_ref, inspection.conclusion = plan_ref.strip(), conclusion.strip()
        inspection.save()
        audit.record(
            actor,
            Verb.INSPECTION_CREATED if creating else Verb.INSPECTION_UPDATED,
            inspection,
            unit=owner,
            data={"title": inspection.title, "start_on": start_on.isoformat()},
        )
    return inspection


def default_kind(org_unit) -> str:
    if org_unit is not None and org_unit.level == Level.COMMUNE:
        return TargetKind.COMMUNE
    return TargetKind.DEPARTMENT


def add_target(
    actor,
    inspection: Inspection,
    *,
    name: str = "",
    kind: str = "",
    inspected_on: date | None = None,
    org_unit=None,
    today: date | None = None,
) -> InspectedUnit:
    """Thêm đơn vị được kiểm tra; a unit of the catalogue gives its name and kind."""
    today = today or timezone.localdate()
    scope.require(actor, scope.Action.EDIT, inspection.unit)
    name = (name or (org_unit.name if org_unit is not None else "")).strip()
    if not name:
        raise InspectionError("name", "Cần nhập tên đơn vị được kiểm tra.")
    kind = kind or default_kind(org_unit)
    if kind not in TargetKind.values:
        raise InspectionError("kind", "Loại đơn vị không hợp lệ.")
    inspected_on = inspected_on or inspection.start_on
    _not_future("inspected_on", inspected_on, "Ngày kiểm tra", today)
    if inspection.targets.filter(name=name).exists():
        raise InspectionError("name", f"Đơn vị “{name}” đã có trong cuộc kiểm tra này.")
    with transaction.atomic():
        target = InspectedUnit.objects.create(
            inspection=inspection, org_unit=org_unit, name=name, kind=kind, inspected_on=inspected_on
        )
        audit.record(
            actor,
            Verb.INSPECTION_TARGET_ADDED,
            target,
            unit=inspection.unit,
            data={"name": name, "kind": kind, "inspected_on": inspected_on.isoformat()},
        )
        mark_stale_days(inspection.unit, inspected_on)
    return target


def save_finding(
    actor,
    inspection: Inspection,
    *,
    description: str,
    found_on: date | None = None,
    target: InspectedUnit | None = None,
    remedy: str = "",
    deadline: date | None = None,
    fixed_on: date | None = None,
    fix_note: str = "",
    finding: Finding | None = None,
    today: date | None = None,
) -> Finding:
    """Ghi một vấn đề phát hiện qua kiểm tra (and, when known, its fix)."""
    today = today or timezone.localdate()
    scope.require(actor, scope.Action.EDIT, inspection.unit)
    if not description.strip():
        raise InspectionError("description", "Cần mô tả vấn đề phát hiện.")
    found_on = found_on or (target.inspected_on if target else inspection.end_on or inspection.start_on)
    _not_future("found_on", found_on, "Ngày phát hiện", today)
    _not_future("fixed_on", fixed_on, "Ngày khắc phục", today)
    if fixed_on is not None and fixed_on < found_on:
        raise InspectionError("fixed_on", "Ngày khắc phục không được trước ngày phát hiện.")
    if target is not None and target.inspection_id != inspection.pk:
        raise InspectionError("target", "Đơn vị không thuộc cuộc kiểm tra này.")
    with transaction.atomic():
        creating = finding is None
        old = None if creating else (finding.found_on, finding.fixed_on)
        finding = finding or Finding(inspection=inspection)
        finding.target, finding.found_on, finding.description = target, found_on, description.strip()
        finding.remedy, finding.deadline = remedy.strip(), deadline
        finding.fixed_on, finding.fix_note = fixed_on, fix_note.strip()
        finding.save()
        audit.record(
            actor,
            Verb.FINDING_CREATED if creating else Verb.FINDING_UPDATED,
            finding,
            unit=inspection.unit,
            data={
                "description": finding.description[:200],
                "found_on": found_on.isoformat(),
                "fixed_on": fixed_on.isoformat() if fixed_on else None,
            },
        )
        mark_stale_days(inspection.unit, found_on, fixed_on, *(old or ()))
    return finding


def record_fix(
    actor, finding: Finding, fixed_on: date | None, fix_note: str = "", today: date | None = None
) -> Finding:
    """Ghi kết quả khắc phục (fixed_on None reopens the finding)."""
    return save_finding(
        actor,
        finding.inspection,
        description=finding.description,
        found_on=finding.found_on,
        target=finding.target,
        remedy=finding.remedy,
        deadline=finding.deadline,
        fixed_on=fixed_on,
        fix_note=fix_note or finding.fix_note,
        finding=finding,
        today=today,
    )


def delete_finding(actor, finding: Finding) -> None:
    unit = finding.inspection.unit
    scope.require(actor, scope.Action.EDIT, unit)
    with transaction.atomic():
        audit.record(actor, Verb.FINDING_DELETED, finding, unit=unit, data={"description": finding.description[:200]})
        days = (finding.found_on, finding.fixed_on)
        finding.delete()
        mark_stale_days(unit, *days)
