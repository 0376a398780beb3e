"""The Nghị định 30/2020 page, header and signature blocks, written with python-docx.

These functions build the .docx *templates* (with docxtpl tags) that live in `cchc/data/documents/templates`;
`cchc documents build-templates` writes them. A province may then edit a template in Word: the template file
is the layout, the code only fills it. Measurements follow ND 30 Phụ lục I: A4, margins top/bottom 20 mm,
left 30 mm, right 15 mm, Times New Roman, body 14 pt justified with a 1 cm first-line indent and 6 pt after.
"""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 14


def new_document(landscape: bool = False):
    doc = Document()
    doc.core_properties.author = "cchc"
    doc.core_properties.comments = "Mẫu văn bản theo Nghị định 30/2020/NĐ-CP"
    section = doc.sections[0]
    set_page(section, landscape)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    return doc


def set_page(section, landscape: bool = False) -> None:
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.top_margin = Mm(20)
    section.bottom_margin = Mm(20)
    section.left_margin = Mm(30) if not landscape else Mm(20)
    section.right_margin = Mm(15)


def para(
    container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.LEFT,
    indent: bool = False,
    after: float = 0,
    before: float = 0,
) -> Paragraph:
    p = container.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(after)
    p.paragraph_format.space_before = Pt(before)
    if indent:
        p.paragraph_format.first_line_indent = Cm(1)
    if text:
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        run.italic = italic
    return p


def short_rule(p: Paragraph, width_cm: float, column_cm: float) -> None:
    """A short line under a centred heading: a bottom border on a paragraph indented from both sides."""
    margin = max((column_cm - width_cm) / 2, 0)
    p.paragraph_format.left_indent = Cm(margin)
    p.paragraph_format.right_indent = Cm(margin)
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    ppr.append(borders)


def borderless(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def set_col_widths(table: Table, widths_cm: list[float]) -> None:
    """Fixed column widths. Word reads the cell widths, LibreOffice the table grid: set both."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def cell_text(
    cell, text: str, *, size: float, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER, first: bool = False
) -> Paragraph:
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    p.alignment = align
    if text:
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        run.italic = italic
    return p


LEFT_COL_CM, RIGHT_COL_CM = 6.0, 10.0


def header_block(doc, *, number_line: str = "Số: {{ number }}", extra_left: str | None = None) -> None:
    """Quốc hiệu, tiêu ngữ, tên cơ quan, số ký hiệu, địa danh ngày tháng — the two-column header of ND 30.

    Tags: ``issuer.parent_line``, ``issuer.name_lines``, ``number``, ``place_date`` and, for a công văn,
    ``extra_left`` (the "V/v …" line).
    """
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    borderless(table)
    set_col_widths(table, [LEFT_COL_CM, RIGHT_COL_CM])
    left, right = table.rows[0].cells
    cell_text(left, "{%p if issuer.parent_line %}", size=13, first=True)
    cell_text(left, "{{ issuer.parent_line }}", size=13)
    cell_text(left, "{%p endif %}", size=13)
    cell_text(left, "{%p for line in issuer.name_lines %}", size=13)
    cell_text(left, "{{ line }}", size=13, bold=True)
    cell_text(left, "{%p endfor %}", size=13)
    rule = cell_text(left, "", size=2)
    short_rule(rule, 2.0, LEFT_COL_CM)
    cell_text(left, "", size=6)
    cell_text(left, number_line, size=13)
    if extra_left:
        cell_text(left, extra_left, size=12)
    cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12.5, bold=True, first=True)
    cell_text(right, "Độc lập - Tự do - Hạnh phúc", size=13.5, bold=True)
    # The rule under the motto is as long as the motto; it sits on its own tiny paragraph so that it never
    # squeezes the motto onto two lines.
    motto_rule = cell_text(right, "", size=2)
    short_rule(motto_rule, 6.2, RIGHT_COL_CM)
    cell_text(right, "", size=6)
    cell_text(right, "{{ place_date }}", size=14, italic=True)


def title_block(doc, title: str = "{{ doc_title }}", summary: str = "{{ doc_summary }}") -> None:
    para(doc, "", size=8)
    para(doc, title, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=12)
    p = para(doc, summary, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    rule = para(doc, "", size=4, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    short_rule(rule, 3.0, 16.5)
    del p


def recipients_and_signature(doc) -> None:
    """Nơi nhận (left, 12 pt bold italic title, 11 pt list) and the signature block (right).

    Tags: ``recipients`` (list of lines, the last usually "Lưu: VT, …"), ``sign.authority`` (list: e.g.
    ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]), ``sign.name``.
    """
    para(doc, "", size=6)
    table = doc.add_table(rows=1, cols=2)
    borderless(table)
    set_col_widths(table, [8.0, 8.0])
    left, right = table.rows[0].cells
    cell_text(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    cell_text(left, "{%p for r in recipients %}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    cell_text(left, "- {{ r }}{% if not loop.last %};{% else %}.{% endif %}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    cell_text(left, "{%p endfor %}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    cell_text(right, "{%p for line in sign.authority %}", size=14, first=True)
    cell_text(right, "{{ line }}", size=14, bold=True)
    cell_text(right, "{%p endfor %}", size=14)
    for _ in range(4):
        cell_text(right, "", size=14)
    cell_text(right, "{{ sign.name }}", size=14, bold=True)


def body_blocks(doc) -> None:
    """The narrative: ``body`` is a list of blocks {kind: heading|text, text}."""
    para(doc, "{%p for block in body %}")
    para(doc, "{%p if block.kind == 'heading' %}")
    para(doc, "{{ block.text }}", bold=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)
    para(doc, "{%p else %}")
    para(doc, "{{ block.text }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)
    para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")


def loop_table(
    doc,
    headers: list[str],
    widths_cm: list[float],
    loop: str,
    cells: list[str],
    *,
    aligns: list | None = None,
    size: float = 12,
    group_flag: str | None = None,
) -> Table:
    """A bordered table whose body repeats one row per item: ``loop`` is the docxtpl loop head
    (``row in rows``), ``cells`` the Jinja text of each cell. With ``group_flag`` (``row.is_group``) a
    second, bold row shape is used for the items where that flag is true (group headings)."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell_text(cell, text, size=size, bold=True, first=True)
    aligns = aligns or [WD_ALIGN_PARAGRAPH.LEFT] * len(headers)

    def tag_row(text: str) -> None:
        table.add_row().cells[0].paragraphs[0].add_run(text)

    def value_row(bold: bool) -> None:
        for cell, text, align in zip(table.add_row().cells, cells, aligns, strict=True):
            cell_text(cell, text, size=size, bold=bold, align=align, first=True)

    tag_row(f"{{%tr for {loop} %}}")
    if group_flag:
        tag_row(f"{{%tr if {group_flag} %}}")
        value_row(bold=True)
        tag_row("{%tr else %}")
        value_row(bold=False)
        tag_row("{%tr endif %}")
    else:
        value_row(bold=False)
    tag_row("{%tr endfor %}")
    set_col_widths(table, widths_cm)
    return table


def two_signatures(doc, left_title: str, right_title: str, left_name: str = "", right_name: str = "") -> None:
    """Two signatures side by side (người nộp / người tiếp nhận), each "(Ký và ghi rõ họ tên)"."""
    para(doc, "", size=6)
    table = doc.add_table(rows=1, cols=2)
    borderless(table)
    set_col_widths(table, [8.0, 8.0])
    for cell, title, name in zip(table.rows[0].cells, (left_title, right_title), (left_name, right_name), strict=True):
        cell_text(cell, title, size=13, bold=True, first=True)
        cell_text(cell, "(Ký và ghi rõ họ tên)", size=12, italic=True)
        for _ in range(3):
            cell_text(cell, "", size=13)
        cell_text(cell, name, size=13, bold=True)
