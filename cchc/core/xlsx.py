"""Bảng tính tải về (XLSX): the one way the product writes spreadsheets.

Two promises every export keeps:
- **No formula injection.** Text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
  written as a *string cell* (data type "s", with Excel's quote-prefix style so that editing the cell does
  not turn it into a formula either). The value itself is unchanged: a note ``=HYPERLINK("…")`` reads back
  as that very text, never as a live link. openpyxl would otherwise store any string starting with "=" as a
  formula (OWASP "CSV injection").
- **Streaming.** ``xlsx_response`` writes a write-only workbook row by row to a temporary file, so a
  100.000-row table does not sit in memory as cell objects; numbers stay numbers with Vietnamese display
  formats (#,##0; 0.00%; dd/mm/yyyy) and the file name may hold Vietnamese letters.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.http import FileResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font

from cchc.core.text import fold

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The characters a spreadsheet reads as the start of a formula (or of a DDE payload after a tab/CR).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: object) -> bool:
    """True when ``text`` is a string a spreadsheet would run as a formula if typed into a cell."""
    return isinstance(text, str) and text.startswith(FORMULA_START)


def protect(cell: Cell) -> Cell:
    """Make ``cell`` safe: formula-like text becomes a plain string cell (value unchanged)."""
    if is_formula_like(cell.value) or cell.data_type == "f":
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def protect_worksheet(ws: Any) -> None:
    """Protect every cell of a normal (not write-only) worksheet that an export filled with ``append``."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                protect(cell)


def safe_cell(
    ws: Any, value: Any, number_format: str | None = None, *, bold: bool = False, wrap: bool = False
) -> WriteOnlyCell:
    """One write-only cell: Decimal as a number, formula-like text as text, optional format and bold."""
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)
    cell = WriteOnlyCell(ws, value=value)
    protect(cell)
    if number_format and isinstance(value, int | float | date):
        cell.number_format = number_format
    if bold:
        cell.font = Font(bold=True)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


class Kind(StrEnum):
    """What a column holds, and so how it is shown."""

    TEXT = "text"
    INTEGER = "integer"  # 54.647 (#,##0 — Excel shows the reader's own separators)
    DECIMAL = "decimal"  # 96,58 (#,##0.00)
    PERCENT = "percent"  # given in percentage points (96.9) and shown 96,90%
    DATE = "date"  # 14/12/2021


NUMBER_FORMATS = {
    Kind.INTEGER: "#,##0",
    Kind.DECIMAL: "#,##0.00",
    Kind.PERCENT: "0.00%",
    Kind.DATE: "dd/mm/yyyy",
}


@dataclass(frozen=True)
class Column:
    """A column of a download: its Vietnamese header, its kind and its width in characters."""

    header: str
    kind: Kind = Kind.TEXT
    width: int | None = None


def _value(kind: Kind, value: Any) -> Any:
    if value is None or value == "":
        return None
    if kind == Kind.PERCENT and isinstance(value, int | float | Decimal):
        return float(Decimal(str(value)) / 100)
    if kind == Kind.DATE and isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def write_rows(
    ws: Any, columns: Sequence[Column], rows: Iterable[Sequence[Any]], title_lines: Sequence[str] = ()
) -> int:
    """Append title lines, the bold header and every row to a write-only sheet; return the row count."""
    for i, col in enumerate(columns):
        if col.width:
            ws.column_dimensions[_letter(i)].width = col.width
    for line in title_lines:
        ws.append([safe_cell(ws, line, bold=True)])
    ws.append([safe_cell(ws, c.header, bold=True) for c in columns])
    count = 0
    for row in rows:
        ws.append(
            [safe_cell(ws, _value(c.kind, v), NUMBER_FORMATS.get(c.kind)) for c, v in zip(columns, row, strict=False)]
        )
        count += 1
    return count


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def xlsx_bytes(
    sheet_title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]], title_lines: Sequence[str] = ()
) -> bytes:
    """The workbook as bytes (for commands and tests); pages use ``xlsx_response``."""
    with tempfile.TemporaryFile() as tmp:
        _save(tmp, sheet_title, columns, rows, title_lines)
        tmp.seek(0)
        return tmp.read()


def _save(fh: Any, sheet_title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]], title_lines) -> None:
    wb = Workbook(write_only=True)
    # Excel refuses sheet titles over 31 characters or with []:*?/\ in them.
    title = "".join(ch for ch in sheet_title if ch not in "[]:*?/\\")[:31] or "Sheet1"
    ws = wb.create_sheet(title)
    ws.freeze_panes = f"A{len(title_lines) + 2}"
    write_rows(ws, columns, rows, title_lines)
    wb.save(fh)


def attachment_header(filename: str) -> str:
    """Content-Disposition for a Vietnamese file name: an ASCII fallback (accents folded) for old
    clients and the exact name as RFC 5987 ``filename*`` for every current browser."""
    ascii_name = "".join(
        ch if ch.isascii() and ch not in '"\\;' and ch.isprintable() else "-" for ch in _fold_name(filename)
    )
    exact = content_disposition_header(True, filename) or ""
    if "filename*=" in exact:
        return f'attachment; filename="{ascii_name}"; {exact.split("; ", 1)[1]}'
    return f'attachment; filename="{ascii_name}"'


def _fold_name(filename: str) -> str:
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    folded = "-".join(fold(stem).split()) or "tai-ve"
    return f"{folded}.{ext}" if ext else folded


def xlsx_response(
    filename: str,
    sheet_title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    title_lines: Sequence[str] = (),
) -> FileResponse:
    """A download of one sheet: header row, typed columns, formula-safe text, Vietnamese file name.

    The workbook is written to a temporary file that the response streams and then closes (deleted)."""
    tmp = tempfile.TemporaryFile()
    _save(tmp, sheet_title, columns, rows, title_lines)
    tmp.seek(0)
    response = FileResponse(tmp, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(filename)
    return response
