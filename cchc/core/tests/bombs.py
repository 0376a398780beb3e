"""Hostile files for the upload guard's tests: each is small on disk and huge for a naive reader."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook


def _small_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["ma_ho_so", "ma_don_vi", "ma_thu_tuc", "ngay_tiep_nhan"])
    ws.append(["H1", "000.00.21.H42", "1.000001", "01/02/2026"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rewrite(data: bytes, member: str, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == member:
                body = change(body)
            dst.writestr(info.filename, body)
    return out.getvalue()


def claimed_range_xlsx(path: Path) -> Path:
    """4–5 KB: the sheet's dimension claims A1:XFD1048576 (17 billion cells)."""
    data = _rewrite(
        _small_xlsx(),
        "xl/worksheets/sheet1.xml",
        lambda b: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', b),
    )
    path.write_bytes(data)
    return path


def far_cell_xlsx(path: Path) -> Path:
    """A modest dimension, but one real cell at XFD1048576: the real used range is the whole sheet."""

    def change(b: bytes) -> bytes:
        far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        return b.replace(b"</sheetData>", far + b"</sheetData>")

    path.write_bytes(_rewrite(_small_xlsx(), "xl/worksheets/sheet1.xml", change))
    return path


def inflating_xlsx(path: Path, inflated_mb: int = 1536) -> Path:
    """A few MB on disk, ``inflated_mb`` (default 1,5 GB) of sheet XML once unzipped: real rows."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 4000 + b"</t></is></c></row>"
    block = row * 256  # ~1 MB
    base = zipfile.ZipFile(io.BytesIO(_small_xlsx()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in base.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                continue
            dst.writestr(info.filename, base.read(info.filename))
        with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(head)
            for _ in range(inflated_mb):
                fh.write(block)
            fh.write(b"</sheetData></worksheet>")
    return path


def text_docx(path: Path, text_mb: int = 74) -> Path:
    """A DOCX of a few hundred KB whose document.xml holds ``text_mb`` MB of text."""
    from docx import Document

    out = io.BytesIO()
    Document().save(out)
    base = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    para = b"<w:p><w:r><w:t>" + "Báo cáo cải cách hành chính ".encode() * 36 + b"</w:t></w:r></w:p>"
    count = text_mb * 1024 * 1024 // len(para)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in base.infolist():
            body = base.read(info.filename)
            if info.filename == "word/document.xml":
                with dst.open(info.filename, "w", force_zip64=True) as fh:
                    start, end = body.split(b"<w:body>")
                    fh.write(start + b"<w:body>")
                    for _ in range(count):
                        fh.write(para)
                    fh.write(end)
                continue
            dst.writestr(info.filename, body)
    return path


def renamed_binary(path: Path) -> Path:
    """Not a ZIP at all (a renamed binary), named .xlsx."""
    path.write_bytes(bytes(range(256)) * 40)
    return path
