"""Xuất báo cáo: DOCX theo Nghị định 30 (qua ứng dụng documents), XLSX của phụ lục, PDF qua LibreOffice."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from cchc.core.vnformat import format_date_long
from cchc.core.xlsx import protect_worksheet
from cchc.documents import rendering
from cchc.documents.rendering import Signature
from cchc.indicators.models import ValueType
from cchc.reports import placeholders
from cchc.reports.models import Report, ReportVersion
from cchc.reports.selectors import (
    FigureRow,
    appendix_rows,
    by_unit_headers,
    context_figures,
    figures_for,
    report_rows,
    version_rows,
)

DRAFT_NUMBER = "     "


@dataclass
class ReportDocument:
    """Everything printed in one report, figures already filled in (frozen or current)."""

    unit: Any
    period: Any
    day: date
    number: str
    title: str
    summary: str
    addressee: str
    recipients: list[str]
    authority: list[str]
    signer: str
    intro: str
    closing: str
    sections: list[dict[str, Any]]
    rows: dict[str, FigureRow]
    by_unit: list[dict[str, Any]] = field(default_factory=list)
    by_unit_headers: list[str] = field(default_factory=list)

    def header_json(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "number": self.number,
            "title": self.title,
            "summary": self.summary,
            "addressee": self.addressee,
            "recipients": self.recipients,
            "authority": self.authority,
            "signer": self.signer,
            "intro": self.intro,
            "closing": self.closing,
            "by_unit_headers": self.by_unit_headers,
        }


def _symbol_number(report: Report) -> str:
    return report.number or f"{DRAFT_NUMBER}/BC-UBND"


def document_for(report: Report, version: ReportVersion | None = None, *, day: date | None = None) -> ReportDocument:
    """The report as printed: from ``version`` (frozen), or from the current draft with linked figures."""
    if version is not None:
        h = version.header
        return ReportDocument(
            report.unit,
            report.period,
            date.fromisoformat(h["day"]),
            h["number"],
            h["title"],
            h["summary"],
            h["addressee"],
            h["recipients"],
            h["authority"],
            h["signer"],
            h["intro"],
            h["closing"],
            version.sections,
            version_rows(version),
            version.by_unit,
            h.get("by_unit_headers", []),
        )
    rows, by_unit = report_rows(report)
    if not report.is_editable:
        last = report.versions.order_by("-number").first()
        if last is not None:
            return document_for(report, last)
    day = day or report.issued_on or timezone.localdate()
    figures = figures_for(rows, context_figures(report.unit, report.period, day=day))

    def fill(text: str) -> str:
        return placeholders.fill(text, figures)

    sections = [
        {"key": s.key, "heading": fill(s.heading), "text": fill(s.text), "depth": s.depth}
        for s in report.sections.all()
    ]
    return ReportDocument(
        report.unit,
        report.period,
        day,
        _symbol_number(report),
        report.title,
        fill(report.summary),
        fill(report.addressee),
        [fill(r) for r in report.recipients if fill(r).strip()],
        [line for line in report.signer_authority.splitlines() if line.strip()],
        report.signer_name,
        fill(report.intro),
        fill(report.closing),
        sections,
        rows,
        by_unit,
        by_unit_headers() if by_unit else [],
    )


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def docx_context(doc: ReportDocument) -> dict[str, Any]:
    header = rendering.official_header(
        doc.unit,
        doc.day,
        number=doc.number,
        title=doc.title,
        summary=doc.summary,
        recipients=doc.recipients,
        sign=Signature(doc.authority, doc.signer),
        addressee=doc.addressee,
    )
    body: list[dict[str, str]] = [{"kind": "text", "text": p} for p in _paragraphs(doc.intro)]
    for section in doc.sections:
        body.append({"kind": "heading", "text": section["heading"]})
        body.extend({"kind": "text", "text": p} for p in _paragraphs(section["text"]))
    body.extend({"kind": "text", "text": p} for p in _paragraphs(doc.closing))
    issuer = header.issuer
    who = issuer.display or doc.unit.name
    subtitle = (
        f"THỐNG KÊ SỐ LIỆU VÀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH {doc.period.name.upper()}, "
        f"TẠI {who.upper()}\n(Kèm theo {doc.title} số {doc.number.strip()} {format_date_long(doc.day)} của {who})"
    )
    rows = [
        {k: v for k, v in r.items() if k in ("is_group", "stt", "name", "unit", "value", "note")}
        for r in appendix_rows(doc.rows)
    ]
    return {**header.as_context(), "body": body, "appendix": {"title": "PHỤ LỤC", "subtitle": subtitle, "rows": rows}}


def render_docx(doc: ReportDocument) -> bytes:
    """DOCX theo Nghị định 30: header, body, signature, the landscape appendix; a roll-up adds its table by unit."""
    data = rendering.render_docx("van-ban-phu-luc", docx_context(doc))
    if not doc.by_unit:
        return data
    return _append_by_unit(data, doc)


def _append_by_unit(data: bytes, doc: ReportDocument) -> bytes:
    """The documents app has one appendix table per template; the table by unit is added after it."""
    document = Document(io.BytesIO(data))
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run("BẢNG TỔNG HỢP THEO ĐƠN VỊ")
    run.bold = True
    headers = ["STT", "Đơn vị", "Tình hình gửi báo cáo", *doc.by_unit_headers]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = cell.paragraphs[0].add_run(text)
        r.bold = True
        r.font.size = Pt(11)
    for i, row in enumerate(doc.by_unit, start=1):
        state = row["label"] + (f" ({row['submitted_on']})" if row.get("submitted_on") else "")
        texts = [str(i), row["name"], state, *row["values"]]
        cells = table.add_row().cells
        for j, (cell, text) in enumerate(zip(cells, texts, strict=True)):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT if j >= 3 else WD_ALIGN_PARAGRAPH.LEFT
            cell.paragraphs[0].add_run(text).font.size = Pt(11)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render_pdf(doc: ReportDocument | None = None, docx: bytes | None = None) -> bytes:
    return rendering.docx_to_pdf(docx if docx is not None else render_docx(doc))


# ---- XLSX --------------------------------------------------------------------------------------------
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _cell_value(row: FigureRow) -> tuple[Any, str | None]:
    """The number as a number (so the sheet can compute) with a display format; an unknown figure as the
    missing mark ("…"), never an empty cell a reader would take for 0."""
    if row.value is None:
        return (placeholders.missing_mark() if row.missing else None), None
    if row.value_type == ValueType.PERCENT:
        return float(row.value / Decimal(100)), "0.00%"
    if row.value == row.value.to_integral_value():
        return int(row.value), "#,##0"
    return float(row.value), "#,##0.00"


def render_xlsx(doc: ReportDocument) -> bytes:
    """Phụ lục thống kê dạng bảng tính: STT, chỉ tiêu, đơn vị tính, số liệu, ghi chú."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    ws.append(["PHỤ LỤC"])
    ws.append(
        [f"Thống kê số liệu và kết quả thực hiện công tác cải cách hành chính {doc.period.name}, {doc.unit.name}"]
    )
    ws.append([f"(Kèm theo {doc.title} số {doc.number.strip()} {format_date_long(doc.day)})"])
    ws.append([])
    ws.append(["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
    for r in (1, 2, 3):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
        ws.cell(r, 1).font = Font(bold=r == 1, italic=r == 3)
    for item in appendix_rows(doc.rows):
        row: FigureRow | None = item["row"]
        value, fmt = _cell_value(row) if row is not None and not row.is_heading else (None, None)
        ws.append([item["stt"], item["name"], item["unit"], value, item["note"]])
        cells = ws[ws.max_row]
        for cell in cells:
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        cells[0].alignment = Alignment(horizontal="center", vertical="top")
        if fmt:
            cells[3].number_format = fmt
        if item["is_group"] or (row is not None and row.is_heading):
            for cell in cells:
                cell.font = Font(bold=True)
    for col, width in zip("ABCDE", (7, 70, 18, 14, 40), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    if doc.by_unit:
        sheet = wb.create_sheet("Theo đơn vị")
        sheet.append(["STT", "Mã đơn vị", "Đơn vị", "Tình hình gửi báo cáo", "Ngày gửi", *doc.by_unit_headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for i, row in enumerate(doc.by_unit, start=1):
            raw = list(row.get("raw", {}).values())
            values = [placeholders.missing_mark() if v is None else float(Decimal(v)) for v in raw]
            sheet.append([i, row["code"], row["name"], row["label"], row["submitted_on"], *values])
    for worksheet in wb.worksheets:  # notes and names are typed by users: never a live formula
        protect_worksheet(worksheet)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def file_name(report: Report, ext: str) -> str:
    return f"bao-cao-cchc-{report.period.code}-{report.unit.code}.{ext}".lower()
