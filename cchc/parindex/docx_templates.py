"""Mẫu văn bản của Chỉ số CCHC: the remediation plan (KẾ HOẠCH khắc phục, with its appendix table) and the
remediation report (BÁO CÁO kết quả khắc phục). Built from the shared ND 30 blocks of `cchc.documents.nd30`
and saved under `cchc/data/parindex/templates/`; `cchc parindex build-templates` writes them again.

The appendix columns follow the reference plan (shared/reference/003_…): STT, the criterion (code, name),
its points (maximum, obtained, lost), who leads the fix, by when, a note.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from cchc.documents import nd30
from cchc.documents.rendering import render_docx
from cchc.parindex.framework import DATA_DIR

TEMPLATES_DIR = DATA_DIR / "templates"
L, C, R = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT

PLAN_COLUMNS = [  # header, row expression, alignment, width (cm) — landscape, 25,7 cm usable
    ("STT", "{{ row.stt }}", C, 1.2),
    ("Mã tiêu chí", "{{ row.code }}", C, 1.8),
    ("Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "{{ row.name }}", L, 8.4),
    ("Điểm tối đa", "{{ row.max }}", R, 1.7),
    ("Điểm đạt", "{{ row.obtained }}", R, 1.6),
    ("Điểm bị mất", "{{ row.lost }}", R, 1.7),
    ("Đơn vị, người chủ trì tham mưu khắc phục", "{{ row.responsible }}", L, 4.4),
    ("Thời gian thực hiện", "{{ row.deadline }}", C, 2.3),
    ("Ghi chú", "{{ row.note }}", L, 2.6),
]

FIELD_COLUMNS = [  # portrait, 16,5 cm
    ("STT", "{{ row.stt }}", C, 1.2),
    ("Lĩnh vực", "{{ row.name }}", L, 8.7),
    ("Điểm tối đa", "{{ row.max }}", R, 2.2),
    ("Điểm đạt", "{{ row.obtained }}", R, 2.2),
    ("Điểm bị mất", "{{ row.lost }}", R, 2.2),
]

REPORT_COLUMNS = [  # landscape
    ("STT", "{{ row.stt }}", C, 1.1),
    ("Mã tiêu chí", "{{ row.code }}", C, 1.7),
    ("Tiêu chí", "{{ row.name }}", L, 5.6),
    ("Điểm tối đa", "{{ row.max }}", R, 1.6),
    ("Điểm đạt", "{{ row.obtained }}", R, 1.5),
    ("Điểm bị mất", "{{ row.lost }}", R, 1.6),
    ("Nguyên nhân mất điểm", "{{ row.reason }}", L, 5.0),
    ("Kết quả khắc phục", "{{ row.action }}", L, 5.2),
    ("Tình trạng", "{{ row.status }}", C, 2.4),
]


def loop_table(doc, columns: list[tuple[str, str, Any, float]], rows_var: str, size: float = 11) -> None:
    """The documents app's row-loop table with these column specs; ``is_group`` rows print in bold."""
    table = nd30.loop_table(
        doc,
        [c[0] for c in columns],
        [c[3] for c in columns],
        f"row in {rows_var}",
        [c[1] for c in columns],
        aligns=[c[2] for c in columns],
        size=size,
        group_flag="row.is_group",
    )
    for row in table.rows:
        row.height = Cm(0.6)


def _landscape_appendix(doc, columns) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    nd30.set_page(section, landscape=True)
    nd30.para(doc, "PHỤ LỤC", bold=True, align=C)
    nd30.para(doc, "{{ appendix.title }}", bold=True, align=C)
    nd30.para(doc, "{{ appendix.subtitle }}", italic=True, align=C, after=6)
    loop_table(doc, columns, "appendix.rows")


def plan_template():
    """KẾ HOẠCH khắc phục tồn tại, hạn chế: narrative (mục đích, yêu cầu; nhiệm vụ theo lĩnh vực; tổ chức
    thực hiện), signature, and the landscape appendix of lost criteria."""
    doc = nd30.new_document()
    nd30.header_block(doc)
    nd30.title_block(doc)
    nd30.body_blocks(doc)
    nd30.recipients_and_signature(doc)
    _landscape_appendix(doc, PLAN_COLUMNS)
    return doc


def report_template():
    """BÁO CÁO kết quả khắc phục: the official result and a per-field table, the narrative, signature, and
    the landscape appendix: per lost criterion, why it was lost, what was done, its status."""
    doc = nd30.new_document()
    nd30.header_block(doc)
    nd30.title_block(doc)
    nd30.para(doc, "{%p if addressee %}")
    nd30.para(doc, "Kính gửi: {{ addressee }}", align=C, after=6)
    nd30.para(doc, "{%p endif %}")
    nd30.body_blocks(doc)
    loop_table(doc, FIELD_COLUMNS, "fields", size=12)
    nd30.para(doc, "", after=6)
    nd30.para(doc, "{%p for block in body_after %}")
    nd30.para(doc, "{%p if block.kind == 'heading' %}")
    nd30.para(doc, "{{ block.text }}", bold=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)
    nd30.para(doc, "{%p else %}")
    nd30.para(doc, "{{ block.text }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)
    nd30.para(doc, "{%p endif %}")
    nd30.para(doc, "{%p endfor %}")
    nd30.recipients_and_signature(doc)
    _landscape_appendix(doc, REPORT_COLUMNS)
    return doc


TEMPLATES: dict[str, Callable[[], object]] = {
    "ke-hoach-khac-phuc": plan_template,
    "bao-cao-khac-phuc": report_template,
}


def build_all(out_dir: Path = TEMPLATES_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in TEMPLATES.items():
        path = out_dir / f"{name}.docx"
        build().save(path)
        written.append(path)
    return written


def render(name: str, context: dict[str, Any]) -> bytes:
    """Fill one of this app's templates through the one rendering path of the documents app."""
    return render_docx(TEMPLATES_DIR / f"{name}.docx", context)
