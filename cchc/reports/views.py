from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from cchc.accounts import scope
from cchc.core.downloads import Column, Kind, table_download, wants_xlsx
from cchc.core.errors import Conflict
from cchc.core.params import MAX_INT, parse_int, required_int
from cchc.core.uploads import UploadKind, UploadRefused, check_upload
from cchc.documents import approvals
from cchc.documents import views as doc_views
from cchc.documents.rendering import DocumentError
from cchc.indicators import periods as period_rules
from cchc.indicators.periods import PeriodCodeError, get_period
from cchc.indicators.selectors import ValueContext, current_indicators
from cchc.jobs.models import JobStatus
from cchc.reports import charts, editor_text, output, placeholders, provenance, selectors, services
from cchc.reports import jobs as report_jobs
from cchc.reports.models import FiguresFrom, Report, ReportSection, Status

MAX_UPLOAD = 20 * 1024 * 1024


def _default_period() -> str:
    return f"{timezone.localdate().year}-NAM"


def _period(raw: str):
    try:
        return get_period(raw or _default_period()), ""
    except PeriodCodeError as exc:
        return get_period(_default_period()), str(exc)


def _period_choices(current=None) -> list[tuple[str, str]]:
    """(code, name) of the report periods of this year and the five before, newest first (plus the period
    shown, if older): the chooser shows "Quý III năm 2026", never the code."""
    year = timezone.localdate().year
    codes = [f"{y}-{s}" for y in range(year, year - 6, -1) for s in reversed(period_rules.report_suffixes())]
    if current is not None and current.code not in codes:
        codes.append(current.code)
    return [(code, get_period(code).name) for code in codes]


def _unit(request):
    code = request.GET.get("don-vi") or request.POST.get("don-vi")
    if code:
        return scope.access_unit(request.user, code, scope.Action.VIEW)
    if not request.current_unit:
        raise Http404("Chưa chọn đơn vị.")
    return scope.access_unit(request.user, request.current_unit.pk, scope.Action.VIEW)


def preview_html(text: str, figures) -> str:
    """The section text with figure chips (value, and the provenance on hover/focus)."""
    parts = []
    for seg in placeholders.segments(text, figures):
        if seg.figure is None:
            parts.append(format_html("{}", seg.text))
        else:
            css = "chip missing" if seg.figure.missing else "chip"
            title = seg.figure.source or seg.name
            parts.append(
                format_html(
                    '<span class="{}" tabindex="0" title="{}" data-code="{}">{}</span>', css, title, seg.name, seg.text
                )
            )
    # every part was escaped by format_html above, so the joined text is safe
    paragraphs = "".join(parts).split("\n")
    return format_html_join("", "<p>{}</p>", ((mark_safe(p),) for p in paragraphs if p.strip()))


@login_required
@require_GET
def index(request):
    """Báo cáo của đơn vị đang xem; tình hình gửi báo cáo của các đơn vị trực thuộc trong kỳ."""
    unit = _unit(request)
    period, error = _period(request.GET.get("ky", ""))
    reports = selectors.reports_visible(request.user).filter(unit=unit).order_by("-period__start")
    current = reports.filter(period=period).first()
    table = selectors.submission_status(unit, period)
    return render(
        request,
        "reports/index.html",
        {
            "unit": unit,
            "period": period,
            "error": error,
            "reports": reports,
            "current": current,
            "table": table,
            "can_edit": scope.can(request.user, scope.Action.EDIT, unit),
            "period_choices": _period_choices(period),
            "inbox_count": selectors.inbox(request.user).count(),
        },
    )


@login_required
@require_POST
def create(request):
    unit = _unit(request)
    period, error = _period(request.POST.get("ky", ""))
    if error:
        messages.error(request, error)
        return redirect(reverse("reports:index") + f"?don-vi={unit.code}")
    try:
        report = services.create_report(request.user, unit, period)
    except (ValidationError, LookupError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(reverse("reports:index") + f"?don-vi={unit.code}&ky={period.code}")
    messages.success(request, f"Đã tạo báo cáo {period.name}: nội dung và số liệu đã được điền sẵn.")
    return redirect("reports:detail", pk=report.pk)


def _section_item(section: ReportSection, figures, labels: editor_text.Labels) -> dict:
    """One section as the editor shows it: heading filled, text with names instead of codes, preview."""
    return {
        "s": section,
        "heading": placeholders.fill(section.heading, figures),
        "editor_text": editor_text.to_editor(section.text, labels),
        "preview": preview_html(section.text, figures),
    }


def _labels() -> editor_text.Labels:
    return editor_text.labels_for(current_indicators())


def _figures(report: Report, context: ValueContext | None = None):
    """The report's rows (with readable sources), its table by unit and its placeholders' figures. A draft's
    figures, and their sources, come from one reading of its period (``context``, made here if not given)."""
    if context is None and report.is_editable:
        context = ValueContext(report.period)
    rows, by_unit = selectors.report_rows(report, context=context)
    rows = provenance.readable_rows(report, rows, context)
    graph = context.graph if context is not None else None
    placeholders_of_period = selectors.context_figures(report.unit, report.period, graph=graph)
    return rows, by_unit, selectors.figures_for(rows, placeholders_of_period)


def _charts(report: Report, by_unit: list[dict], context: ValueContext | None) -> list:
    """The report page's charts: the unit's figures over the year's report periods, and the units below."""
    trend = selectors.trend(report.unit, report.period.year, until=report.period.end, context=context)
    chart_list = [
        charts.line_chart(
            "Tỷ lệ giải quyết đúng hạn theo kỳ",
            trend["labels"],
            [charts.Series("Đúng hạn và trước hạn", trend["on_time"])],
            percent=True,
        ),
        charts.bar_chart(
            "Hồ sơ tiếp nhận và đã giải quyết theo kỳ",
            trend["labels"],
            [charts.Series("Tiếp nhận", trend["received"]), charts.Series("Đã giải quyết", trend["resolved"])],
        ),
        charts.bar_chart(
            "Tỷ lệ hồ sơ xử lý trực tuyến theo kỳ",
            trend["labels"],
            [charts.Series("Trực tuyến", trend["online"])],
            percent=True,
        ),
    ]
    codes = list(selectors.load_outlines().by_unit_columns) if by_unit else []
    code = selectors.dossier_codes(report.unit)["on_time"].replace("district", "commune")
    if code in codes:
        chart_list.append(
            charts.bar_chart(
                "Tỷ lệ giải quyết đúng hạn theo đơn vị",
                [u["name"] for u in by_unit],
                [
                    charts.Series(
                        "Đúng hạn", [None if u["raw"].get(code) is None else Decimal(u["raw"][code]) for u in by_unit]
                    )
                ],
                percent=True,
            )
        )
    return chart_list


def _signed_approval(report: Report):
    """The approval of the last signed version, if any."""
    versions = report.versions.exclude(approval=None).select_related("approval").defer("docx", "uploaded")
    return next((v.approval for v in versions.order_by("-number") if v.approval.is_signed), None)


def _detail_context(request, report: Report) -> dict:
    # One reading of the report's period serves its figures, their sources and the trend's own period.
    context = ValueContext(report.period) if report.is_editable else None
    rows, by_unit, figures = _figures(report, context)
    labels = editor_text.labels_for(context.indicators) if context is not None else _labels()
    sections = [_section_item(s, figures, labels) for s in report.sections.all()]
    header = {
        name: editor_text.to_editor(getattr(report, name), labels)
        for name in ("summary", "addressee", "intro", "closing")
    }
    header["recipients"] = "\n".join(editor_text.to_editor(r, labels) for r in report.recipients)
    header["summary_filled"] = placeholders.fill(report.summary, figures)
    can_edit = report.is_editable and scope.can(request.user, scope.Action.EDIT, report.unit)
    approval = services.approval_for(report)
    signed = _signed_approval(report)
    shown_version = report.versions.order_by("-number").defer("docx", "uploaded").first()
    charts = _charts(report, by_unit, context)
    if context is not None:  # the draft's live figures, kept for the next view while their records stay
        context.flush()
    return {
        "header": header,
        "approval": approval,
        "signed_approval": signed,
        "last_version": shown_version,
        "verification": doc_views.verification_of(signed) if signed and not report.is_editable else None,
        "can_send": report.status == Status.APPROVED and scope.can(request.user, scope.Action.EDIT, report.unit),
        "can_sign": approval is not None and scope.can(request.user, scope.Action.SIGN, report.unit),
        "report": report,
        "sections": sections,
        "appendix": selectors.appendix_rows(rows),
        "by_unit": by_unit,
        "by_unit_headers": selectors.by_unit_headers() if by_unit else [],
        "charts": charts,
        "versions": report.versions.order_by("-number").defer("docx", "uploaded"),
        "can_edit": can_edit,
        "can_review": _can_review(request.user, report),
        "frozen": not report.is_editable,
        "rollup": report.figures_from == FiguresFrom.ROLLUP,
    }


def _can_review(user, report: Report) -> bool:
    if report.status != Status.SUBMITTED:
        return False
    try:
        services._require_reviewer(user, report)
    except (PermissionDenied, Http404):
        return False
    return True


@login_required
@require_GET
def detail(request, pk: int):
    """Soạn báo cáo: các mục (tự động lưu), số liệu liên kết, phụ lục, biểu đồ, phiên bản đã gửi."""
    report = selectors.get_report(request.user, pk)
    return render(request, "reports/detail.html", _detail_context(request, report))


@login_required
@require_POST
def section(request, pk: int):
    """Tự động lưu một mục (HTMX). A stale revision answers 409 with the other person's text."""
    sec = get_object_or_404(ReportSection.objects.select_related("report"), pk=pk)
    report = selectors.get_report(request.user, sec.report_id, scope.Action.EDIT)
    try:
        revision = int(request.POST.get("revision", "-1"))
    except ValueError:
        revision = -1
    status, error, conflict = 200, "", None
    labels = _labels()
    text = editor_text.from_editor(request.POST.get("text", ""), labels)
    try:
        sec = services.save_section(request.user, sec, text, revision)
    except Conflict as exc:
        status, error, conflict = 409, str(exc), exc.current
    except ValidationError as exc:
        status, error = 400, " ".join(exc.messages)
    rows, _, figures = _figures(report)
    shown = conflict or sec
    unknown = [p.name for p in placeholders.check(text, set(rows))]
    response = render(
        request,
        "reports/_section.html",
        {
            "item": _section_item(shown, figures, labels),
            "can_edit": True,
            "error": error,
            "report": report,
            "typed": request.POST.get("text", "") if conflict else None,
            "unknown": unknown,
            "saved": status == 200,
        },
    )
    response.status_code = status
    return response


@login_required
@require_POST
def header(request, pk: int):
    report = selectors.get_report(request.user, pk, scope.Action.EDIT)
    labels = _labels()  # the form shows [names]; the report keeps placeholders
    fields = {f: editor_text.from_editor(request.POST.get(f, ""), labels) for f in services.HEADER_FIELDS}
    fields["recipients"] = editor_text.from_editor(request.POST.get("recipients", ""), labels)
    try:
        services.update_header(request.user, report, required_int(request.POST, "lock_version"), **fields)
        messages.success(request, "Đã lưu phần đầu và chữ ký của báo cáo.")
    except Conflict as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reports:detail", pk=report.pk)


@login_required
def submit(request, pk: int):
    """Trình ký (a draft: validation results, comment) or gửi cấp trên (a report the leader approved)."""
    report = selectors.get_report(request.user, pk, scope.Action.EDIT)
    if report.status == Status.APPROVED:
        return _send(request, report)
    error = ""
    if request.method == "POST":
        try:
            version = services.request_signature(
                request.user,
                report,
                request.POST.get("comment", ""),
                lock_version=_int(request.POST.get("lock_version")),
            )
            messages.success(request, f"Đã trình lãnh đạo ký duyệt (phiên bản {version.number}).")
            return redirect("reports:detail", pk=report.pk)
        except services.SubmissionBlocked:
            error = "Chưa trình được: số liệu còn sai lệch mức độ cao, hãy sửa số liệu trước."
        except Conflict as exc:
            error = str(exc)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except DocumentError as exc:
            error = str(exc)
    pre = services.pre_submit(report) if report.is_editable else None
    lines = {}
    if pre is not None:  # the rules' formulas with names, not codes
        lines = {
            "blocking": [(r.rule.message, pre.readable(r.rule.text)) for r in pre.check.blocking],
            "warnings": [(r.rule.message, pre.readable(r.rule.text)) for r in pre.check.warnings]
            + [(r.rule.message, pre.readable(r.reason)) for r in pre.check.errors],
        }
    return render(
        request,
        "reports/submit.html",
        {"report": report, "pre": pre, "error": error, "lines": lines, "comment": request.POST.get("comment", "")},
    )


def _int(raw: str | None) -> int | None:
    return parse_int(raw, minimum=-MAX_INT)


def _send(request, report: Report):
    """Gửi cấp trên: the approved version, signed or not (the page says which)."""
    error = ""
    if request.method == "POST":
        uploaded = None
        upload = request.FILES.get("tep")
        if upload is not None:
            if upload.size > MAX_UPLOAD or not upload.name.lower().endswith(".docx"):
                error = "Tệp tải lên phải là .docx, không quá 20 MB."
            else:
                try:  # the 20 MB cap counts compressed bytes; the guard counts what unzips
                    check_upload(upload, upload.name, UploadKind.DOCUMENT)
                    uploaded = (upload.name, upload.read())
                except UploadRefused as exc:
                    error = str(exc)
        if not error:
            try:
                version = services.submit_report(request.user, report, uploaded=uploaded)
                report.refresh_from_db()
                late = " (gửi muộn so với hạn " + report.due_date.strftime("%d/%m/%Y") + ")" if report.is_late else ""
                messages.success(request, f"Đã gửi báo cáo số {report.number}, phiên bản {version.number}{late}.")
                return redirect("reports:detail", pk=report.pk)
            except ValidationError as exc:
                error = " ".join(exc.messages)
    approval = services.approval_for(report)
    return render(request, "reports/send.html", {"report": report, "approval": approval, "error": error})


@login_required
@require_POST
def review(request, pk: int):
    report = selectors.get_report(request.user, pk)
    decision = request.POST.get("decision", "")
    try:
        services.review_report(request.user, report, decision, request.POST.get("comment", ""))
        messages.success(request, "Đã tiếp nhận báo cáo." if decision == "accept" else "Đã trả lại báo cáo.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_GET
def figure_picker(request, pk: int):
    """Chèn số liệu (HTMX): the report's figures whose name matches the words typed, accents optional."""
    from cchc.core.text import fold

    report = selectors.get_report(request.user, pk, scope.Action.EDIT)
    rows, _, figures = _figures(report)
    labels = _labels()
    words = fold(request.GET.get("q", "")).split()
    found = []
    for code, label in labels.by_code.items():
        figure = figures.get(code)
        row = rows.get(code)
        if figure is None or (row is not None and row.is_heading):
            continue
        if all(w in fold(label) for w in words):
            found.append(
                {
                    "label": label,
                    "token": f"[{label}]",
                    "value": figure.display if not figure.missing else placeholders.missing_mark(),
                    "missing": figure.missing,
                    "source": figure.source,
                }
            )
        if len(found) >= 30:
            break
    return render(request, "reports/_figure_picker.html", {"found": found, "q": request.GET.get("q", "")})


CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _version_asked(report: Report, number: str | None):
    """The version ``?phien-ban=`` names (404 when there is none), else the last one of a report no longer
    editable, else None: the draft."""
    wanted = parse_int(number)
    version = report.versions.filter(number=wanted).first() if wanted is not None else None
    if number and version is None:
        raise Http404("Không có phiên bản này.")
    if version is None and not report.is_editable:
        version = report.versions.order_by("-number").first()
    return version


def _attachment(data: bytes, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def download(request, pk: int, fmt: str):
    """Tải báo cáo: a submitted version's DOCX is the very file sent; a draft is rendered now. A PDF is made
    by a background job (LibreOffice takes seconds): served when made, else the page that makes it."""
    report = selectors.get_report(request.user, pk)
    if fmt not in CONTENT_TYPES and fmt != "goc":
        raise Http404("Định dạng không có.")
    version = _version_asked(report, request.GET.get("phien-ban"))
    if fmt == "pdf":
        return _pdf_page(request, report, version)
    if fmt == "goc":
        if version is None or not version.uploaded:
            raise Http404("Phiên bản này không có tệp tải lên.")
        return _attachment(bytes(version.uploaded), version.uploaded_name, "docx")
    doc = output.document_for(report, version)
    try:
        if fmt == "docx":
            data = bytes(version.docx) if version is not None else output.render_docx(doc)
        else:
            data = output.render_xlsx(doc)
    except DocumentError as exc:
        messages.error(request, str(exc))
        return redirect("reports:detail", pk=report.pk)
    return _attachment(data, output.file_name(report, fmt), fmt)


def _pdf_page(request, report: Report, version):
    """The PDF of a version once its job made it; otherwise the job making it ("Đang tạo bản PDF…", polled)
    or the button that starts one. A draft's PDF is the user's last one, made from the content of then."""
    from cchc.jobs.views import job_context

    if version is not None and (path := report_jobs.stored_version_pdf(version)) is not None:
        return _attachment(path.read_bytes(), output.file_name(report, "pdf"), "pdf")
    made = report_jobs.pdf_jobs(report, version)
    job = (made if version is not None else made.filter(actor=request.user)).first()
    context = {"report": report, "version": version, "job": None, "can_start": True}
    # a version's finished job whose file is not there made the PDF of an earlier DOCX (before the approval
    # stamp): only the button is shown
    if job is not None and not (version is not None and job.status == JobStatus.DONE):
        context.update(job_context(job))
        context["can_start"] = not job.active
    return render(request, "reports/pdf.html", context)


@login_required
@require_POST
def pdf_start(request, pk: int):
    """Tạo bản PDF: queue the job (a version's PDF is made once), then show its progress."""
    report = selectors.get_report(request.user, pk)
    version = _version_asked(report, request.POST.get("phien-ban"))
    if version is None or report_jobs.stored_version_pdf(version) is None:
        report_jobs.start_pdf(request.user, report, version)
    url = reverse("reports:download", args=[report.pk, "pdf"])
    return redirect(f"{url}?phien-ban={version.number}" if version is not None else url)


@login_required
@require_GET
def draft_pdf(request, pk: int, job_pk: int):
    """The PDF of the draft a job made (kept under the job's number)."""
    report = selectors.get_report(request.user, pk)
    if not report_jobs.pdf_jobs(report, None).filter(pk=job_pk, actor=request.user).exists():
        raise Http404("Không có bản PDF này.")
    path = report_jobs.draft_pdf_path(report.pk, job_pk)
    if not path.exists():
        raise Http404("Bản PDF chưa được tạo xong hoặc đã bị xóa.")
    return _attachment(path.read_bytes(), output.file_name(report, "pdf"), "pdf")


@login_required
@require_GET
def inbox(request):
    """Hộp thư tiếp nhận báo cáo của cấp trên: who approved each report, and whether it is signed."""
    reports = list(selectors.inbox(request.user))
    for report in reports:
        report.signoff = approvals.history(report).last()  # the PDFs themselves are not loaded
    return render(request, "reports/inbox.html", {"reports": reports})


def _status_xlsx(table):
    """Tình hình gửi báo cáo as XLSX: one row per unit that must report."""
    from django.utils import timezone

    columns = [
        Column("Mã đơn vị", width=16),
        Column("Đơn vị", width=32),
        Column("Tình hình", width=16),
        Column("Gửi lần đầu", Kind.DATE, 14),
        Column("Trạng thái", width=28),
    ]
    rows = [
        (
            r.unit.code,
            r.unit.name,
            r.label,
            timezone.localtime(r.report.first_submitted_at).date()
            if r.report and r.report.first_submitted_at
            else None,
            r.report.get_status_display() if r.report else "Chưa có báo cáo",
        )
        for r in table.rows
    ]
    return table_download(
        "Tình hình gửi báo cáo",
        columns,
        rows,
        title=f"TÌNH HÌNH GỬI BÁO CÁO — {table.period.name}",
        subtitle=table.parent.name,
    )


@login_required
@require_GET
def status(request):
    """Tình hình gửi báo cáo của các đơn vị trực thuộc theo kỳ."""
    unit = _unit(request)
    period, error = _period(request.GET.get("ky", ""))
    table = selectors.submission_status(unit, period, user=request.user)
    if wants_xlsx(request) and table.rows:
        return _status_xlsx(table)
    chart = None
    if table.rows:
        chart = charts.bar_chart(
            "Tình hình gửi báo cáo",
            ["Đúng hạn", "Muộn", "Chưa gửi"],
            [charts.Series("Số đơn vị", [table.count("on_time"), table.count("late"), table.count("missing")])],
        )
    return render(
        request,
        "reports/status.html",
        {
            "unit": unit,
            "period": period,
            "table": table,
            "error": error,
            "period_choices": _period_choices(period),
            "chart": chart,
        },
    )
