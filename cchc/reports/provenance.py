"""Nguồn số liệu của báo cáo in dễ đọc: the report's figure rows described by ``cchc.indicators.provenance``."""

from __future__ import annotations

from typing import Any

from cchc.indicators.provenance import (  # noqa: F401  (span_text: part of this module's interface)
    codes_to_names,
    live_text,
    span_text,
    unit_codes_in,
    unit_names_for,
)
from cchc.indicators.selectors import ValueContext, ValueWithProvenance


def readable_rows(report: Any, rows: dict[str, Any], context: ValueContext | None = None) -> dict[str, Any]:
    """The report's figure rows with readable sources (``FigureRow.source`` replaced).

    A draft's figures that come straight from the indicator store are described from their structured
    provenance; roll-up texts and frozen versions have their codes replaced by names. ``context``: the
    reading of the report's period the rows came from (its figures are not computed again)."""
    from dataclasses import replace

    names = {code: row.name for code, row in rows.items()}
    live: dict[str, ValueWithProvenance] = {}
    if report.is_editable:
        context = context or ValueContext(report.period)
        live = {
            code: context.value(report.unit_id, code)
            for code, row in rows.items()
            if row.source_kind not in ("rollup", "heading") and code in context.indicators
        }
    unit_names = unit_names_for(unit_codes_in(live.values(), (r.source for r in rows.values())))
    out = {}
    for code, row in rows.items():
        v = live.get(code)
        text = (
            live_text(v, names, unit_names)
            if v is not None and v.source == row.source_kind
            else (codes_to_names(row.source, names, unit_names))
        )
        out[code] = replace(row, source=text)
    return out
