"""PDF is LibreOffice's conversion of the DOCX; `make test` installs Debian's libreoffice-writer."""

import re
import shutil
import subprocess
from datetime import date

import pytest

from cchc.documents.rendering import Signature, docx_to_pdf, libreoffice, official_header, render_docx


def test_report_converts_to_a_one_page_a4_pdf_with_vietnamese_text(demo_org, tmp_path):
    if libreoffice() is None or shutil.which("pdftotext") is None:
        pytest.fail("LibreOffice và poppler-utils phải được cài (make test cài chúng).")
    header = official_header(
        demo_org["000.16.21.H42"],
        date(2022, 2, 28),
        number="12/KH-UBND",
        title="Kế hoạch",
        summary="Khắc phục những hạn chế, tồn tại Chỉ số CCHC năm 2021",
        sign=Signature(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Nguyễn Văn An"),
    )
    body = [{"kind": "text", "text": "Tỷ lệ hồ sơ giải quyết đúng hạn đạt 96,90%."}]
    pdf = docx_to_pdf(render_docx("van-ban", {**header.as_context(), "body": body}))
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "kh.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE) and "(A4)" in info
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Sơn Tây, ngày 28 tháng 02 năm 2022",
        "KẾ HOẠCH",
        "KT. CHỦ TỊCH",
        "96,90%",
        "Số: 12/KH-UBND",
    ):
        assert expected in text, expected
