"""Màn hình sổ văn bản chỉ đạo, điều hành CCHC."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cchc.accounts import scope
from cchc.accounts.middleware import current_unit_of
from cchc.core.errors import add_to_form
from cchc.core.vnformat import VietnameseParseError, parse_date
from cchc.directives import selectors, services
from cchc.directives.forms import AttachForm, DocumentForm
from cchc.directives.models import OFFICIAL_LETTER_NAME
from cchc.documents.symbols import document_types


def _safe_next(request, default: str) -> str:
    nxt = request.POST.get("next", "")
    return nxt if nxt.startswith("/") and not nxt.startswith("//") else default


def _date_param(request, name: str, errors: list[str]):
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return parse_date(raw)
    except VietnameseParseError as exc:
        errors.append(str(exc))
        return None


@login_required
def index(request):
    unit = current_unit_of(request)
    errors: list[str] = []
    type_param = request.GET.get("loai")
    type_code = None if type_param in (None, "*") else type_param
    start, end = _date_param(request, "tu", errors), _date_param(request, "den", errors)
    q = request.GET.get("q", "").strip()
    base = selectors.documents_for(request.user, unit=unit, q=q, start=start, end=end)
    docs = base if type_code is None else base.filter(type_code=type_code)
    return render(
        request,
        "directives/index.html",
        {
            "unit": unit,
            "documents": docs[:500],
            "total": docs.count(),
            "counts": selectors.counts_by_type(base),
            "types": [("", OFFICIAL_LETTER_NAME), *document_types().items()],
            "q": q,
            "loai": type_param or "*",
            "tu": request.GET.get("tu", ""),
            "den": request.GET.get("den", ""),
            "errors": errors,
            "can_edit": unit is not None and scope.can(request.user, scope.Action.EDIT, unit),
        },
    )


def _data(cleaned) -> services.DocumentData:
    return services.DocumentData(
        symbol=cleaned["symbol"],
        issued_on=cleaned["issued_on"],
        summary=cleaned["summary"],
        signer=cleaned.get("signer") or "",
        note=cleaned.get("note") or "",
    )


@login_required
def create(request):
    unit = current_unit_of(request)
    if unit is None:
        raise Http404("Chưa chọn đơn vị.")
    scope.require(request.user, scope.Action.EDIT, unit)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            doc = services.save_document(request.user, unit, _data(form.cleaned_data), file=form.cleaned_data["file"])
        except services.DirectiveError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"Đã vào sổ {doc}.")
            return redirect("directives:detail", doc.pk)
    return render(request, "directives/form.html", {"form": form, "unit": unit})


@login_required
def edit(request, document_id: int):
    doc = selectors.get_document(request.user, document_id, scope.Action.EDIT)
    initial = {
        "symbol": doc.symbol,
        "issued_on": doc.issued_on,
        "summary": doc.summary,
        "signer": doc.signer,
        "note": doc.note,
    }
    form = DocumentForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_document(
                request.user, doc.unit, _data(form.cleaned_data), file=form.cleaned_data["file"], document=doc
            )
        except services.DirectiveError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Đã lưu văn bản.")
            return redirect("directives:detail", doc.pk)
    return render(request, "directives/form.html", {"form": form, "unit": doc.unit, "document": doc})


@login_required
def detail(request, document_id: int):
    doc = selectors.get_document(request.user, document_id)
    return render(
        request,
        "directives/detail.html",
        {
            "document": doc,
            "targets": selectors.evidence_targets(doc),
            "can_edit": scope.can(request.user, scope.Action.EDIT, doc.unit),
        },
    )


@login_required
@require_POST
def delete(request, document_id: int):
    doc = selectors.get_document(request.user, document_id, scope.Action.EDIT)
    services.delete_document(request.user, doc)
    messages.success(request, f"Đã xóa văn bản {doc.symbol}.")
    return redirect("directives:index")


@login_required
def download(request, document_id: int):
    doc = selectors.get_document(request.user, document_id)
    if not doc.file:
        raise Http404("Văn bản chưa có tệp.")
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=Path(doc.file.name).name)


@login_required
@require_POST
def attach(request):
    form = AttachForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Chọn văn bản cần gắn.")
        return redirect(_safe_next(request, "/"))
    doc = selectors.get_document(request.user, form.cleaned_data["document"])
    try:
        ct = ContentType.objects.get_for_id(form.cleaned_data["content_type"])
    except ContentType.DoesNotExist as exc:
        raise Http404("Không tìm thấy đối tượng.") from exc
    model = ct.model_class()
    try:
        target = model._default_manager.get(pk=form.cleaned_data["object_id"])
        unit = services.owner_unit(target)
    except (model.DoesNotExist, ValueError, services.DirectiveError) as exc:
        raise Http404("Không tìm thấy đối tượng.") from exc
    # The target must be visible to the user: a foreign id answers 404 like a missing one.
    if not scope.can(request.user, scope.Action.VIEW, unit):
        raise Http404("Không tìm thấy đối tượng.")
    try:
        services.attach_evidence(request.user, doc, target, form.cleaned_data["note"])
    except services.DirectiveError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã gắn văn bản {doc.symbol} làm minh chứng.")
    return redirect(_safe_next(request, "/"))


@login_required
@require_POST
def detach(request, link_id: int):
    link = selectors.get_link(request.user, link_id)
    services.detach_evidence(request.user, link)
    messages.success(request, f"Đã gỡ văn bản {link.document.symbol} khỏi minh chứng.")
    return redirect(_safe_next(request, "/"))
