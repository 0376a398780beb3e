"""Official documents: rendered from the templates, opened again with python-docx and read back."""

import io
import zipfile
from datetime import date

import pytest
from docx import Document

from cchc.documents import templates_build
from cchc.documents.issuer import issuer_for
from cchc.documents.rendering import DocumentError, Signature, official_header, render_docx

SON_TAY, SON_TAY_ONE_STOP = "000.16.21.H42", "001.16.21.H42"


def _context(unit, **extra):
    header = official_header(
        unit,
        date(2021, 12, 14),
        number="303/BC-UBND",
        title="Báo cáo",
        summary="Kết quả thực hiện công tác cải cách hành chính năm 2021",
        recipients=["UBND huyện Hương Sơn", "Phòng Nội vụ huyện", "Lưu: VT, VP-TK"],
        sign=Signature(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], "Hoàng Văn Dũng"),
        addressee="UBND huyện Hương Sơn",
    )
    body = [
        {"kind": "heading", "text": "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"},
        {"kind": "text", "text": "Tiếp nhận 665 hồ sơ, giải quyết đúng hạn và trước hạn đạt 100%."},
        {"kind": "text", "text": "Phối hợp A & B <thử>."},
    ]
    return {**header.as_context(), "body": body, **extra}


def _texts(doc):
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                out.extend(p.text for p in cell.paragraphs)
    return out


def test_issuer_of_a_commune_and_of_its_one_stop_section(demo_org):
    commune = issuer_for(demo_org[SON_TAY], date(2021, 12, 14))
    assert (commune.parent_line, commune.place) == ("", "Sơn Tây")
    assert commune.name_lines == ("ỦY BAN NHÂN DÂN", "XÃ SƠN TÂY")
    section = issuer_for(demo_org[SON_TAY_ONE_STOP], date(2021, 12, 14))
    assert section.parent_line == "UBND XÃ SƠN TÂY" and section.name_lines == ("BỘ PHẬN MỘT CỬA",)


def test_report_renders_the_nd30_frame(demo_org):
    data = render_docx("van-ban", _context(demo_org[SON_TAY]))
    doc = Document(io.BytesIO(data))
    texts = _texts(doc)
    for expected in [
        "ỦY BAN NHÂN DÂN",
        "XÃ SƠN TÂY",
        "Số: 303/BC-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Sơn Tây, ngày 14 tháng 12 năm 2021",
        "BÁO CÁO",
        "Kết quả thực hiện công tác cải cách hành chính năm 2021",
        "Kính gửi: UBND huyện Hương Sơn",
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
        "Nơi nhận:",
        "- UBND huyện Hương Sơn;",
        "- Lưu: VT, VP-TK.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Hoàng Văn Dũng",
        "Phối hợp A & B <thử>.",
    ]:
        assert expected in texts, expected
    assert not any("{{" in t or "{%" in t for t in texts)
    section = doc.sections[0]

    def mm(length):  # Word stores twentieths of a point: compare to the millimetre
        return round(length.mm)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.left_margin), mm(section.right_margin), mm(section.top_margin)) == (30, 15, 20)
    assert doc.styles["Normal"].font.name == "Times New Roman"
    italic = [r for p in doc.tables[0].rows[0].cells[1].paragraphs for r in p.runs if "ngày 14" in r.text]
    assert italic and italic[0].italic
    bold_body_heading = [r for p in doc.paragraphs for r in p.runs if r.text == "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"]
    assert bold_body_heading[0].bold


def test_appendix_is_a_landscape_table_with_group_rows(demo_org):
    rows = [
        {"is_group": True, "stt": "I", "name": "CÔNG TÁC CHỈ ĐẠO", "unit": "", "value": "", "note": ""},
        {"is_group": False, "stt": "1", "name": "Số hồ sơ tiếp nhận", "unit": "Hồ sơ", "value": "54.647", "note": ""},
        {"is_group": False, "stt": "2", "name": "Tỷ lệ đúng hạn", "unit": "%", "value": "96,90%", "note": "x"},
    ]
    context = _context(demo_org[SON_TAY], appendix={"title": "PHỤ LỤC", "subtitle": "Số liệu", "rows": rows})
    doc = Document(io.BytesIO(render_docx("van-ban-phu-luc", context)))
    landscape = doc.sections[-1]
    assert landscape.page_width > landscape.page_height
    table = doc.tables[-1]
    body = [[c.text for c in row.cells] for row in table.rows]
    assert body[0] == ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"]
    assert body[1:] == [
        ["I", "CÔNG TÁC CHỈ ĐẠO", "", "", ""],
        ["1", "Số hồ sơ tiếp nhận", "Hồ sơ", "54.647", ""],
        ["2", "Tỷ lệ đúng hạn", "%", "96,90%", "x"],
    ]
    assert table.rows[1].cells[1].paragraphs[0].runs[0].bold
    assert not table.rows[2].cells[1].paragraphs[0].runs[0].bold


def test_a_missing_variable_is_an_error_not_a_blank(demo_org):
    context = _context(demo_org[SON_TAY])
    del context["number"]
    with pytest.raises(DocumentError, match="number"):
        render_docx("van-ban", context)


def test_unknown_template_is_a_vietnamese_error():
    with pytest.raises(DocumentError, match="Không có mẫu văn bản"):
        render_docx("khong-co", {})


def test_shipped_templates_match_the_builder(tmp_path):
    """The committed templates are what `cchc documents build-templates` writes (same document XML)."""
    from cchc.documents.rendering import TEMPLATES_DIR

    for built in templates_build.build_all(tmp_path):
        shipped = TEMPLATES_DIR / built.name
        with zipfile.ZipFile(built) as a, zipfile.ZipFile(shipped) as b:
            assert a.read("word/document.xml") == b.read("word/document.xml"), built.name
