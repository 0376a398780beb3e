"""Xuất số liệu chỉ tiêu của một đơn vị trong một kỳ ra CSV/XLSX, cùng các cột với tệp nhập.

By default the figures entered for the unit (typed, imported, sent by the API): importing the export
again changes nothing. ``include_all`` adds every other figure the unit shows (computed, rolled up,
sums; never ratios) — re-importing such a file turns those figures into entries.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from cchc.indicators.importing import _FORMULA_START, COLUMNS, _plain
from cchc.indicators.models import IndicatorValue, Period, Source, ValueSource
from cchc.indicators.selectors import values_for
from cchc.org.models import OrgUnit

CSV_DELIMITER = ";"  # Vietnamese Excel: the decimal mark is the comma, the list separator the semicolon


def export_rows(unit: OrgUnit, period: Period, *, include_all: bool = False) -> list[dict[str, object]]:
    """The rows of the export, in the catalogue's order: only figures that have a value."""
    if not include_all:
        qs = (
            IndicatorValue.objects.filter(unit=unit, period__code=period.code, indicator__retired_in__isnull=True)
            .select_related("indicator")
            .order_by("indicator__position")
        )
        return [_row(unit, period, v.indicator.code, v.value, v.note) for v in qs]
    rows = []
    for v in values_for(unit, period):
        if v.value is None or v.indicator.source in (Source.RATIO, Source.HEADING):
            continue
        rows.append(
            _row(unit, period, v.code, v.value, v.detail.get("note", "") if v.source == ValueSource.ENTERED else "")
        )
    return rows


def _row(unit: OrgUnit, period: Period, code: str, value: Decimal, note: str) -> dict[str, object]:
    return {"don_vi": unit.code, "ky": period.code, "ma_chi_tieu": code, "gia_tri": value, "ghi_chu": note or ""}


def to_csv(rows: list[dict[str, object]]) -> bytes:
    """UTF-8 with BOM (Excel opens Vietnamese correctly), ``;`` separated, numbers as 2517 and 96,58."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([safe_text(str(r[c])) if c != "gia_tri" else _plain(r[c]) for c in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[dict[str, object]]) -> bytes:
    """One sheet "So lieu" through ``cchc.core.xlsx`` (text that looks like a formula is written as text,
    unchanged; figures as numbers, so 1.5 reads back as one and a half)."""
    from cchc.core.xlsx import Column, xlsx_bytes

    columns = [Column(c, width=w) for c, w in zip(COLUMNS, (16, 10, 40, 14, 40), strict=True)]
    return xlsx_bytes("So lieu", columns, ([r[c] for c in COLUMNS] for r in rows))


def safe_text(text: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula: "=1+1" is written "'=1+1" (OWASP CSV
    injection); the importer reads it back without the quote."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def export(unit: OrgUnit, period: Period, fmt: str, *, include_all: bool = False) -> bytes:
    rows = export_rows(unit, period, include_all=include_all)
    return to_xlsx(rows) if fmt == "xlsx" else to_csv(rows)
