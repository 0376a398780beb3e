"""A Word file built here is read back (paragraphs and tables in order); the CLI and the upload page."""

import io
import json
import re

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from cchc.checker.reading import read_document
from cchc.checker.services import check_document


def _report_docx(total: str = "54.647") -> bytes:
    d = docx.Document()
    d.add_paragraph("BÁO CÁO")
    d.add_paragraph("Kết quả cải cách hành chính 6 tháng đầu năm 2022")
    d.add_paragraph("I. KẾT QUẢ THỰC HIỆN")
    d.add_paragraph("1. Cải cách thủ tục hành chính")
    d.add_paragraph("Kết quả giải quyết hồ sơ theo bảng sau:")
    t = d.add_table(rows=4, cols=4)
    for r, row in enumerate(
        [
            ["Đơn vị", "Tiếp nhận", "Đúng hạn", "Quá hạn"],
            ["Cấp huyện", "4.747", "4.738", "9"],
            ["Cấp xã", "49.900", "49.120", "780"],
            ["Tổng cộng", total, "53.858", "789"],
        ]
    ):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    d.add_paragraph("2. Cải cách tổ chức bộ máy")
    d.add_paragraph("Có 21 chức danh (11 công chức, 9 cán bộ).")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_is_read_in_document_order_with_sections():
    doc = read_document(_report_docx(), name="bc.docx")
    kinds = [(u.kind, u.text) for u in doc.units]
    assert kinds.index(("paragraph", "Kết quả giải quyết hồ sơ theo bảng sau:")) < kinds.index(("cell", "Đơn vị"))
    assert kinds.index(("cell", "780")) < kinds.index(("paragraph", "2. Cải cách tổ chức bộ máy"))
    cell = next(u for u in doc.units if u.text == "49.900")
    assert (cell.table, cell.row, cell.cell, cell.section) == (1, 3, 2, ("I", "1"))
    assert doc.text[cell.start : cell.end] == "49.900"


def test_docx_wrong_total_row_and_sentence_found():
    r = check_document(_report_docx("54.600"), name="bc.docx")
    found = {(f.check, f.unit.location_text()) for f in r.findings}
    assert ("tong_bang", "Mục I › 1 (Cải cách thủ tục hành chính), bảng 1, dòng 4, cột 2") in found
    msg = next(f.message for f in r.findings if f.check == "tong_bang")
    assert "4.747 + 49.900 = 54.647 ≠ 54.600" in msg
    assert any(f.check == "tong_thanh_phan" and "11 + 9 = 20 ≠ 21" in f.message for f in r.findings)
    assert r.period.code == "h1" and str(r.period.start) == "2021-12-15"


def test_docx_right_total_row_is_silent():
    r = check_document(_report_docx("54.647"), name="bc.docx")
    assert [f.check for f in r.findings] == ["tong_thanh_phan"]


def test_unreadable_files_get_a_vietnamese_error(tmp_path):
    bad = tmp_path / "hong.docx"
    bad.write_bytes(b"not a zip")
    # the upload guard (cchc.core.uploads) answers for a file that is not a real .docx
    with pytest.raises(CommandError, match=r"văn bản Word \(\.docx\)|Không đọc được tệp Word"):
        call_command("check-report", str(bad))
    with pytest.raises(CommandError, match="chỉ nhận tệp Word"):
        call_command("check-report", str(tmp_path / "a.pdf"))


def test_command_json_has_stable_keys(tmp_path, capsys):
    path = tmp_path / "bc.docx"
    path.write_bytes(_report_docx("54.600"))
    call_command("check-report", str(path), "--json")
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["file", "kind", "date", "period", "summary", "findings", "figures"]
    f = data["findings"][0]
    assert list(f) == ["severity", "check", "location", "location_text", "quote", "message", "numbers", "start", "end"]
    assert {"section", "table", "row", "cell"} <= set(f["location"])
    assert any(x["kind"] == "number" and x["value"] == 54600 for x in data["figures"])
    call_command("check-report", str(path))
    out = capsys.readouterr().out
    assert "== LỖI" in out and "54.647 ≠ 54.600" in out


@pytest.fixture
def client_in(client, make_user, demo_org):
    client.force_login(make_user("kiemtra", unit=demo_org["000.13.21.H42"]))
    return client


def test_page_requires_login(client, db):
    resp = client.get(reverse("checker:check"))
    assert resp.status_code == 302 and "next=" in resp["Location"]


def test_page_checks_an_upload_and_highlights(client_in):
    url = reverse("checker:check")
    assert "Kiểm tra báo cáo" in client_in.get(url).content.decode()
    up = io.BytesIO(_report_docx("54.600"))
    up.name = "bc.docx"
    resp = client_in.post(url, {"file": up})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "4.747 + 49.900 = 54.647 ≠ 54.600" in html
    assert '<span id="f1"></span><mark class="chk-error">' in html


def test_page_rejects_other_file_types(client_in):
    up = io.BytesIO(b"%PDF-1.4")
    up.name = "bc.pdf"
    resp = client_in.post(reverse("checker:check"), {"file": up})
    assert resp.status_code == 400
    assert "chỉ nhận tệp Word (.docx), văn bản (.txt) hoặc Markdown (.md)" in resp.content.decode()


def test_page_renders_a_real_report_with_tables(client_in):
    from pathlib import Path

    ref = Path("/work/shared/reference/001_1e7ef463a3936192.txt")
    if not ref.is_file():
        pytest.skip("reference documents not available")
    with open(ref, "rb") as fh:
        resp = client_in.post(reverse("checker:check"), {"file": fh})
    html = resp.content.decode()
    assert resp.status_code == 200
    # a finding on a table row marks each of its cells; every finding is marked at least once
    count = len(check_document(ref).findings)
    assert count >= 9
    assert {int(x) for x in re.findall(r'<span id="f(\d+)"></span><mark class="chk-', html)} == set(range(1, count + 1))
    assert "<table>" in html
    assert "53.850 + 789 = 54.639 ≠ 54.647" in html
