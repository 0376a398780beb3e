"""An indicator a province adds is printed where its declared place says (issue 12, item 5): in the appendix
after the row it follows, and in the report outline's section as its sentence — read back from a real DOCX."""

import io

import pytest
from docx import Document

from cchc.accounts.actors import SystemActor
from cchc.core.importing import ImportRejected
from cchc.indicators import adding
from cchc.indicators.services import enter_value
from cchc.reports import output, services

SON_TAY = "000.16.21.H42"
ACTOR = SystemActor("test")
YAML = """\
rows:
- {code: tinh.tax_revenue, name: "Thu thuế, phí trên địa bàn", unit: "Triệu đồng", type: decimal, rollup: sum,
   counts: own, source: entered, group: "VI", after: finance.autonomy,
   outline: {section: ket-qua.tai-chinh, text: "Thu thuế, phí trên địa bàn đạt {tinh.tax_revenue} triệu đồng."}}
- {code: tinh.volunteers, name: "Số đoàn viên tình nguyện hỗ trợ TTHC", unit: "Người", type: integer,
   rollup: sum, counts: own, source: entered, group: "VI", outline: ket-qua.tthc}
"""


def _docx_text(report) -> tuple[list[str], list[list[str]]]:
    doc = Document(io.BytesIO(output.render_docx(output.document_for(report))))
    rows = [[c.text.strip() for c in row.cells] for table in doc.tables for row in table.rows]
    return [p.text for p in doc.paragraphs], rows


def test_an_added_indicator_prints_in_the_outline_section_and_the_appendix(demo_org):
    unit = demo_org[SON_TAY]
    adding.add_indicators(ACTOR, "tinh.yaml", YAML.encode())
    enter_value(ACTOR, unit, "2026-6T", "tinh.tax_revenue", "450,5")
    enter_value(ACTOR, unit, "2026-6T", "tinh.volunteers", 12)
    report = services.create_report(ACTOR, unit, "2026-6T")
    section = report.sections.get(key="ket-qua.tai-chinh")
    assert section.text.endswith("Thu thuế, phí trên địa bàn đạt {tinh.tax_revenue} triệu đồng.")
    assert report.sections.get(key="ket-qua.tthc").text.endswith(
        "Số đoàn viên tình nguyện hỗ trợ TTHC: {tinh.volunteers} người."
    )  # the default sentence: name, figure, unit

    paragraphs, rows = _docx_text(report)
    finance = next(i for i, p in enumerate(paragraphs) if p == section.heading)
    after = paragraphs[finance + 1 : finance + 6]
    assert "Thu thuế, phí trên địa bàn đạt 450,5 triệu đồng." in after
    assert "Số đoàn viên tình nguyện hỗ trợ TTHC: 12 người." in paragraphs
    names = [r[1] if len(r) > 1 else "" for r in rows]
    at = names.index("Thu thuế, phí trên địa bàn")
    assert names[at - 1] == "UBND cấp huyện thực hiện cơ chế tự chủ theo quy định"  # after finance.autonomy
    assert "450,5" in rows[at]


def test_an_outline_place_must_print_the_figure(demo_org):
    bad = YAML.replace("đạt {tinh.tax_revenue} triệu đồng", "đạt kết quả tốt")
    with pytest.raises(ImportRejected) as caught:
        adding.add_indicators(ACTOR, "tinh.yaml", bad.encode())
    assert "{tinh.tax_revenue}" in str(caught.value.errors[0]) and "Dòng 2" in str(caught.value.errors[0])
