"""Đọc tệp bảng (CSV UTF-8 hoặc XLSX, trang tính đầu tiên) thành tiêu đề + các dòng chuỗi."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from cchc.core.importing import ImportRejected, RowError
from cchc.core.text import fold
from cchc.core.uploads import UploadKind, check_upload

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")


def normalise_header(text: str) -> str:
    """ "Ngày tiếp nhận" → "ngay tiep nhan": lower case, no diacritics, single spaces, so that the
    Vietnamese labels of provincial exports match the aliases."""
    return fold(str(text).replace("_", " ").replace("-", " "))


def find_columns(header: list[str], lookup: dict[str, str]) -> dict[str, int]:
    """Column name → index of the first header of the file that names it; ``lookup``: normalised header
    text (:func:`normalise_header`) → column name (its name, aliases, a mapping file's labels)."""
    found: dict[str, int] = {}
    for i, text in enumerate(header):
        name = lookup.get(normalise_header(text))
        if name and name not in found:
            found[name] = i
    return found


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a user typed: dates ISO (with the time only when it has one), whole
    floats without ".0" (calamine reads 12 as 12.0), everything else stripped; an empty cell is ""."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def decode_csv(raw: bytes) -> str:
    """The text of a CSV file: UTF-8 with or without BOM, else the Vietnamese error every import gives."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected(
            [RowError(None, "", "", "Tệp CSV phải mã hóa UTF-8 (khi lưu từ Excel chọn “CSV UTF-8”).")]
        ) from exc


def csv_delimiter(text: str) -> str:
    """The separator of a CSV text — ``;`` (Excel in Vietnamese), ``,`` or tab — as its header line shows it:
    notes in later rows may hold any number of commas. A header without any: ``,``."""
    end = text.find("\n")
    header = text if end < 0 else text[:end]
    return max((",", ";", "\t"), key=header.count)


def workbook_rows(source: Path | str | bytes) -> list[list[object]]:
    """The cells of the first sheet of an Excel or ODS file, as calamine types them (numbers stay numbers)."""
    from python_calamine import CalamineWorkbook

    try:
        wb = (
            CalamineWorkbook.from_filelike(io.BytesIO(source))
            if isinstance(source, bytes)
            else CalamineWorkbook.from_path(str(source))
        )
        return [list(r) for r in wb.get_sheet_by_index(0).to_python(skip_empty_area=False)]
    except Exception as exc:  # calamine raises its own types for broken files
        # calamine's own message is English and names the server's path: neither reaches the user.
        raise ImportRejected(
            [RowError(None, "", "", "Không đọc được tệp bảng tính: tệp bị hỏng hoặc không đúng định dạng.")]
        ) from exc


def read_table(path: Path | str, content: bytes | None = None) -> tuple[list[str], Iterator[list[str]]]:
    """Header and an iterator of rows (strings, stripped). ``content`` overrides reading ``path``."""
    name = str(path).lower()
    # Size, ZIP and used-range limits before any reader allocates (a 4,7 KB file may claim 17 billion cells).
    check_upload(content if content is not None else path, name, UploadKind.TABLE)
    if name.endswith(SPREADSHEETS):
        rows = workbook_rows(content if content is not None else path)
        if not rows:
            raise ImportRejected([RowError(None, "", "", "Tệp không có dữ liệu.")])
        header = [cell_text(c) for c in rows[0]]
        return header, ([cell_text(c) for c in r] for r in rows[1:])
    text = decode_csv(content if content is not None else Path(path).read_bytes())
    reader = csv.reader(io.StringIO(text), delimiter=csv_delimiter(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration as exc:
        raise ImportRejected([RowError(None, "", "", "Tệp không có dữ liệu.")]) from exc
    return header, reader
