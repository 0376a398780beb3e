"""Lines for the CCHC report: the directive documents the unit issued in the period."""

from __future__ import annotations

from typing import Any

from cchc.core.vnformat import format_date
from cchc.directives.models import DirectiveDocument
from cchc.documents.symbols import document_types
from cchc.reports.fillers import register_filler


@register_filler("directives.issued")
def issued(unit: Any, period: Any) -> list[str]:
    """ "Quyết định số 140/QĐ-UBND ngày 28/08/2021 về kiện toàn bộ phận một cửa…", oldest first."""
    names = document_types()
    lines = []
    for doc in DirectiveDocument.objects.filter(unit=unit, issued_on__range=(period.start, period.end)).order_by(
        "issued_on", "number"
    ):
        kind = names.get(doc.type_code, "Công văn")
        summary = doc.summary[:1].lower() + doc.summary[1:]
        lines.append(f"{kind} số {doc.symbol} ngày {format_date(doc.issued_on)} {summary}".rstrip("."))
    return lines
