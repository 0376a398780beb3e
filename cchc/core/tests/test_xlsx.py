"""XLSX downloads: formula-like text stays text (read back by openpyxl and by calamine), typed columns,
Vietnamese file names."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from cchc.core.xlsx import Column, Kind, attachment_header, protect_worksheet, xlsx_bytes, xlsx_response

HOSTILE = [
    '=HYPERLINK("http://evil.example/x","Bấm")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
]


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


def test_formula_like_text_is_written_as_text_and_reads_back_unchanged():
    cols = [Column("Ghi chú"), Column("Số hồ sơ", Kind.INTEGER)]
    data = xlsx_bytes("Phụ lục", cols, [(text, 5) for text in HOSTILE])
    xml = _sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml  # no formula element anywhere
    ws = load_workbook(io.BytesIO(data)).active
    got = [(c.value, c.data_type) for c in ws["A"][1:]]
    assert got == [(t, "s") for t in HOSTILE]
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert [r[0] for r in rows[1:]] == HOSTILE
    assert rows[1][1] == 5


def test_without_protection_openpyxl_would_write_a_formula():
    """The defect this module removes: openpyxl stores any "=…" string as a formula."""
    wb = Workbook()
    wb.active.append(['=HYPERLINK("http://evil.example","x")'])
    out = io.BytesIO()
    wb.save(out)
    assert "<f>" in _sheet_xml(out.getvalue())
    protect_worksheet(wb.active)
    out = io.BytesIO()
    wb.save(out)
    assert "<f>" not in _sheet_xml(out.getvalue())
    assert load_workbook(io.BytesIO(out.getvalue())).active["A1"].data_type == "s"


def test_typed_columns_keep_numbers_and_formats():
    cols = [
        Column("Đơn vị"),
        Column("Tiếp nhận", Kind.INTEGER),
        Column("Tỷ lệ đúng hạn", Kind.PERCENT),
        Column("Điểm", Kind.DECIMAL),
        Column("Ngày", Kind.DATE),
    ]
    data = xlsx_bytes("Hồ sơ", cols, [("Xã Sơn Tây", Decimal("54647"), Decimal("96.9"), 12.5, date(2021, 12, 14))])
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[1]] == [c.header for c in cols]
    _a, b, c, d, e = ws[2]
    assert b.value == 54647 and b.number_format == "#,##0"
    assert c.value == pytest.approx(0.969) and c.number_format == "0.00%"
    assert d.value == 12.5 and d.number_format == "#,##0.00"
    assert e.value.date() == date(2021, 12, 14) and e.number_format == "dd/mm/yyyy"


def test_response_has_vietnamese_safe_file_name():
    response = xlsx_response("Báo cáo Sơn Tây 2021.xlsx", "Phụ lục: [tổng]", [Column("A")], [("x",)])
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="bao-cao-son-tay-2021.xlsx"')
    assert "filename*=utf-8''B%C3%A1o%20c%C3%A1o%20S%C6%A1n%20T%C3%A2y%202021.xlsx" in disposition
    data = b"".join(response.streaming_content)
    assert load_workbook(io.BytesIO(data)).sheetnames == ["Phụ lục tổng"]
    assert attachment_header('a"b.xlsx') == 'attachment; filename="a-b.xlsx"'


def test_report_appendix_note_with_hyperlink_is_text():
    """Issue 13 item 6: an indicator note ``=HYPERLINK(…)`` became a live formula in the report's XLSX."""
    from types import SimpleNamespace

    from cchc.reports.output import render_xlsx
    from cchc.reports.selectors import FigureRow

    note = '=HYPERLINK("http://evil.example/x","Bấm")'
    row = FigureRow(
        code="x.y",
        name="-Số hồ sơ",
        group_code="I",
        group_name="Chỉ đạo",
        stt="1",
        unit="Hồ sơ",
        value_type="integer",
        in_appendix=True,
        is_heading=False,
        value=Decimal(7),
        display="7",
        note=note,
    )
    doc = SimpleNamespace(
        period=SimpleNamespace(name="năm 2021"),
        unit=SimpleNamespace(name="@Xã"),
        title="Báo cáo",
        number="1",
        day=date(2021, 12, 14),
        rows={"x.y": row},
        by_unit=[],
    )
    data = render_xlsx(doc)
    assert "<f>" not in _sheet_xml(data)
    ws = load_workbook(io.BytesIO(data))["Phụ lục"]
    cells = {r[1].value: r for r in ws.iter_rows(min_row=6)}
    assert cells["-Số hồ sơ"][4].value == note and cells["-Số hồ sơ"][4].data_type == "s"
    assert cells["-Số hồ sơ"][3].value == 7
