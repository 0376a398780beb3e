from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.core.params import parse_int
from cchc.workdays import selectors, services
from cchc.workdays.calendar_engine import WEEKDAY_NAMES, CalendarRangeError
from cchc.workdays.forms import DueDateForm, OverrideForm
from cchc.workdays.models import Override


def _require_manager(user) -> None:
    if not services.can_manage(user):
        raise PermissionDenied("Chỉ quản trị hệ thống được sửa lịch làm việc.")


def _rows(entries, cal):
    return [
        {"entry": e, "weekday": WEEKDAY_NAMES[e.day.weekday()], "rest": e.day.weekday() in cal.weekly_rest}
        for e in entries
    ]


@login_required
@require_GET
def year_view(request):
    """Lịch làm việc của một năm: ngày nghỉ, thứ Bảy làm bù, tính hạn."""
    cal = selectors.get_calendar_for_unit(request.current_unit)
    raw = request.GET.get("nam", "").strip()
    year = timezone.localdate().year
    error = ""
    if raw:
        if (wanted := parse_int(raw)) is not None and cal.first_year <= wanted <= cal.last_year:
            year = wanted
        else:
            error = f"Năm “{raw}” nằm ngoài phạm vi lịch ({cal.first_year}-{cal.last_year})."
    context = {
        "cal": cal,
        "year": year,
        "error": error,
        "years": range(cal.first_year, cal.last_year + 1),
        "days_off": _rows(cal.days_off(year), cal),
        "worked": _rows(cal.working_weekend_days(year), cal),
        "working_count": cal.working_day_count(year),
        "estimated": year in cal.estimated_years,
        "can_manage": services.can_manage(request.user),
        "due_form": DueDateForm(),
    }
    return render(request, "workdays/year.html", context)


@login_required
@require_GET
def due_date(request):
    """Tính ngày hẹn trả (HTMX fragment, or a full page without JavaScript)."""
    form = DueDateForm(request.GET or None)
    result = info = None
    error = ""
    if form.is_valid():
        cal = selectors.get_calendar_for_unit(request.current_unit)
        try:
            result = cal.add_working_days(form.cleaned_data["ngay"], form.cleaned_data["so_ngay"])
            info = cal.explain(form.cleaned_data["ngay"])
        except CalendarRangeError as exc:
            error = str(exc)
    template = "workdays/_due_date.html" if request.htmx else "workdays/due_date.html"
    return render(request, template, {"due_form": form, "result": result, "info": info, "error": error})


@login_required
@require_http_methods(["GET", "POST"])
def overrides(request):
    """Điều chỉnh lịch của địa phương (chỉ quản trị hệ thống)."""
    _require_manager(request.user)
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            o = services.create_override(request.user, **form.cleaned_data)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, f"Đã thêm điều chỉnh: {o}.")
            return redirect("workdays:overrides")
    return render(request, "workdays/overrides.html", {"form": form, "overrides": selectors.overrides_list()})


@login_required
@require_http_methods(["GET", "POST"])
def override_edit(request, pk: int):
    _require_manager(request.user)
    o = get_object_or_404(Override, pk=pk)
    initial = {
        "day": o.day.strftime("%d/%m/%Y"),
        "kind": o.kind,
        "name": o.name,
        "note": o.note,
        "province": o.province,
    }
    form = OverrideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_override(request.user, o, **form.cleaned_data)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, f"Đã sửa điều chỉnh: {o}.")
            return redirect("workdays:overrides")
    return render(request, "workdays/override_edit.html", {"form": form, "override": o})


@login_required
@require_POST
def override_delete(request, pk: int):
    _require_manager(request.user)
    o = get_object_or_404(Override, pk=pk)
    label = str(o)
    services.delete_override(request.user, o)
    messages.success(request, f"Đã xóa điều chỉnh: {label}.")
    return redirect("workdays:overrides")


def _attach(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)
