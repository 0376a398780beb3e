from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cchc.accounts import scope
from cchc.indicators import periods as period_rules
from cchc.indicators import selectors, services, validation
from cchc.indicators.models import Period, Source
from cchc.indicators.periods import PeriodCodeError, get_period

# A computed figure may be typed over (copied from the provincial one-stop system); ratios never.
ENTERABLE = (Source.ENTERED, Source.COMPUTED)


def _period_from(raw: str, default: str) -> tuple[Period, str]:
    try:
        return get_period(raw or default), ""
    except PeriodCodeError as exc:
        return get_period(default), str(exc)


def _period_choices() -> list[str]:
    year = timezone.localdate().year
    return [f"{y}-{s}" for y in range(year, year - 6, -1) for s in reversed(period_rules.report_suffixes())]


def _unit_from(request, param: str = "don-vi"):
    code = request.GET.get(param) or request.POST.get(param)
    if code:
        return scope.access_unit(request.user, code, scope.Action.VIEW)
    unit = request.current_unit
    if not unit:
        raise Http404("Chưa chọn đơn vị.")
    return scope.access_unit(request.user, unit.pk, scope.Action.VIEW)


def _rows(unit, period, user, context=None, warnings_by_code=None, errors_by_code=None):
    values = selectors.values_for(unit, period, context=context)
    can_edit = scope.can(user, scope.Action.EDIT, unit)
    groups: list[dict] = []
    for v in values:
        if not v.indicator.in_appendix and v.indicator.source not in ENTERABLE:
            continue
        if not groups or groups[-1]["code"] != v.indicator.group_code:
            groups.append({"code": v.indicator.group_code, "name": v.indicator.group_name, "rows": []})
        groups[-1]["rows"].append(_row(v, can_edit, warnings_by_code, errors_by_code))
    return groups, can_edit


def _row(v, can_edit, warnings_by_code=None, errors_by_code=None) -> dict:
    code = v.indicator.code
    return {
        "v": v,
        "editable": can_edit and v.indicator.source in ENTERABLE,
        "raw": "" if v.source != "entered" or v.value is None else _input_text(v),
        "warnings": (warnings_by_code or {}).get(code, []),
        "error": (errors_by_code or {}).get(code, ""),
    }


def _input_text(v) -> str:
    value = v.value
    return str(int(value)) if value == value.to_integral_value() else str(value).replace(".", ",")


@login_required
@require_GET
def index(request):
    """Số liệu chỉ tiêu của đơn vị đang xem trong một kỳ, nhập tay ngay trên bảng."""
    unit = _unit_from(request)
    period, error = _period_from(request.GET.get("ky", ""), f"{timezone.localdate().year}-NAM")
    groups, can_edit = _rows(unit, period, request.user)
    check = validation.check_submission(unit, period)
    return render(
        request,
        "indicators/index.html",
        {
            "unit": unit,
            "period": period,
            "groups": groups,
            "can_edit": can_edit,
            "error": error,
            "period_choices": _period_choices(),
            "check": check,
        },
    )


@login_required
@require_POST
def enter(request):
    """Nhập một số liệu (HTMX: trả lại dòng của bảng với cảnh báo của quy tắc kiểm tra)."""
    unit = _unit_from(request)
    period, _ = _period_from(request.POST.get("ky", ""), f"{timezone.localdate().year}-NAM")
    code = request.POST.get("chi-tieu", "")
    errors: dict[str, str] = {}
    warnings: dict[str, list] = {}
    try:
        result = services.enter_value(
            request.user, unit, period, code, request.POST.get("so-lieu", ""), request.POST.get("ghi-chu", "")
        )
        warnings[code] = result.warnings
    except ValidationError as exc:
        errors[code] = " ".join(exc.messages)
    if not request.htmx:
        return redirect(reverse("indicators:index") + f"?don-vi={unit.code}&ky={period.code}")
    value = selectors.value_of(unit, period, code)
    row = _row(value, True, warnings, errors)
    if errors:
        row["raw"] = request.POST.get("so-lieu", "")
    return render(request, "indicators/_row.html", {"row": row, "unit": unit, "period": period})


@login_required
@require_GET
def analysis(request):
    """Phân tích kiểm tra số liệu cho người thẩm định: một địa bàn, nhiều kỳ, không giới hạn số kết quả."""
    unit = _unit_from(request)
    year = timezone.localdate().year
    first, error1 = _period_from(request.GET.get("tu-ky", ""), f"{year}-Q1")
    last, error2 = _period_from(request.GET.get("den-ky", ""), f"{year}-NAM")
    error = error1 or error2
    results = []
    if last.end < first.start:
        error = f"Kỳ cuối {last.code} kết thúc trước khi kỳ đầu {first.code} bắt đầu."
    elif request.GET.get("tu-ky"):
        results = validation.analyse(unit, first, last, user=request.user)
    return render(
        request,
        "indicators/analysis.html",
        {
            "unit": unit,
            "first": first,
            "last": last,
            "results": results,
            "error": error,
            "ran": bool(request.GET.get("tu-ky")) and not error,
            "period_choices": _period_choices(),
        },
    )
