"""Nguồn số liệu in dễ đọc, for every page, report and export:
"Tính từ phiếu đánh giá mức độ hài lòng của Xã Sơn Tây, 15/06–14/09/2026".

The indicator store's own provenance text is written for tracing (function names, unit codes, ISO dates,
internal table names). The values page, the report editor, the appendix and the frozen versions show this text instead,
built from the structured provenance (``ValueWithProvenance.detail``) for live figures, and — for texts
already frozen — by replacing indicator and unit codes with their names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from cchc.core.vnformat import format_number
from cchc.indicators.models import ValueSource
from cchc.indicators.selectors import ValueWithProvenance
from cchc.org.models import OrgUnit

# What each app's computed figures count, by the prefix of the registered function's name.
RECORD_KINDS = {
    "dossiers": "hồ sơ thủ tục hành chính",
    "surveys": "phiếu đánh giá mức độ hài lòng",
    "feedback": "phản ánh, kiến nghị",
    "news": "tin, bài tuyên truyền",
    "inspections": "cuộc kiểm tra công tác CCHC",
    "documents": "văn bản chỉ đạo, điều hành",
    "directives": "văn bản chỉ đạo, điều hành",
    "plans": "nhiệm vụ trong kế hoạch CCHC",
    "public": "hồ sơ công khai trên cổng",
}
# Inputs that only repeat the scope, the dates or name a database table: left out of the printed text.
TECHNICAL_INPUTS = {"bảng", "đơn vị", "từ", "đến", "units", "from", "to", "fields", "table"}
CODE = re.compile(r"\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\b")
UNIT_CODE = re.compile(r"\b\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}\b")
ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _day(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def span_text(start: str | date, end: str | date) -> str:
    """15/06–14/09/2026 (one year written once), or 15/12/2025–14/03/2026."""
    a, b = _day(start), _day(end)
    if a.year == b.year:
        return f"{a:%d/%m}–{b:%d/%m/%Y}"
    return f"{a:%d/%m/%Y}–{b:%d/%m/%Y}"


def _units_text(detail: Mapping[str, Any], unit_names: Mapping[str, str]) -> str:
    codes = list(detail.get("units") or [])
    count = int(detail.get("unit_count") or len(codes))
    if not codes:
        return f"{count} đơn vị" if count else ""
    first = unit_names.get(codes[0], codes[0])
    others = count - 1
    if others <= 0:
        return first
    kind = "bộ phận" if detail.get("counts") == "own" else "đơn vị trên địa bàn"
    return f"{first} và {others} {kind}"


def _inputs_text(inputs: Mapping[str, Any]) -> str:
    parts = []
    for key, value in inputs.items():
        if key in TECHNICAL_INPUTS or isinstance(value, list | dict):
            continue
        shown = format_number(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        parts.append(f"{key}: {shown}")
    return "; ".join(parts)


def computed_text(detail: Mapping[str, Any], unit_names: Mapping[str, str]) -> str:
    """A computed figure: what was counted, where and over which days."""
    function = str(detail.get("function") or "")
    kind = RECORD_KINDS.get(function.split(".", 1)[0], "dữ liệu nghiệp vụ")
    text = f"Tính từ {kind}"
    units = _units_text(detail, unit_names)
    if units:
        text += f" của {units}"
    spans = detail.get("spans") or []
    if spans:
        text += ", " + span_text(spans[0][0], spans[-1][1])
    inputs = _inputs_text(detail.get("inputs") or {})
    return text + (f" ({inputs})" if inputs else "")


def live_text(v: ValueWithProvenance, names: Mapping[str, str], unit_names: Mapping[str, str]) -> str:
    """The provenance of a live figure, for people."""
    if v.source == ValueSource.COMPUTED:
        return computed_text(v.detail, unit_names)
    return codes_to_names(v.source_text, names, unit_names)


def codes_to_names(text: str, names: Mapping[str, str], unit_names: Mapping[str, str]) -> str:
    """Replace indicator codes by “names”, unit codes by names and ISO dates by dd/mm/yyyy in any text."""
    text = CODE.sub(lambda m: f"“{names[m.group(0)]}”" if m.group(0) in names else m.group(0), text or "")
    text = UNIT_CODE.sub(lambda m: unit_names.get(m.group(0), m.group(0)), text)
    return ISO_DAY.sub(lambda m: f"{m.group(3)}/{m.group(2)}/{m.group(1)}", text)


def unit_names_for(codes: Iterable[str]) -> dict[str, str]:
    codes = set(codes)
    return dict(OrgUnit.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}


def unit_codes_in(values: Iterable[ValueWithProvenance], texts: Iterable[str] = ()) -> set[str]:
    codes: set[str] = set()
    for v in values:
        # computed figures list unit codes; roll-ups list {code, name, value} per child
        codes.update(u["code"] if isinstance(u, dict) else u for u in v.detail.get("units") or [])
    for text in texts:
        codes.update(UNIT_CODE.findall(text or ""))
    return codes


def readable_sources(values: Iterable[ValueWithProvenance]) -> dict[str, str]:
    """{indicator code: the readable provenance} of figures of one reading (names of every indicator, since
    a ratio or a sum names its parts; one query for them and one for the unit names)."""
    from cchc.indicators.models import Indicator

    values = list(values)
    names = dict(Indicator.objects.values_list("code", "name"))
    unit_names = unit_names_for(unit_codes_in(values, (v.source_text for v in values)))
    return {v.code: "" if v.source == ValueSource.HEADING else live_text(v, names, unit_names) for v in values}


def readable_source(v: ValueWithProvenance, context: Any) -> str:
    """The readable provenance of one figure of a ``ValueContext`` reading: names come from the context's
    catalogue and org graph (no query), kept on the context for its next figures."""
    maps = getattr(context, "_readable_maps", None)
    if maps is None:
        maps = (
            {code: ind.name for code, ind in context.indicators.items()},
            {u.code: u.name for u in context.graph.units.values()},
        )
        context._readable_maps = maps
    return "" if v.source == ValueSource.HEADING else live_text(v, *maps)
