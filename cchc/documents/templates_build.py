"""Builds the shipped .docx templates. Each template is a function from nothing to a python-docx Document;
they share the ND 30 blocks of `cchc.documents.nd30`, so every document has the same header and footer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from cchc.documents import nd30
from cchc.documents.rendering import TEMPLATES_DIR


def narrative(with_appendix: bool = False):
    """Báo cáo, kế hoạch…: header, title and summary, "Kính gửi", body blocks, Nơi nhận and signature;
    optionally a landscape appendix table (STT, chỉ tiêu, đơn vị tính, số liệu, ghi chú)."""
    doc = nd30.new_document()
    nd30.header_block(doc)
    nd30.title_block(doc)
    nd30.para(doc, "{%p if addressee %}")
    nd30.para(doc, "Kính gửi: {{ addressee }}", align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    nd30.para(doc, "{%p endif %}")
    nd30.body_blocks(doc)
    nd30.recipients_and_signature(doc)
    if with_appendix:
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        nd30.set_page(section, landscape=True)
        nd30.para(doc, "{{ appendix.title }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        nd30.para(doc, "{{ appendix.subtitle }}", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
        appendix_table(doc)
    return doc


APPENDIX_WIDTHS_CM = [1.4, 13.0, 3.4, 3.2, 4.6]


def appendix_table(doc) -> None:
    headers = ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"]
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(12)

    def tag_row(text: str) -> None:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(text)

    def value_row(bold: bool) -> None:
        cells = table.add_row().cells
        texts = ["{{ row.stt }}", "{{ row.name }}", "{{ row.unit }}", "{{ row.value }}", "{{ row.note }}"]
        aligns = [WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER,
                  WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT]
        for cell, text, align in zip(cells, texts, aligns, strict=True):
            cell.paragraphs[0].alignment = align
            run = cell.paragraphs[0].add_run(text)
            run.font.size = Pt(12)
            run.bold = bold

    tag_row("{%tr for row in appendix.rows %}")
    tag_row("{%tr if row.is_group %}")
    value_row(bold=True)
    tag_row("{%tr else %}")
    value_row(bold=False)
    tag_row("{%tr endif %}")
    tag_row("{%tr endfor %}")
    nd30.set_col_widths(table, APPENDIX_WIDTHS_CM)
    for row in table.rows:
        row.height = Cm(0.6)


TEMPLATES: dict[str, Callable[[], object]] = {
    "van-ban": narrative,
    "van-ban-phu-luc": lambda: narrative(with_appendix=True),
}


def build_all(out_dir: Path = TEMPLATES_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in TEMPLATES.items():
        path = out_dir / f"{name}.docx"
        build().save(path)
        written.append(path)
    return written
