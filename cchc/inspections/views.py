"""Màn hình kiểm tra CCHC."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.accounts import scope
from cchc.accounts.middleware import current_unit_of
from cchc.core.errors import add_to_form
from cchc.core.params import parse_int
from cchc.inspections import selectors, services
from cchc.inspections.forms import FindingForm, FixForm, InspectionForm, TargetForm


@login_required
def index(request):
    unit = current_unit_of(request)
    year = request.GET.get("nam", "")
    rows = selectors.inspections_for(request.user, unit=unit, year=parse_int(year, minimum=1900, maximum=2200))
    return render(
        request,
        "inspections/index.html",
        {
            "unit": unit,
            "rows": rows,
            "year": year,
            "found": sum(r.n_findings for r in rows),
            "fixed": sum(r.n_fixed for r in rows),
            "can_edit": unit is not None and scope.can(request.user, scope.Action.EDIT, unit),
        },
    )


@login_required
def create(request):
    unit = current_unit_of(request)
    if unit is None:
        raise Http404("Chưa chọn đơn vị.")
    scope.require(request.user, scope.Action.EDIT, unit)
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.save_inspection(request.user, unit, **form.cleaned_data)
        except services.InspectionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Đã tạo cuộc kiểm tra.")
            return redirect("inspections:detail", obj.pk)
    return render(request, "inspections/form.html", {"form": form, "unit": unit})


@login_required
def edit(request, inspection_id: int):
    obj = selectors.get_inspection(request.user, inspection_id, scope.Action.EDIT)
    initial = {k: getattr(obj, k) for k in ("title", "plan_ref", "start_on", "end_on", "conclusion")}
    form = InspectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_inspection(request.user, obj.unit, inspection=obj, **form.cleaned_data)
        except services.InspectionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Đã lưu.")
            return redirect("inspections:detail", obj.pk)
    return render(request, "inspections/form.html", {"form": form, "unit": obj.unit, "inspection": obj})


def _target_units(user):
    return scope.visible_units(user).valid_on(timezone.localdate()).order_by("code")[:300]


@login_required
def detail(request, inspection_id: int):
    obj = selectors.get_inspection(request.user, inspection_id)
    targets = list(obj.targets.all())
    findings = list(obj.findings.select_related("target"))
    return render(
        request,
        "inspections/detail.html",
        {
            "inspection": obj,
            "targets": targets,
            "findings": findings,
            "fixed": sum(f.is_fixed for f in findings),
            "can_edit": scope.can(request.user, scope.Action.EDIT, obj.unit),
            "target_form": TargetForm(units=_target_units(request.user)),
            "finding_form": FindingForm(targets=targets),
            "fix_form": FixForm(),
        },
    )


@login_required
@require_POST
def add_target(request, inspection_id: int):
    obj = selectors.get_inspection(request.user, inspection_id, scope.Action.EDIT)
    form = TargetForm(request.POST, units=_target_units(request.user))
    if form.is_valid():
        cd = form.cleaned_data
        org_unit = scope.visible_units(request.user).filter(pk=cd["org_unit"]).first() if cd["org_unit"] else None
        try:
            services.add_target(
                request.user, obj, name=cd["name"], kind=cd["kind"], inspected_on=cd["inspected_on"], org_unit=org_unit
            )
        except services.InspectionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Đã thêm đơn vị được kiểm tra.")
    else:
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("inspections:detail", obj.pk)


def _finding_kwargs(obj, cd) -> dict:
    target = obj.targets.filter(pk=cd["target"]).first() if cd.get("target") else None
    return {
        "target": target,
        "description": cd["description"],
        "remedy": cd["remedy"],
        "found_on": cd["found_on"],
        "deadline": cd["deadline"],
        "fixed_on": cd["fixed_on"],
        "fix_note": cd["fix_note"],
    }


@login_required
def add_finding(request, inspection_id: int):
    obj = selectors.get_inspection(request.user, inspection_id, scope.Action.EDIT)
    form = FindingForm(request.POST or None, targets=obj.targets.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.save_finding(request.user, obj, **_finding_kwargs(obj, form.cleaned_data))
        except services.InspectionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Đã ghi vấn đề phát hiện.")
            return redirect("inspections:detail", obj.pk)
    return render(request, "inspections/finding_form.html", {"form": form, "inspection": obj})


@login_required
def edit_finding(request, finding_id: int):
    finding = selectors.get_finding(request.user, finding_id, scope.Action.EDIT)
    obj = finding.inspection
    initial = {
        k: getattr(finding, k) for k in ("description", "remedy", "found_on", "deadline", "fixed_on", "fix_note")
    }
    initial["target"] = str(finding.target_id or "")
    form = FindingForm(request.POST or None, targets=obj.targets.all(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_finding(request.user, obj, finding=finding, **_finding_kwargs(obj, form.cleaned_data))
        except services.InspectionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Đã lưu.")
            return redirect("inspections:detail", obj.pk)
    return render(request, "inspections/finding_form.html", {"form": form, "inspection": obj, "finding": finding})


@login_required
@require_POST
def fix(request, finding_id: int):
    finding = selectors.get_finding(request.user, finding_id, scope.Action.EDIT)
    form = FixForm(request.POST)
    if form.is_valid():
        try:
            services.record_fix(
                request.user,
                finding,
                form.cleaned_data["fixed_on"] or timezone.localdate(),
                form.cleaned_data["fix_note"],
            )
        except services.InspectionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Đã ghi kết quả khắc phục.")
    else:
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("inspections:detail", finding.inspection_id)


@login_required
@require_POST
def delete_finding(request, finding_id: int):
    finding = selectors.get_finding(request.user, finding_id, scope.Action.EDIT)
    inspection_id = finding.inspection_id
    services.delete_finding(request.user, finding)
    messages.success(request, "Đã xóa vấn đề.")
    return redirect("inspections:detail", inspection_id)
