"""Sổ văn bản chỉ đạo, điều hành: register, change, delete documents and attach them as evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from cchc.accounts import scope
from cchc.core import audit
from cchc.core.audit import Verb
from cchc.core.errors import FieldError
from cchc.directives.models import DirectiveDocument, EvidenceLink
from cchc.documents.symbols import DocumentSymbol, SymbolError, format_symbol, parse_symbol
from cchc.indicators.services import mark_stale_days


class DirectiveError(FieldError):
    """Lỗi dữ liệu của ứng dụng directives."""


def check_symbol(text: str) -> DocumentSymbol:
    """Số, ký hiệu theo Nghị định 30 (via the documents app's parser); DirectiveError with its message."""
    if not (text or "").strip():
        raise DirectiveError("symbol", "Cần nhập số, ký hiệu văn bản (ví dụ 140/QĐ-UBND, 123/UBND-VP).")
    try:
        return parse_symbol(text)
    except SymbolError as exc:
        raise DirectiveError("symbol", str(exc)) from exc


@dataclass
class DocumentData:
    symbol: str
    issued_on: date
    summary: str
    signer: str = ""
    note: str = ""


def save_document(
    actor, unit, data: DocumentData, *, file=None, document: DirectiveDocument | None = None, today: date | None = None
) -> DirectiveDocument:
    """Vào sổ (or correct) a directive document; the symbol is validated under Nghị định 30."""
    today = today or timezone.localdate()
    owner = unit if document is None else document.unit
    scope.require(actor, scope.Action.EDIT, owner)
    parsed = check_symbol(data.symbol)
    if data.issued_on is None:
        raise DirectiveError("issued_on", "Cần nhập ngày ban hành.")
    if data.issued_on > today:
        raise DirectiveError("issued_on", "Ngày ban hành không được sau ngày hôm nay.")
    if parsed.year and parsed.year != data.issued_on.year:
        raise DirectiveError(
            "symbol", f"Năm trong số, ký hiệu ({parsed.year}) khác năm ban hành ({data.issued_on.year})."
        )
    if not data.summary.strip():
        raise DirectiveError("summary", "Cần nhập trích yếu nội dung văn bản.")
    # Canonical form: numbers under 10 take a leading zero (03/BC-UBND), as Nghị định 30 writes them.
    symbol = format_symbol(parsed.number, parsed.type_code, parsed.body, parsed.year)
    # Numbers restart each year (Nghị định 30, Điều 15): a symbol is unique per unit and year.
    clash = DirectiveDocument.objects.filter(unit=owner, symbol=symbol, issued_on__year=data.issued_on.year)
    if document is not None:
        clash = clash.exclude(pk=document.pk)
    if clash.exists():
        raise DirectiveError("symbol", f"Sổ văn bản năm {data.issued_on.year} đã có văn bản số {symbol}.")
    with transaction.atomic():
        creating = document is None
        old_day = None if creating else document.issued_on
        document = document or DirectiveDocument(unit=owner)
        document.symbol, document.number = symbol, parsed.number
        document.type_code, document.body = parsed.type_code or "", parsed.body
        document.issued_on, document.summary = data.issued_on, data.summary.strip()
        document.signer, document.note = data.signer.strip(), data.note.strip()
        if file is not None:
            document.file = file
        document.save()
        audit.record(
            actor,
            Verb.DIRECTIVE_CREATED if creating else Verb.DIRECTIVE_UPDATED,
            document,
            unit=owner,
            data={
                "symbol": symbol,
                "issued_on": data.issued_on.isoformat(),
                "summary": document.summary,
                "file": document.file.name if document.file else "",
            },
        )
        mark_stale_days(owner, data.issued_on, old_day)
    return document


def delete_document(actor, document: DirectiveDocument) -> None:
    scope.require(actor, scope.Action.EDIT, document.unit)
    with transaction.atomic():
        audit.record(
            actor,
            Verb.DIRECTIVE_DELETED,
            document,
            unit=document.unit,
            data={"symbol": document.symbol, "links": document.evidence_links.count()},
        )
        unit, day = document.unit, document.issued_on
        document.delete()
        mark_stale_days(unit, day)


def owner_unit(obj: models.Model):
    """The unit that owns a record: its ``owner_unit`` (a plan task → its plan's unit) or its ``unit``."""
    unit = getattr(obj, "owner_unit", None) or getattr(obj, "unit", None)
    if unit is None:
        raise DirectiveError("target", "Không xác định được đơn vị của đối tượng cần gắn minh chứng.")
    return unit


def attach_evidence(actor, document: DirectiveDocument, target: models.Model, note: str = "") -> EvidenceLink:
    """Gắn văn bản làm tài liệu kiểm chứng: needs the right to edit the target, and to see the document."""
    unit = owner_unit(target)
    scope.require(actor, scope.Action.EDIT, unit)
    if not scope.can(actor, scope.Action.VIEW, document.unit):
        raise DirectiveError("document", "Không tìm thấy văn bản.")
    ct = ContentType.objects.get_for_model(target)
    with transaction.atomic():
        link, created = EvidenceLink.objects.get_or_create(
            document=document,
            content_type=ct,
            object_id=str(target.pk),
            defaults={"note": note.strip(), "created_by": actor if getattr(actor, "is_authenticated", False) else None},
        )
        if not created and link.note != note.strip() and note.strip():
            link.note = note.strip()
            link.save(update_fields=["note"])
        if created:
            audit.record(
                actor,
                Verb.DIRECTIVE_EVIDENCE_ATTACHED,
                link,
                unit=unit,
                data={
                    "document": document.symbol,
                    "target": f"{ct.app_label}.{ct.model}:{target.pk}",
                    "note": link.note,
                },
            )
    return link


def detach_evidence(actor, link: EvidenceLink) -> None:
    target = link.target
    unit = owner_unit(target) if target is not None else link.document.unit
    scope.require(actor, scope.Action.EDIT, unit)
    with transaction.atomic():
        audit.record(
            actor,
            Verb.DIRECTIVE_EVIDENCE_DETACHED,
            link,
            unit=unit,
            data={"document": link.document.symbol, "object": f"{link.content_type_id}:{link.object_id}"},
        )
        link.delete()
