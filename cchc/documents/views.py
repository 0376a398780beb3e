"""Trình ký, ký duyệt, ký số và kiểm tra chữ ký số (thin views over ``approvals`` and ``signing``)."""

from __future__ import annotations

import os
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cchc.accounts import scope
from cchc.core.errors import Conflict
from cchc.core.params import required_int
from cchc.core.uploads import UploadKind, UploadRefused, check_upload
from cchc.documents import approvals, signing
from cchc.documents.models import Approval, ApprovalState

SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"


def pkcs11_lib() -> str:
    """The PKCS#11 module of the signing tokens, set by the administrator (``CCHC_PKCS11_LIB``); a path
    typed in a form is never loaded. Without the setting, SoftHSM2 when installed (tests, demo)."""
    configured = os.environ.get("CCHC_PKCS11_LIB", "")
    if configured:
        return configured
    return SOFTHSM if Path(SOFTHSM).exists() else ""


def _errors(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def verification_of(approval: Approval) -> signing.Verification | None:
    """The signed PDF checked now, against the trust roots configured now (a GET writes nothing)."""
    if not approval.is_signed:
        return None
    return signing.verify_pdf(bytes(approval.signed_pdf))


@login_required
@require_GET
def pending(request):
    """Chờ ký duyệt: what the unit's officers sent to this leader."""
    waiting = approvals.pending_for(request.user)
    decided = (
        scope.scoped(
            Approval.objects.exclude(state=ApprovalState.PENDING).filter(decided_by=request.user), request.user
        )
        .defer("signed_pdf", "pdf_to_sign")
        .order_by("-decided_at")[:20]
    )
    return render(request, "documents/pending.html", {"waiting": waiting, "decided": decided})


@login_required
@require_GET
def approval(request, pk: int):
    """Trang ký duyệt một văn bản: nội dung trình, lịch sử trình ký, ký duyệt / trả lại, ký số."""
    item = approvals.get_approval(request.user, pk)
    kind = approvals.kind_of(item)
    obj = kind.load(item.object_id)
    rounds = Approval.objects.filter(object_type=item.object_type, object_id=item.object_id).order_by("round")
    can_sign = scope.can(request.user, scope.Action.SIGN, item.unit_id)
    can_edit = scope.can(request.user, scope.Action.EDIT, item.unit_id)
    return render(
        request,
        "documents/approval.html",
        {
            "item": item,
            "kind": kind,
            "obj": obj,
            "object_url": kind.url(obj),
            "rounds": rounds.defer("signed_pdf", "pdf_to_sign"),
            "can_decide": can_sign and item.state == ApprovalState.PENDING,
            "can_sign": can_sign and item.state == ApprovalState.APPROVED and not item.is_signed,
            "can_upload": (can_sign or can_edit) and item.state == ApprovalState.APPROVED and not item.is_signed,
            "verification": verification_of(item),
            "token_ready": bool(pkcs11_lib()),
            "token_label": os.environ.get("CCHC_PKCS11_TOKEN", ""),
            "key_label": os.environ.get("CCHC_PKCS11_KEY", ""),
        },
    )


@login_required
@require_POST
def decide(request, pk: int):
    item = approvals.get_approval(request.user, pk, scope.Action.SIGN)
    decision = request.POST.get("decision", "")
    try:
        lock = required_int(request.POST, "lock_version")  # junk or 20 digits: 400, never 500
        approvals.decide(request.user, item, decision, request.POST.get("comment", ""), lock_version=lock)
    except (ValidationError, Conflict) as exc:
        messages.error(request, _errors(exc))
    except ValueError:
        messages.error(request, "Quyết định không hợp lệ.")
    else:
        messages.success(
            request,
            "Đã ký duyệt văn bản."
            if decision == approvals.Decision.APPROVE
            else "Đã trả lại văn bản cho người trình, kèm ý kiến.",
        )
    return redirect("documents:approval", pk=item.pk)


def _key_from(request) -> signing.KeySource:
    """The key the leader chose; the password or PIN lives only in this request."""
    secret = request.POST.get("secret", "")
    if request.POST.get("method") == "pkcs12":
        upload = request.FILES.get("p12")
        if upload is None or upload.size > 1024 * 1024:
            raise ValidationError("Chọn tệp khóa .p12 hoặc .pfx (không quá 1 MB).")
        return signing.Pkcs12Key(upload.read(), secret)
    lib = pkcs11_lib()
    if not lib:
        raise ValidationError("Máy chủ chưa cấu hình thư viện PKCS#11 của thiết bị ký số (CCHC_PKCS11_LIB).")
    token, key = request.POST.get("token", "").strip(), request.POST.get("key_label", "").strip()
    if not token or not key or not secret:
        raise ValidationError("Nhập tên thiết bị, tên khóa và mã PIN.")
    return signing.TokenKey(lib, token, key, secret)


@login_required
@require_POST
def sign(request, pk: int):
    """Ký số (inline: a signature takes about a second plus the PDF conversion; no job framework yet)."""
    item = approvals.get_approval(request.user, pk, scope.Action.SIGN)
    try:
        approvals.sign(request.user, item, _key_from(request))
    except (ValidationError, signing.SigningError) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "Đã ký số văn bản.")
    return redirect("documents:approval", pk=item.pk)


@login_required
@require_POST
def upload(request, pk: int):
    item = approvals.get_approval(request.user, pk)
    upload = request.FILES.get("tep")
    problem = _pdf_problem(upload)
    if problem:
        messages.error(request, problem)
        return redirect("documents:approval", pk=item.pk)
    try:
        approvals.attach_signed(request.user, item, upload.name, upload.read())
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "Đã nhận bản PDF đã ký số; chữ ký đã được kiểm tra.")
    return redirect("documents:approval", pk=item.pk)


def _pdf_problem(upload) -> str:
    """Why ``upload`` cannot be read as a PDF (empty: it can), through the one upload guard (cchc.core.uploads:
    its size cap for documents and the PDF header), before pyHanko parses a byte of it."""
    if upload is None or not upload.name.lower().endswith(".pdf"):
        return "Chọn tệp PDF (đuôi .pdf)."
    try:
        check_upload(upload, upload.name, UploadKind.DOCUMENT)
    except UploadRefused as exc:
        return str(exc)
    return ""


@login_required
@require_GET
def signed_file(request, pk: int):
    item = approvals.get_approval(request.user, pk)
    if not item.is_signed:
        messages.error(request, "Văn bản chưa được ký số.")
        return redirect("documents:approval", pk=item.pk)
    response = HttpResponse(bytes(item.signed_pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{item.signed_pdf_name or "van-ban-da-ky.pdf"}"'
    return response


@login_required
def verify(request):
    """Kiểm tra chữ ký số của một tệp PDF nhận được (nothing is stored)."""
    result, name = None, ""
    if request.method == "POST":
        upload = request.FILES.get("tep")
        problem = _pdf_problem(upload)
        if problem:
            messages.error(request, problem)
        else:
            name = upload.name
            result = signing.verify_pdf(upload.read())
    return render(request, "documents/verify.html", {"verification": result, "name": name})
