"""Biểu mẫu của hồ sơ: forms 01-06 of a dossier (DOCX at once; the PDF made by a job, dossiers.jobs, since a
GET converts nothing), register 07, and the lookup key printed on form 01."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cchc.accounts import scope
from cchc.core.siteurl import public_base_url
from cchc.core.vnformat import VietnameseParseError, parse_date
from cchc.documents import pdfjobs
from cchc.dossiers import documents, services
from cchc.dossiers import jobs as dossier_jobs
from cchc.dossiers.models import Dossier

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def document_response(name: str, data: bytes) -> HttpResponse:
    """A filled form as a DOCX download (officers edit before signing; the PDF of forms 01-06 is a job)."""
    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _form_dossier(request: HttpRequest, pk: int, number: str) -> Dossier:
    """The dossier, if the user sees it and form ``number`` applies to it (404 otherwise)."""
    d = scope.access(Dossier.objects.select_related("unit", "procedure", "field"), request.user, pk=pk)
    if number not in dict(documents.available_forms(d)):
        raise Http404("Biểu mẫu này không áp dụng cho hồ sơ.")
    return d


@login_required
@require_GET
def dossier_form(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    """Một biểu mẫu của hồ sơ (01-06) as DOCX; ``?pdf=1`` (the old PDF link) leads to the PDF page."""
    d = _form_dossier(request, pk, number)
    if request.GET.get("pdf"):
        return redirect("dossiers:form_pdf", pk=d.pk, number=number)
    # The receipt's QR code carries the public lookup address: CCHC_PUBLIC_URL, else this request's.
    name, data = documents.render_form(d, number, base_url=public_base_url(request), actor=request.user)
    return document_response(name, data)


@login_required
@require_GET
def form_pdf(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    """The form's PDF once a job made it from this very content; else the job making it (polled) or its
    button. The DOCX is filled again to know its content: cheap, and a GET writes nothing."""
    d = _form_dossier(request, pk, number)
    name, _, digest = dossier_jobs.form_docx(d, number, public_base_url(request))
    path = dossier_jobs.form_pdf_path(d.pk, number, digest)
    if path.exists():
        pdf_name = name.removesuffix(".docx") + ".pdf"
        return FileResponse(path.open("rb"), as_attachment=True, filename=pdf_name, content_type="application/pdf")
    job = dossier_jobs.form_pdf_jobs(d, number, digest).first()
    context = {"d": d, "number": number, "label": documents.FORM_LABELS[number], **pdfjobs.page_context(job)}
    return render(request, "dossiers/form_pdf.html", context)


@login_required
@require_POST
def form_pdf_start(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    """Tạo bản PDF of the form as the dossier stands now (a job), then back to the PDF page and its progress."""
    d = _form_dossier(request, pk, number)
    base_url = public_base_url(request)
    _, _, digest = dossier_jobs.form_docx(d, number, base_url)
    if not dossier_jobs.form_pdf_path(d.pk, number, digest).exists():
        dossier_jobs.start_form_pdf(request.user, d, number, digest=digest, base_url=base_url)
    return redirect("dossiers:form_pdf", pk=d.pk, number=number)


@login_required
@require_POST
def issue_key(request: HttpRequest, pk: int) -> HttpResponse:
    """Cấp mã tra cứu for a dossier that has none (imported from the provincial system), then back to it."""
    d = scope.access(Dossier.objects.select_related("unit"), request.user, scope.Action.EDIT, pk=pk)
    services.issue_lookup_key(d, actor=request.user)
    messages.success(request, "Đã cấp mã tra cứu; in lại giấy tiếp nhận (mẫu 01) để giao người nộp hồ sơ.")
    return redirect("dossiers:detail", pk=d.pk)


@login_required
@require_GET
def register_form(request: HttpRequest) -> HttpResponse:
    """Mẫu 07, Sổ theo dõi hồ sơ, of the current unit over ?tu=dd/mm/yyyy&den=dd/mm/yyyy (DOCX)."""
    try:
        start = parse_date(request.GET.get("tu", ""))
        end = parse_date(request.GET.get("den", ""))
    except VietnameseParseError as exc:
        messages.error(request, f"Sổ theo dõi hồ sơ: {exc}")
        return redirect("dossiers:list")
    if end < start or (end - start).days > 366:
        messages.error(request, "Sổ theo dõi hồ sơ: khoảng ngày phải hợp lệ và không quá một năm.")
        return redirect("dossiers:list")
    from cchc.org.selectors import load_graph

    # A one-stop clerk works in the commune's section; the register is the commune's.
    unit_id = scope.governing_unit_id(load_graph(), request.current_unit.pk)
    name, data = documents.render_register(request.user, unit_id, start, end)
    return document_response(name, data)
