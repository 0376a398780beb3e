"""Every one-stop form 01-07 rendered to PDF by LibreOffice fits its pages, with no blank placeholder: a
long procedure name, every paper of the procedure, a hand-over log, a month's register."""

import re
import shutil
import subprocess
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cchc.accounts.models import Role
from cchc.documents.rendering import docx_to_pdf, libreoffice
from cchc.dossiers import documents
from cchc.dossiers.models import EventKind
from cchc.dossiers.services import Applicant, receive, transition

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db
COMMUNE = "000.16.21.H42"
# A blank where a value belonged: "Thời gian …: , ngày", a label followed by nothing, a Jinja leftover.
BLANKS = [
    re.compile(r":\s*,"),
    re.compile(r"\{\{|\{%|\}\}"),
    re.compile(r"(Số CCCD/định danh cá nhân|Địa chỉ|Lý do|Ông/bà|Mã hồ sơ):\s*$", re.MULTILINE),
]


def at(y, m, d, hh=9, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def _pdf(data: bytes, tmp_path, name: str) -> tuple[int, str]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(docx_to_pdf(data))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return pages, text


@pytest.fixture
def full_dossier(catalogue, clerk, demo_org, make_user):
    if libreoffice() is None or shutil.which("pdfinfo") is None:
        pytest.fail("LibreOffice và poppler-utils phải được cài (make test cài chúng).")
    officer = make_user(
        "chuyenmon",
        Role.COMMUNE_OFFICER,
        demo_org[COMMUNE],
        full_name="Nguyễn Thị Phương Thảo",
        job_title="Công chức Địa chính - Xây dựng - Đô thị và Môi trường",
    )
    leader = make_user(
        "chutich", Role.LEADER, demo_org[COMMUNE], full_name="Hoàng Văn Dũng", job_title="Chủ tịch Ủy ban nhân dân xã"
    )
    proc = catalogue["1.009994"]  # building permit: three papers, 20 working days
    d = receive(
        clerk,
        unit=demo_org[COMMUNE],
        procedure=proc,
        received_at=at(2026, 3, 9, 14, 35),
        applicant=Applicant(
            "Nguyễn Văn Thu",
            "042090001234",
            "Thôn Trung Lưu, xã Sơn Tây, tỉnh Hà Tĩnh",
            "0912345678",
            "thu.nguyen@example.vn",
        ),
        papers=[(p.name, p.kind, p.count) for p in proc.papers.all()],
    )
    day = at(2026, 3, 10)
    for i in range(3):
        transition(clerk, d.pk, EventKind.HANDOVER, at=day + timedelta(days=i), to_user=officer)
        transition(officer, d.pk, EventKind.HANDOVER, at=day + timedelta(days=i, hours=2), to_user=leader)
        transition(
            leader, d.pk, EventKind.HANDOVER, at=day + timedelta(days=i, hours=4), to_unit=demo_org["001.16.21.H42"]
        )
    transition(
        clerk,
        d.pk,
        EventKind.SUPPLEMENT_REQUESTED,
        at=at(2026, 3, 16),
        note="Bản vẽ mặt bằng công trình trên lô đất\nGiấy tờ chứng minh quyền sử dụng đất (bản sao chứng thực)",
    )
    transition(clerk, d.pk, EventKind.SUPPLEMENT_RECEIVED, at=at(2026, 3, 18))
    transition(
        clerk,
        d.pk,
        EventKind.APOLOGY,
        at=at(2026, 4, 10),
        new_due_on=date(2026, 4, 24),
        note="Cần thẩm định thực địa vị trí công trình cùng các hộ liền kề",
    )
    transition(
        clerk, d.pk, EventKind.REFUSED, at=at(2026, 4, 20), note="Công trình nằm trong hành lang an toàn giao thông"
    )
    for n in range(25):  # a month's register
        receive(
            clerk,
            unit=demo_org[COMMUNE],
            procedure=catalogue["1.004873"],
            received_at=at(2026, 3, 2 + n % 20, 8),
            applicant=Applicant(f"Người nộp số {n}"),
        )
    return d


# Form 06 of this dossier logs 11 steps (receipt and 3 rounds specialist → leader → desk): two pages.
EXPECTED_PAGES = {"01": 1, "02": 1, "03": 1, "04": 1, "06": 2}


def test_every_form_fits_its_page_without_blanks(full_dossier, clerk, tmp_path):
    d = full_dossier
    d.refresh_from_db()
    assert {n for n, _ in documents.available_forms(d)} == set(EXPECTED_PAGES)
    for number, expected in EXPECTED_PAGES.items():
        _, data = documents.render_form(d, number)
        pages, text = _pdf(data, tmp_path, number)
        assert pages == expected, (number, pages, text)
        for blank in BLANKS:
            assert not blank.search(text), (number, blank.pattern, text)
    _, text = _pdf(documents.render_form(d, "01")[1], tmp_path, "01b")
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text and "Nguyễn Văn Thu" in text.split("NGƯỜI TIẾP NHẬN HỒ SƠ")[1]
    assert "Thời gian trả kết quả giải quyết hồ sơ: trong giờ làm việc, ngày" in text


def test_stop_notice_form_05_fits_its_page(full_dossier, clerk, tmp_path):
    """Form 05 (thông báo dừng giải quyết) exists once a dossier is stopped: one page, the reason and the
    date of the stop printed, no blank placeholder."""
    d = full_dossier.unit.dossiers.exclude(pk=full_dossier.pk).first()
    assert "05" not in {n for n, _ in documents.available_forms(d)}
    transition(clerk, d.pk, EventKind.STOPPED, at=at(2026, 3, 27, 9), note="Người nộp đề nghị dừng để bổ sung sau")
    d.refresh_from_db()
    assert "05" in {n for n, _ in documents.available_forms(d)}
    name, data = documents.render_form(d, "05")
    assert name.startswith("thong-bao-dung-giai-quyet-")
    pages, text = _pdf(data, tmp_path, "05")
    assert pages == 1, text
    flat = " ".join(text.split())  # the layout wraps long lines
    assert "lý do: Người nộp đề nghị dừng để bổ sung sau" in flat and "Ngày 27/03/2026, cơ quan" in flat, flat
    for blank in BLANKS:
        assert not blank.search(text), (blank.pattern, text)


def test_register_form_07_fits_its_pages(full_dossier, clerk, tmp_path):
    _, data = documents.render_register(clerk, full_dossier.unit_id, date(2026, 3, 1), date(2026, 3, 31))
    pages, text = _pdf(data, tmp_path, "07")
    assert pages == 2, text  # 26 dossiers in landscape: the header and 12-13 rows a page
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Người nộp số 24" in text
    assert not BLANKS[1].search(text)
    # A dossier received and nothing more: its control slip is one page, with the dotted lines filled by hand.
    plain = full_dossier.unit.dossiers.exclude(pk=full_dossier.pk).first()
    pages, text = _pdf(documents.render_form(plain, "06")[1], tmp_path, "06-short")
    assert pages == 1 and "Người nộp số" in text
