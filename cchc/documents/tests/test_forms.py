"""The one-stop forms 01-07 render from their templates with every field, and read back."""

import io
from datetime import date

import pytest
from docx import Document

from cchc.documents.rendering import Image, official_header, qr_png, render_docx


def _dossier():
    return {
        "code": "000.16.21.H42-250304-0012",
        "procedure": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "applicant": {
            "name": "Nguyễn Văn A",
            "id_number": "042090001234",
            "address": "Thôn 1, xã Sơn Tây",
            "phone": "0912 345 678",
            "email": "",
        },
        "received_time": "08 giờ 15 phút",
        "received_date": "04/03/2025",
        "due_time": "08 giờ 15 phút",
        "due_date": "05/03/2025",
        "sets": 1,
        "processing_time": "01 ngày làm việc",
        "result_place": "Bộ phận Một cửa xã Sơn Tây",
        "book": "01/2025",
        "line": "112",
        "papers": [
            {"name": "Tờ khai đăng ký khai sinh", "kind": "Bản chính", "count": 1},
            {"name": "Giấy chứng sinh", "kind": "Bản chính", "count": 1},
        ],
        "receiver": "Phan Văn Minh",
        "supplements": ["Giấy chứng sinh bản chính"],
        "reason": "Thiếu giấy tờ & chữ ký",
        "old_due_date": "05/03/2025",
        "new_due_date": "07/03/2025",
        "lookup_key": "K7M2QX",
        "lookup_page": "https://dvc.example.vn/cong-khai/tra-cuu/",
        "handovers": [
            {
                "agency": "Bộ phận Một cửa",
                "when": "08:15 04/03/2025",
                "giver": "Phan Văn Minh",
                "taker": "Lê Thị Lan",
                "result": "Đúng hạn",
                "note": "",
            }
        ],
    }


def _texts(doc):
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            out.extend(c.text for c in row.cells)
    return "\n".join(out)


@pytest.fixture
def header(demo_org):
    return official_header(demo_org["001.16.21.H42"], date(2025, 3, 4), number="", title="", summary="")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "mau-01-tiep-nhan",
            [
                "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
                "Mã hồ sơ: 000.16.21.H42-250304-0012",
                "Tờ khai đăng ký khai sinh",
                "ngày 05/03/2025",
                "NGƯỜI TIẾP NHẬN HỒ SƠ",
                "Quyển số: 01/2025, Số thứ tự: 112",
                "Mã tra cứu: K7M2QX",
                "vào https://dvc.example.vn/cong-khai/tra-cuu/, nhập mã hồ sơ và mã tra cứu",
            ],
        ),
        (
            "mau-02-bo-sung",
            [
                "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
                "1. Giấy chứng sinh bản chính",
                "Lý do: Thiếu giấy tờ & chữ ký",
            ],
        ),
        ("mau-03-tu-choi", ["PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Thiếu giấy tờ & chữ ký"]),
        (
            "mau-04-xin-loi",
            [
                "Kính gửi: Nguyễn Văn A",
                "mã hồ sơ 000.16.21.H42-250304-0012",
                "hẹn trả kết quả giải quyết hồ sơ vào ngày 07/03/2025",
                "Bộ phận Một cửa xã Sơn Tây xin lỗi",
            ],
        ),
        ("mau-06-kiem-soat", ["PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Người nhận: Lê Thị Lan", "Đúng hạn"]),
    ],
)
def test_each_form_renders_with_its_fields(header, name, expected):
    context = {
        **header.as_context(),
        "dossier": _dossier(),
        "copy_label": "Giao người nộp",
        "qr": Image(qr_png("000.16.21.H42-250304-0012")),
    }
    doc = Document(io.BytesIO(render_docx(name, context)))
    text = _texts(doc)
    for item in expected:
        assert item in text, item
    assert "{{" not in text and "{%" not in text
    assert "UBND XÃ SƠN TÂY" in text and "BỘ PHẬN MỘT CỬA" in text


def test_receipt_carries_the_qr_code_image(header):
    context = {
        **header.as_context(),
        "dossier": _dossier(),
        "copy_label": "Lưu",
        "qr": Image(qr_png("000.16.21.H42-250304-0012"), width_mm=25),
    }
    doc = Document(io.BytesIO(render_docx("mau-01-tiep-nhan", context)))
    assert len(doc.inline_shapes) == 1
    assert round(doc.inline_shapes[0].width.mm) == 25


def test_register_of_a_period_is_landscape(header):
    rows = [
        {
            "code": f"C{i}",
            "procedure": "Chứng thực",
            "applicant": "A",
            "contact": "",
            "received_date": "01/03/2025",
            "due_date": "01/03/2025",
            "result_date": "",
            "returned": "",
            "note": "",
        }
        for i in range(3)
    ]
    context = {**header.as_context(), "register": {"start": "01/03/2025", "end": "31/03/2025", "rows": rows}}
    doc = Document(io.BytesIO(render_docx("mau-07-so-theo-doi", context)))
    assert doc.sections[0].page_width > doc.sections[0].page_height
    assert [r.cells[1].text for r in doc.tables[-1].rows[1:]] == ["C0", "C1", "C2"]
