"""Trình ký và ký duyệt: one approval mechanism for every document a unit issues.

The drafting officer sends a document to the unit's leader (*trình ký*); the leader approves it (*ký
duyệt*) or returns it with a comment; an approved document can then be signed digitally (PAdES, from a
PKCS#12 file or a PKCS#11 token) or receive a PDF signed elsewhere. Only then does the owning app send
it to the level above.

How an app plugs in (reports first; the PAR remediation plan and report can follow the same way)::

    from cchc.documents.approvals import ApprovalKind, register_kind

    register_kind(ApprovalKind(
        object_type="reports.report", label="Báo cáo CCHC",
        load=lambda object_id: Report.objects.get(pk=object_id),
        url=lambda report: reverse("reports:detail", args=[report.pk]),
        on_approved=freeze_and_number,        # (actor, obj, approval) → None, same transaction
        on_returned=reopen_for_editing,       # (actor, obj, approval) → None, same transaction
        pdf=lambda report: approved_pdf(report),  # bytes of the approved document to sign
    ))

    approvals.request_approval(user, report, unit=report.unit, title=str(report), note="…")

Rules: the request needs ``Action.EDIT`` on the unit; approving, returning and signing need
``Action.SIGN`` (the LEADER role, on its own unit). Every write is audited in its transaction, carries an
optimistic lock (``lock_version``) and refuses a wrong state with a Vietnamese message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from cchc.accounts import scope
from cchc.core import audit
from cchc.core.audit import Verb
from cchc.core.errors import Conflict
from cchc.documents import signing
from cchc.documents.models import Approval, ApprovalState, SignatureMethod
from cchc.org.models import OrgUnit


class Decision(StrEnum):
    APPROVE = "approve"  # ký duyệt
    RETURN = "return"  # trả lại để sửa


@dataclass(frozen=True)
class ApprovalKind:
    """What approving means for one kind of document (registered by the app that owns it)."""

    object_type: str
    label: str
    load: Callable[[str], Model]
    url: Callable[[Model], str]
    on_approved: Callable[[Any, Model, Approval], None]
    on_returned: Callable[[Any, Model, Approval], None]
    pdf: Callable[[Model], bytes]
    file_name: Callable[[Model], str] = lambda obj: "van-ban-da-ky.pdf"


_kinds: dict[str, ApprovalKind] = {}


def register_kind(kind: ApprovalKind) -> ApprovalKind:
    _kinds[kind.object_type] = kind
    return kind


def kind_of(approval: Approval) -> ApprovalKind:
    try:
        return _kinds[approval.object_type]
    except KeyError as exc:
        raise LookupError(f"Loại văn bản “{approval.object_type}” chưa đăng ký trình ký.") from exc


def _is_user(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def _label(actor: Any) -> str:
    if _is_user(actor):
        return getattr(actor, "display_name", "") or actor.get_username()
    return str(actor)


def _require(actor: Any, action: scope.Action, unit_id: int) -> None:
    if _is_user(actor):
        scope.access_unit(actor, unit_id, scope.Action.VIEW)  # 404 outside the user's view
        scope.require(actor, action, unit_id)


def _object_key(obj: Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


# ---- reads -------------------------------------------------------------------------------------------
def current(obj: Model) -> Approval | None:
    """The latest round of ``obj``'s approval, if it was ever sent to the leader."""
    object_type, object_id = _object_key(obj)
    return Approval.objects.filter(object_type=object_type, object_id=object_id).order_by("-round").first()


def history(obj: Model) -> QuerySet[Approval]:
    object_type, object_id = _object_key(obj)
    return (
        Approval.objects.filter(object_type=object_type, object_id=object_id)
        .order_by("round")
        .defer("signed_pdf", "pdf_to_sign")
    )


def pending_for(user: Any) -> QuerySet[Approval]:
    """Chờ ký duyệt: pending requests of the units where ``user`` signs."""
    qs = Approval.objects.filter(state=ApprovalState.PENDING).select_related("unit").defer("signed_pdf", "pdf_to_sign")
    return scope.scoped(qs, user, scope.Action.SIGN).order_by("requested_at")


def get_approval(user: Any, pk: int, action: scope.Action = scope.Action.VIEW) -> Approval:
    """The approval if ``user`` may see its unit (404 otherwise) and do ``action`` there (403)."""
    return scope.access(Approval.objects.select_related("unit"), user, action, pk=pk)


# ---- writes ------------------------------------------------------------------------------------------
@transaction.atomic
def request_approval(
    actor: Any, obj: Model, *, unit: OrgUnit, title: str, note: str = "", at: datetime | None = None
) -> Approval:
    """Trình ký: a new round for ``obj``, unless one is already waiting for the leader."""
    _require(actor, scope.Action.EDIT, unit.pk)
    object_type, object_id = _object_key(obj)
    if object_type not in _kinds:
        raise LookupError(f"Loại văn bản “{object_type}” chưa đăng ký trình ký.")
    rounds = Approval.objects.select_for_update().filter(object_type=object_type, object_id=object_id)
    last = rounds.order_by("-round").first()
    if last is not None and last.state == ApprovalState.PENDING:
        raise ValidationError("Văn bản đang chờ lãnh đạo ký duyệt, không trình lại được.")
    approval = Approval.objects.create(
        object_type=object_type,
        object_id=object_id,
        unit=unit,
        title=title[:300],
        round=(last.round + 1) if last else 1,
        requested_at=at or timezone.now(),
        requested_by=actor if _is_user(actor) else None,
        requested_by_label=_label(actor),
        request_note=(note or "").strip(),
    )
    audit.record(
        actor,
        Verb.APPROVAL_REQUEST,
        approval,
        unit=unit,
        data={"object": f"{object_type}:{object_id}", "round": approval.round},
    )
    return approval


@transaction.atomic
def decide(
    actor: Any,
    approval: Approval,
    decision: Decision | str,
    comment: str = "",
    *,
    lock_version: int | None = None,
    at: datetime | None = None,
) -> Approval:
    """Ký duyệt (``approve``) hoặc trả lại (``return``, with a comment) a pending request.

    The owning app's ``on_approved`` / ``on_returned`` runs in the same transaction (a report is
    numbered and frozen when approved)."""
    decision = Decision(decision)
    locked = Approval.objects.select_for_update().select_related("unit").get(pk=approval.pk)
    _require(actor, scope.Action.SIGN, locked.unit_id)
    if lock_version is not None and locked.lock_version != lock_version:
        raise Conflict(
            f"{locked.decided_by_label or locked.requested_by_label} vừa xử lý văn bản này; hãy tải lại trang."
        )
    if locked.state != ApprovalState.PENDING:
        raise ValidationError(f"Văn bản đang ở trạng thái “{locked.get_state_display()}”, không ký duyệt được.")
    comment = (comment or "").strip()
    if decision == Decision.RETURN and not comment:
        raise ValidationError({"comment": "Trả lại văn bản phải ghi rõ nội dung cần sửa."})
    locked.state = ApprovalState.APPROVED if decision == Decision.APPROVE else ApprovalState.RETURNED
    locked.decided_at = at or timezone.now()
    locked.decided_by = actor if _is_user(actor) else None
    locked.decided_by_label = _label(actor)
    locked.decided_by_title = getattr(actor, "job_title", "") or ""
    locked.decision_comment = comment
    locked.lock_version += 1
    locked.save()
    kind = kind_of(locked)
    obj = kind.load(locked.object_id)
    (kind.on_approved if decision == Decision.APPROVE else kind.on_returned)(actor, obj, locked)
    if decision == Decision.APPROVE:
        from cchc.documents.jobs import schedule

        schedule(locked, actor)  # the PDF to sign is made in the background meanwhile
    verb = Verb.APPROVAL_APPROVE if decision == Decision.APPROVE else Verb.APPROVAL_RETURN

    audit.record(
        actor,
        verb,
        locked,
        unit=locked.unit,
        data={"object": f"{locked.object_type}:{locked.object_id}", "round": locked.round, "comment": comment},
    )
    return locked


def _signable(actor: Any, approval: Approval, action: scope.Action) -> Approval:
    locked = Approval.objects.select_for_update().select_related("unit").get(pk=approval.pk)
    _require(actor, action, locked.unit_id)
    if locked.state != ApprovalState.APPROVED:
        raise ValidationError("Chỉ ký số văn bản đã được lãnh đạo ký duyệt.")
    if locked.is_signed:
        raise ValidationError(f"Văn bản đã được ký số lúc {timezone.localtime(locked.signed_at):%H:%M %d/%m/%Y}.")
    return locked


def _store(
    actor: Any,
    locked: Approval,
    data: bytes,
    name: str,
    method: SignatureMethod,
    check: signing.Verification,
    signer: str,
    verb: Verb,
) -> Approval:
    locked.signed_pdf = data
    locked.signed_pdf_name = name
    locked.signed_at = timezone.now()
    locked.signed_by_label = signer[:300]
    locked.signature_method = method
    locked.signature_check = check.as_dict()
    locked.lock_version += 1
    locked.save()
    # never the password or PIN: only who signed, how, and the file's fingerprint
    audit.record(
        actor,
        verb,
        locked,
        unit=locked.unit,
        data={
            "method": str(method),
            "signer": signer,
            "sha256": hashlib.sha256(data).hexdigest(),
            "intact": all(s.intact for s in check.signatures),
            "trusted": all(s.trusted for s in check.signatures),
        },
    )
    return locked


@transaction.atomic
def sign(actor: Any, approval: Approval, key: signing.KeySource) -> Approval:
    """Ký số bản PDF của văn bản đã ký duyệt (PAdES), with the leader's key file or token."""
    locked = _signable(actor, approval, scope.Action.SIGN)
    kind = kind_of(locked)
    obj = kind.load(locked.object_id)
    prepared = bytes(locked.pdf_to_sign) if locked.pdf_to_sign else None  # made by the background job
    signed = signing.sign_pdf(
        prepared or kind.pdf(obj),
        key,
        signer_name=locked.decided_by_label,
        reason=f"Ký duyệt {kind.label[:1].lower()}{kind.label[1:]}",
        location=locked.unit.name,
    )
    method = SignatureMethod.PKCS11 if isinstance(key, signing.TokenKey) else SignatureMethod.PKCS12
    check = signing.verify_pdf(signed.data)
    return _store(actor, locked, signed.data, kind.file_name(obj), method, check, signed.signer, Verb.APPROVAL_SIGN)


@transaction.atomic
def attach_signed(actor: Any, approval: Approval, name: str, data: bytes) -> Approval:
    """Tải lên bản PDF đã ký bằng phần mềm khác (the government CA's signing tool): verified on upload;
    a file without a signature, or changed since it was signed, is refused."""
    locked = _signable(actor, approval, scope.Action.EDIT if _can_edit(actor, approval) else scope.Action.SIGN)
    check = signing.verify_pdf(data)
    if check.error:
        raise ValidationError(check.error)
    if not all(s.intact for s in check.signatures):
        raise ValidationError("Tệp đã bị sửa sau khi ký: chữ ký số không còn giá trị.")
    signer = "; ".join(s.signer for s in check.signatures)
    return _store(actor, locked, data, name[:200], SignatureMethod.UPLOAD, check, signer, Verb.APPROVAL_UPLOAD_SIGNED)


def _can_edit(actor: Any, approval: Approval) -> bool:
    return not _is_user(actor) or scope.can(actor, scope.Action.EDIT, approval.unit_id)
