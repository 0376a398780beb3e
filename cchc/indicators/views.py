from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cchc.accounts import scope
from cchc.core.importing import ImportRejected
from cchc.indicators import adding, exporting, importing, selectors, services, validation
from cchc.indicators import jobs as indicator_jobs
from cchc.indicators import periods as period_rules
from cchc.indicators.models import Counts, Indicator, Period, Rollup, Source, ValueSource, ValueType
from cchc.indicators.periods import PeriodCodeError, get_period
from cchc.indicators.provenance import codes_to_names, readable_sources
from cchc.jobs.models import Job, JobStatus

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
    sources = readable_sources(values)
    groups: list[dict] = []
    for v in values:
        if not v.indicator.in_appendix and v.indicator.source not in ENTERABLE:
            continue
        if not groups or groups[-1]["code"] != v.indicator.group_code:
            groups.append({"code": v.indicator.group_code, "name": v.indicator.group_name, "rows": []})
        groups[-1]["rows"].append(_row(v, can_edit, warnings_by_code, errors_by_code, sources))
    return groups, can_edit


def _row(v, can_edit, warnings_by_code=None, errors_by_code=None, sources=None) -> dict:
    code = v.indicator.code
    return {
        "v": v,
        "source": (sources or readable_sources([v])).get(code, ""),
        "editable": can_edit and v.indicator.source in ENTERABLE,
        "raw": "" if v.source != ValueSource.ENTERED or v.value is None else _input_text(v),
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
    results, in_background = [], False
    if last.end < first.start:
        error = f"Kỳ cuối {last.code} kết thúc trước khi kỳ đầu {first.code} bắt đầu."
    elif request.GET.get("tu-ky"):
        # a small area answers at once; a province (minutes) only through the background job the form starts
        in_background = not indicator_jobs.analysis_runs_inline(unit)
        if not in_background:
            results = validation.analyse(unit, first, last, user=request.user)
    names = dict(Indicator.objects.values_list("code", "name")) if results else {}
    rule_texts = {r.rule.code: codes_to_names(r.rule.text, names, {}) for r in results}
    return render(
        request,
        "indicators/analysis.html",
        {
            "unit": unit,
            "first": first,
            "last": last,
            "results": [(r, rule_texts[r.rule.code]) for r in results],
            "error": error,
            "ran": bool(request.GET.get("tu-ky")) and not error and not in_background,
            "in_background": in_background,
            "period_choices": _period_choices(),
        },
    )


@login_required
@require_POST
def analysis_start(request):
    """Phân tích kiểm tra chạy nền: the rules over every unit of the area and every period of the range, as a
    job (a province takes minutes); a small area runs in the request through the same code."""
    unit = _unit_from(request)
    year = timezone.localdate().year
    first, error1 = _period_from(request.POST.get("tu-ky", ""), f"{year}-Q1")
    last, error2 = _period_from(request.POST.get("den-ky", ""), f"{year}-NAM")
    error = error1 or error2
    if not error and last.end < first.start:
        error = f"Kỳ cuối {last.code} kết thúc trước khi kỳ đầu {first.code} bắt đầu."
    if error:
        messages.error(request, error)
        return redirect(f"{reverse('indicators:analysis')}?don-vi={unit.code}")
    job = indicator_jobs.start_analysis(request.user, unit, first, last)
    return redirect("indicators:analysis_job", pk=job.pk)


@login_required
@require_GET
def analysis_job(request, pk: int):
    """Tiến độ và kết quả một lần phân tích kiểm tra của người dùng (read from the job row)."""
    from cchc.jobs.views import job_context

    job = _own_job(request, pk, indicator_jobs.ANALYSIS)
    return render(request, "indicators/analysis_job.html", job_context(job))


def _own_job(request, pk: int, kind: str):
    """The user's own job of ``kind`` (404 for anyone else's: the page shows what they uploaded or asked)."""
    job = Job.objects.filter(pk=pk, kind=kind, actor=request.user).first()
    if job is None:
        raise Http404("Không có công việc này.")
    return job


# ---- import from a file (preview = dry run, then confirm; both background jobs) and export -------------------
def _import_page(request, job=None, errors=None):
    """The upload page, with the job of the last check or import when there is one. A finished job answers
    200, or 422 when the file was refused; a job still waiting or running is polled (HTMX) by the page."""
    from cchc.jobs.views import job_context

    context = {"columns": importing.COLUMNS, "errors": errors or [], "job": None, "recent": []}
    if job is None:  # a check or an import left running when the page was closed is found here
        context["recent"] = Job.objects.filter(kind=indicator_jobs.KIND, actor=request.user)[:10]
    else:
        context.update(job_context(job))
        result = job.result or {}
        # the form to choose a file again, unless the preview waits for its confirmation
        context["awaiting_confirm"] = bool(
            job.status == JobStatus.DONE and result.get("dry_run") and result.get("changes")
        )
    refused = errors or (job is not None and job.status in (JobStatus.REJECTED, JobStatus.FAILED))
    return render(request, "indicators/import.html", context, status=422 if refused else 200)


def _after_start(request, job):
    """A job run in the request shows its result at once; a queued one is followed on its own page."""
    if job.active:
        return redirect("indicators:import_job", pk=job.pk)
    return _import_page(request, job)


@login_required
def import_file(request):
    """Nhập số liệu từ tệp: chọn tệp → kiểm tra thử (công việc nền, không lưu) → xác nhận thì mới lưu."""
    if request.method != "POST":
        return _import_page(request)
    upload = request.FILES.get("tep")
    if upload is None:
        return _import_page(request, errors=["Chưa chọn tệp."])
    return _after_start(request, indicator_jobs.start_check(request.user, upload))


@login_required
@require_POST
def import_confirm(request):
    """Lưu tệp đã xem trước (toàn bộ hoặc không gì cả), as a background job; the file is imported once."""
    preview = indicator_jobs.checked_preview(request.user, request.POST.get("ma", ""))
    job = indicator_jobs.start_import(request.user, preview) if preview is not None else None
    if job is None:
        messages.error(request, indicator_jobs.EXPIRED)
        return redirect("indicators:import")
    return _after_start(request, job)


@login_required
@require_GET
def import_job(request, pk: int):
    """Tiến độ và kết quả một lần kiểm tra hoặc nhập tệp của người dùng (read from the job row)."""
    return _import_page(request, _own_job(request, pk, indicator_jobs.KIND))


@login_required
@require_GET
def export_file(request):
    """Tải số liệu đã nhập của đơn vị trong kỳ (CSV hoặc XLSX, cùng các cột với tệp nhập)."""
    unit = _unit_from(request)
    period, error = _period_from(request.GET.get("ky", ""), f"{timezone.localdate().year}-NAM")
    if error:
        raise Http404(error)
    fmt = "xlsx" if request.GET.get("dinh-dang") == "xlsx" else "csv"
    data = exporting.export(unit, period, fmt, include_all=request.GET.get("tat-ca") == "1")
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx" else "text/csv"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="so_lieu_{unit.code}_{period.code}.{fmt}"'
    return response


# ---- indicators a province adds (administrators) -----------------------------------------------------------
_ADDITIONS = "indicator_additions"  # session key: token → the checked rows waiting for confirmation
_FORM_FIELDS = ("code", "name", "unit", "type", "rollup", "counts", "group", "group_name", "after", "stt")


def _require_admin(user) -> None:
    if scope.unit_ids(user, scope.Action.ADMIN) is not None:
        raise PermissionDenied("Chỉ quản trị hệ thống được thêm chỉ tiêu vào danh mục.")


def _row_from_form(post) -> dict:
    row = {k: post.get(k, "").strip() for k in _FORM_FIELDS if post.get(k, "").strip()}
    row["appendix"] = post.get("appendix") == "1"
    numerator = [c.strip() for c in post.get("numerator", "").split(",") if c.strip()]
    if numerator or post.get("denominator", "").strip():
        row["ratio"] = {"numerator": numerator, "denominator": post.get("denominator", "").strip()}
    else:
        row["source"] = Source.ENTERED.value  # the value: the row goes into the catalogue file (YAML)
    return row


@login_required
def add_indicators(request):
    """Thêm chỉ tiêu của tỉnh: một chỉ tiêu từ biểu mẫu hoặc nhiều chỉ tiêu từ tệp YAML/XLSX; kiểm tra thử rồi
    xác nhận (tạo phiên bản danh mục mới, không đổi số liệu đã có)."""
    _require_admin(request.user)
    context: dict = {
        "errors": [],
        "result": None,
        "types": ValueType.choices,
        "rollups": Rollup.choices,
        "counts": Counts.choices,
        "groups": _groups(),
        "form": request.POST,
    }
    if request.method != "POST":
        return render(request, "indicators/add.html", context)
    token = request.POST.get("ma", "")
    pending = request.session.get(_ADDITIONS, {})
    try:
        if token:  # confirmation of a checked addition
            if token not in pending:
                messages.error(request, "Phần kiểm tra đã hết hạn; hãy kiểm tra lại.")
                return redirect("indicators:add")
            result = adding.add_rows(request.user, [tuple(x) for x in pending.pop(token)])
            request.session[_ADDITIONS] = pending
            messages.success(
                request,
                f"Đã tạo danh mục phiên bản {result.details['version']}: thêm "
                f"{result.created} chỉ tiêu; số liệu đã có không thay đổi.",
            )
            return redirect("indicators:add")
        upload = request.FILES.get("tep")
        rows = (
            adding.read_additions(upload.name, upload.read())
            if upload is not None
            else [(None, _row_from_form(request.POST))]
        )
        result = adding.add_rows(request.user, rows, dry_run=True)
    except ImportRejected as exc:
        context["errors"] = [exc.summary(), *map(str, exc.errors)]
        return render(request, "indicators/add.html", context, status=422)
    token = secrets.token_urlsafe(16)
    pending[token] = [list(r) for r in rows]
    request.session[_ADDITIONS] = pending
    context.update(result=result, token=token, rows=[r for _, r in rows])
    return render(request, "indicators/add.html", context)


def _groups() -> list[tuple[str, str]]:
    from cchc.indicators.models import Indicator

    return list(
        Indicator.objects.filter(retired_in__isnull=True)
        .order_by("position")
        .values_list("group_code", "group_name")
        .distinct()
    )
