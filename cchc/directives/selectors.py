"""Reads of the directive register: search, counts per type, evidence of a record. Always scoped."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, QuerySet

from cchc.accounts import scope
from cchc.core.text import filter_folded
from cchc.directives.models import DirectiveDocument, EvidenceLink, type_name


def documents_for(
    user, *, unit=None, q: str = "", type_code: str | None = None, start: date | None = None, end: date | None = None
) -> QuerySet[DirectiveDocument]:
    """Tra cứu văn bản: by unit, words in the symbol, summary or signer, type ("" = công văn) and dates."""
    qs = scope.scoped(DirectiveDocument.objects.select_related("unit"), user, scope.Action.VIEW)
    if unit is not None:
        qs = qs.filter(unit=unit)
    qs = filter_folded(qs, q or "", ("symbol", "summary", "signer"))  # without diacritics too
    if type_code is not None:
        qs = qs.filter(type_code=type_code)
    if start:
        qs = qs.filter(issued_on__gte=start)
    if end:
        qs = qs.filter(issued_on__lte=end)
    return qs


def get_document(user, document_id: int, action: scope.Action = scope.Action.VIEW) -> DirectiveDocument:
    return scope.access(DirectiveDocument.objects.select_related("unit"), user, action, pk=document_id)


def counts_by_type(qs: QuerySet[DirectiveDocument]) -> list[tuple[str, str, int]]:
    """(type code, type name, count), most frequent first."""
    rows = qs.order_by().values("type_code").annotate(n=Count("pk"))
    return sorted(((r["type_code"], type_name(r["type_code"]), r["n"]) for r in rows), key=lambda r: (-r[2], r[1]))


def count_issued(unit_ids, start: date, end: date) -> tuple[int, dict[str, int]]:
    qs = DirectiveDocument.objects.filter(unit_id__in=list(unit_ids), issued_on__range=(start, end))
    per_type = Counter({type_name(code): n for code, _, n in counts_by_type(qs)})
    return sum(per_type.values()), dict(per_type)


def evidence_for(user, target: Model) -> list[EvidenceLink]:
    """Văn bản minh chứng of a record, those the user may see."""
    ct = ContentType.objects.get_for_model(target)
    links = EvidenceLink.objects.filter(content_type=ct, object_id=str(target.pk)).select_related("document")
    visible = scope.unit_ids(user, scope.Action.VIEW)
    return [link for link in links if visible is None or link.document.unit_id in visible]


def evidence_targets(document: DirectiveDocument) -> list[tuple[EvidenceLink, object]]:
    return [(link, link.target) for link in document.evidence_links.select_related("content_type")]


def get_link(user, link_id: int) -> EvidenceLink:
    return scope.access(
        EvidenceLink.objects.select_related("document", "content_type"),
        user,
        scope.Action.VIEW,
        unit_field="document__unit",
        pk=link_id,
    )
