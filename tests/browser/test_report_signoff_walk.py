"""One commune's quarterly report end to end in Chromium, with the demo roles:

drafted by canbo.sontay (a figure inserted with the picker) → sent to lanhdao.sontay → returned once with a
comment → corrected and sent again → approved and signed on a PKCS#11 token (SoftHSM2, key made on the
token, CA made by the test and configured as a trust root) → sent to the province → sonoivu sees who signed,
checks the downloaded PDF on the upload check (valid), accepts; the same PDF with one byte changed shows
"đã bị sửa".

Before it, the desk's month: intake with a missing paper (form 02 offered), a hand-over to the specialist
and back; the dossier runs late, the clerk issues the apology letter (form 04) with a new date, returns the
result and the statistics count it late with an apology; the citizen rates it on the commune's kiosk and the
rating counts in the commune's satisfaction figures."""

import io
import os
import re
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.core.vnformat import format_date
from cchc.documents.models import TrustedRoot
from cchc.reports.models import Report, Status
from conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

SON_TAY, SO_NOI_VU = "000.16.21.H42", "000.00.01.H42"
SHOTS = Path(os.environ.get("CCHC_SCREENSHOT_DIR", tempfile.gettempdir()))
SLOW = 90_000  # LibreOffice makes the PDF when the report is approved and signed


def _login(open_page, live_server, username):
    page = open_page()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


@pytest.fixture
def roles(demo_org, make_user):
    return {
        "canbo": make_user(
            "canbo.sontay",
            Role.COMMUNE_OFFICER,
            demo_org[SON_TAY],
            full_name="Lê Thị Lan",
            job_title="Công chức Văn phòng - Thống kê",
        ),
        "lanhdao": make_user(
            "lanhdao.sontay", Role.LEADER, demo_org[SON_TAY], full_name="Hoàng Văn Dũng", job_title="Chủ tịch UBND xã"
        ),
        "sonoivu": make_user(
            "sonoivu",
            Role.PROVINCE_REVIEWER,
            demo_org[SO_NOI_VU],
            full_name="Nguyễn Thị Hà",
            job_title="Chuyên viên Phòng CCHC, Sở Nội vụ",
        ),
        "motcua": make_user(
            "motcua.sontay",
            Role.ONE_STOP_CLERK,
            demo_org["001.16.21.H42"],
            full_name="Phan Văn Minh",
            job_title="Công chức Bộ phận Một cửa",
        ),
    }


def _intake_and_hand_over(open_page, live_server, roles):
    """The desk receives a dossier with a paper missing (form 02 offered; received anyway with a reason),
    hands it to the specialist, who hands it back to the desk (the hand-over log names both)."""
    from cchc.dossiers.models import Dossier

    clerk = _login(open_page, live_server, "motcua.sontay")
    clerk.goto(f"{live_server.url}/ho-so/tiep-nhan/")
    clerk.locator("#proc-q").fill("khai sinh")
    clerk.locator("#proc-options button[data-pick]", has_text="Thủ tục đăng ký khai sinh").first.click()
    clerk.wait_for_selector("#proc-picked[data-code]")
    clerk.locator("#proc-papers input[type=checkbox]").first.uncheck()
    clerk.fill("#id_applicant_name", "Nguyễn Văn Thư")
    clerk.fill("#id_applicant_id_number", "042095001234")
    with clerk.expect_navigation():
        clerk.locator("#id_applicant_name").press("Enter")
    panel = clerk.locator("#missing-panel")
    assert "Hồ sơ còn thiếu 1 giấy tờ" in panel.inner_text()
    assert clerk.locator("#missing-guide").is_visible()  # form 02 is offered, nothing received yet
    assert Dossier.objects.count() == 0
    clerk.fill("#ly-do-van-nhan", "Người nộp cam kết bổ sung bản chính khi nhận kết quả")
    with clerk.expect_navigation():
        clerk.locator("#missing-receive").click()
    dossier = Dossier.objects.get()
    _hand_over(clerk, value=f"p:{roles['canbo'].pk}")
    dossier.refresh_from_db()
    assert dossier.holder_user_id == roles["canbo"].pk

    specialist = _login(open_page, live_server, "canbo.sontay")
    specialist.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
    _hand_over(specialist, label="Bộ phận Một cửa xã Sơn Tây")
    dossier.refresh_from_db()
    assert dossier.holder_user_id is None
    timeline = specialist.locator("ol.timeline").inner_text()
    assert "Lê Thị Lan" in timeline and "Bộ phận Một cửa xã Sơn Tây" in timeline


def _hand_over(page, **option):
    page.locator("summary", has_text="Chuyển hồ sơ").click()
    page.locator("select[name=to]").select_option(**option)
    with page.expect_navigation():
        page.locator("form", has=page.locator("select[name=to]")).locator("button[type=submit]").click()


def _make_overdue(dossier):
    """Move the dossier's dates back through the ORM: the walk cannot wait the days a real delay takes.
    Received 20 days ago, due 5 days ago; the daily figures are rebuilt as an import correction would."""
    from cchc.dossiers import summary
    from cchc.dossiers.models import EventKind

    today = timezone.localdate()
    received = today - timedelta(days=20)
    received_at = dossier.received_at - timedelta(days=20) if dossier.received_at else None
    dossier.received_on, dossier.received_at = received, received_at
    dossier.due_on = dossier.original_due_on = today - timedelta(days=5)
    dossier.save()
    dossier.events.filter(kind=EventKind.RECEIVED).update(at=received_at or timezone.now() - timedelta(days=20))
    summary.rebuild_units([dossier.unit_id])


def _act(page, label: str, **fields) -> None:
    """Open the step's panel on the dossier page, fill its fields (by the form's name) and send it."""
    panel = page.locator("details.action", has=page.locator("summary", has_text=label))
    panel.locator("summary").click()
    for name, value in fields.items():
        field = panel.locator(f"[name={name}]")
        if name == "return_method":
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        panel.locator("button[type=submit]").click()


def _late_return_with_apology(open_page, live_server):
    """The dossier is overdue: it stands on the late list; the clerk issues the apology (form 04) with a new
    date, prints it (the DOCX reads the new date back), returns the result; the dossier page and the
    statistics count it late with an apology."""
    import docx

    from cchc.dossiers.models import Dossier, Outcome

    dossier = Dossier.objects.get()
    _make_overdue(dossier)
    clerk = _login(open_page, live_server, "motcua.sontay")
    clerk.goto(f"{live_server.url}/ho-so/tre-han-chua-xin-loi/")
    assert dossier.code in clerk.locator("main").inner_text()
    clerk.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
    assert clerk.locator(".badge.late").inner_text() == "Quá hạn"
    new_due = timezone.localdate() + timedelta(days=3)
    reason = "Hồ sơ cần xác minh thêm thông tin hộ tịch tại nơi đăng ký thường trú"
    _act(clerk, "Xin lỗi, hẹn lại ngày trả", new_due_on=new_due.strftime("%d/%m/%Y"), note=reason)
    dossier.refresh_from_db()
    assert dossier.apology_on == timezone.localdate() and dossier.new_due_on == new_due
    assert f"hẹn lại {new_due.strftime('%d/%m/%Y')}" in clerk.locator("dl.facts").inner_text()
    with clerk.expect_download() as download:
        clerk.locator("ul.forms li", has_text="mẫu 04").get_by_role("link", name="DOCX").click()
    letter = "\n".join(p.text for p in docx.Document(io.BytesIO(download.value.path().read_bytes())).paragraphs)
    assert format_date(new_due) in letter and reason in letter
    _act(clerk, "Có kết quả")
    _act(clerk, "Trả kết quả", return_method="truc_tiep")
    dossier.refresh_from_db()
    assert dossier.returned_on == timezone.localdate() and dossier.outcome == Outcome.LATE
    clerk.goto(f"{live_server.url}/ho-so/tre-han-chua-xin-loi/")
    assert dossier.code not in clerk.locator("main").inner_text()
    clerk.goto(f"{live_server.url}/ho-so/thong-ke/?don_vi={SON_TAY}")
    rows = clerk.locator("table.stats").first.locator("tbody tr")
    # Label → figure, in the table's order ("— quá hạn" is both resolved late and pending overdue).
    figures = [tuple(c.strip() for c in r.locator("td").all_inner_texts()) for r in rows.all()]
    resolved = figures.index(("Đã giải quyết (trả kết quả)", "1"))
    assert figures[resolved + 3] == ("— quá hạn", "1")
    assert ("Văn bản xin lỗi đã gửi", "1") in figures and ("Quá hạn chưa xin lỗi", "0") in figures
    return dossier


def _kiosk_rating(open_page, live_server, dossier):
    """The citizen types the dossier's number on the commune's kiosk and rates it; the rating is verified
    (the install holds the dossier) and counts in the commune's satisfaction figures."""
    from cchc.surveys.models import Rating

    kiosk = open_page()
    kiosk.goto(f"{live_server.url}/kiosk/{SON_TAY}/")
    kiosk.click("[data-action=clear]")
    for digit in dossier.code.removeprefix(f"{SON_TAY}-").replace("-", ""):
        kiosk.click(f"[data-digit='{digit}']")
    kiosk.click("#k-next")
    kiosk.wait_for_selector("#step-questions:not([hidden])")
    kiosk.click("fieldset[data-question=tong_the] button:text-is('Hài lòng')")
    kiosk.click("fieldset[data-question=cong_chuc] button:text-is('Rất hài lòng')")
    kiosk.fill("#k-comment", "Trả chậm nhưng có thư xin lỗi, cán bộ nhã nhặn.")
    kiosk.click("#k-send")
    kiosk.wait_for_selector("#step-done:not([hidden])")
    # Polled from the test side: the kiosk's CSP forbids wait_for_function's in-page eval.
    deadline = time.monotonic() + 15
    while not Rating.objects.filter(dossier_code=dossier.code).exists():
        assert time.monotonic() < deadline, "phiếu đánh giá chưa được lưu"
        kiosk.wait_for_timeout(200)
    rating = Rating.objects.get(dossier_code=dossier.code)
    assert rating.verified and rating.satisfied and rating.unit.code == SON_TAY
    clerk = _login(open_page, live_server, "motcua.sontay")
    clerk.goto(f"{live_server.url}/khao-sat/?don_vi={SON_TAY}")
    assert clerk.locator("#s-ballots").inner_text() == "1"
    assert "Trả chậm nhưng có thư xin lỗi" in clerk.locator("main").inner_text()


def _officer_drafts_and_sends_to_sign(open_page, live_server, quarter: str):
    """The officer drafts the quarterly report, inserting a figure with the picker, and sends it to sign."""
    officer = _login(open_page, live_server, "canbo.sontay")
    officer.goto(f"{live_server.url}/bao-cao/")
    officer.select_option("#ky", quarter)
    officer.wait_for_url(re.compile(r"ky=" + quarter))
    officer.get_by_role("button", name=re.compile("Tạo báo cáo")).click()
    officer.wait_for_url(re.compile(r"/bao-cao/\d+/$"))
    report = Report.objects.get(unit__code=SON_TAY, period__code=quarter)
    section = officer.locator(".report-section", has=officer.locator("h3", has_text="ĐỀ XUẤT, KIẾN NGHỊ"))
    section.locator("textarea").fill("Đề nghị tỉnh hỗ trợ thiết bị số hóa hồ sơ. Đã tiếp nhận ")
    section.locator("summary", has_text="Chèn số liệu").click()
    with officer.expect_response(lambda r: "chen-so-lieu" in r.url and "tiep" in r.url):
        section.locator("input[type=search]").fill("ho so tiep nhan")
    first = section.locator(".picker-item", has_text="tiếp nhận").first
    first.click()
    officer.locator(".report-section", has=officer.locator("h3", has_text="ĐỀ XUẤT, KIẾN NGHỊ")).locator(
        ".section-status", has_text="Đã lưu"
    ).wait_for()
    stored = report.sections.get(key="kien-nghi").text
    assert "Đề nghị tỉnh hỗ trợ" in stored and re.search(r"\{dossiers\.[a-z_.]+\}", stored)
    officer.get_by_role("link", name="Kiểm tra và trình ký").click()
    officer.fill("#comment", "Kính trình đồng chí Chủ tịch xem xét, ký duyệt.")
    officer.get_by_role("button", name="Trình ký").click()
    officer.wait_for_url(re.compile(r"/bao-cao/\d+/$"))
    assert "Đã trình lãnh đạo ký duyệt" in officer.content()
    return officer, report


def _leader_returns_it(open_page, live_server, report):
    """The leader returns it once with a comment."""
    leader = _login(open_page, live_server, "lanhdao.sontay")
    assert "Văn bản chờ ký duyệt" in leader.content()
    leader.get_by_role("link", name=re.compile("Văn bản chờ ký duyệt")).first.click()
    leader.locator("#cho-ky").get_by_role("link", name=re.compile("Báo cáo CCHC Quý III")).click()
    leader.fill("#return-comment", "Bổ sung kết quả số hóa hồ sơ trong quý.")
    leader.get_by_role("button", name="Trả lại").click()
    leader.wait_for_selector("text=Đã trả lại văn bản")
    assert Report.objects.get(pk=report.pk).status == Status.SIGN_RETURNED
    return leader


def _officer_corrects_and_resends(officer, live_server, report):
    """The officer corrects it and sends it to sign again."""
    officer.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    assert "Bổ sung kết quả số hóa hồ sơ trong quý." in officer.content()
    body = officer.locator(".report-section", has=officer.locator("h3", has_text="ĐỀ XUẤT, KIẾN NGHỊ"))
    body.locator("textarea").press("End")
    body.locator("textarea").type(" Trong quý đã số hóa toàn bộ hồ sơ tiếp nhận.")
    body.locator(".section-status", has_text="Đã lưu").wait_for()
    officer.get_by_role("link", name="Trình ký lại").click()
    officer.fill("#comment", "Đã bổ sung theo ý kiến của đồng chí Chủ tịch.")
    officer.get_by_role("button", name="Trình ký").click()
    officer.wait_for_url(re.compile(r"/bao-cao/\d+/$"))


def _leader_approves_and_signs_on_the_token(leader, live_server, report, soft_token):
    """The leader approves and signs on the token."""
    leader.goto(f"{live_server.url}/van-ban/cho-ky/")
    assert "Lãnh đạo trả lại" in leader.locator("#da-xu-ly").inner_text()
    leader.locator("#cho-ky").get_by_role("link", name=re.compile("Báo cáo CCHC Quý III")).click()
    assert "lần trình 2" in leader.content()
    leader.screenshot(path=str(SHOTS / "ky-duyet.png"), full_page=True)
    leader.get_by_role("button", name="Ký duyệt").click(timeout=SLOW)
    leader.wait_for_selector("text=Đã ký duyệt văn bản", timeout=SLOW)
    report.refresh_from_db()
    assert report.status == Status.APPROVED and report.number.endswith("/BC-UBND")
    assert leader.input_value("#token") == soft_token.label
    leader.fill("#pin", soft_token.pin)
    leader.get_by_role("button", name="Ký số").first.click(timeout=SLOW)
    leader.wait_for_selector("text=Đã ký số văn bản", timeout=SLOW)
    panel = leader.locator("#chu-ky-so")
    assert "Hoàng Văn Dũng" in panel.inner_text() and "Còn nguyên vẹn" in panel.inner_text()
    assert "Tin cậy" in panel.inner_text()


def _officer_sends_to_the_province(officer, live_server, report):
    """The officer sends it to the province."""
    officer.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    officer.get_by_role("link", name="Gửi cấp trên").click()
    officer.get_by_role("button", name="Gửi cấp trên").click()
    officer.wait_for_selector("text=Đã gửi báo cáo số")
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def _province_checks_and_accepts(open_page, live_server, report, tmp_path):
    """The province sees who signed, checks the PDF received and accepts it."""
    reviewer = _login(open_page, live_server, "sonoivu")
    reviewer.goto(f"{live_server.url}/bao-cao/tiep-nhan/")
    reviewer.get_by_role("link", name="Xã Sơn Tây").click()
    signed_block = reviewer.locator("#ky-duyet")
    assert "Hoàng Văn Dũng" in signed_block.inner_text() and "Chủ tịch UBND xã" in signed_block.inner_text()
    assert "Còn nguyên vẹn" in signed_block.inner_text() and "Tin cậy" in signed_block.inner_text()
    signed_block.screenshot(path=str(SHOTS / "chu-ky-so.png"))
    with reviewer.expect_download() as download:
        reviewer.get_by_role("link", name="Tải bản PDF đã ký số").click()
    pdf = tmp_path / "bao-cao-da-ky.pdf"
    download.value.save_as(pdf)
    reviewer.goto(f"{live_server.url}/van-ban/kiem-tra-chu-ky/")
    reviewer.set_input_files("#tep", str(pdf))
    reviewer.get_by_role("button", name="Kiểm tra").click()
    result = reviewer.locator("#ket-qua")
    result.wait_for()
    assert "Chữ ký số hợp lệ" in result.inner_text() and "Hoàng Văn Dũng" in result.inner_text()
    reviewer.go_back()
    reviewer.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    reviewer.get_by_role("button", name="Tiếp nhận").click()
    reviewer.wait_for_selector("text=Đã tiếp nhận báo cáo")
    assert Report.objects.get(pk=report.pk).status == Status.ACCEPTED
    return reviewer, pdf


def _one_changed_byte_is_caught(reviewer, live_server, pdf, tmp_path):
    """One changed byte in the signed PDF is reported as altered."""
    data = bytearray(pdf.read_bytes())
    at = data.index(b"stream", len(data) // 5) + 20
    data[at] = (data[at] + 1) % 256
    changed = tmp_path / "bao-cao-bi-sua.pdf"
    changed.write_bytes(bytes(data))
    reviewer.goto(f"{live_server.url}/van-ban/kiem-tra-chu-ky/")
    reviewer.set_input_files("#tep", str(changed))
    reviewer.get_by_role("button", name="Kiểm tra").click()
    reviewer.locator("#ket-qua").wait_for()
    assert "đã bị sửa" in reviewer.locator("#ket-qua").inner_text()


def test_month_end_to_end_with_the_report_signed_on_a_token(
    open_page, live_server, roles, soft_token, test_ca, monkeypatch, tmp_path, catalogue
):
    from cchc.indicators.catalogue import ensure_catalogue

    ensure_catalogue()
    _intake_and_hand_over(open_page, live_server, roles)
    dossier = _late_return_with_apology(open_page, live_server)
    _kiosk_rating(open_page, live_server, dossier)
    TrustedRoot.objects.create(name="CA thử nghiệm của kiểm thử", pem=test_ca.pem.decode())
    monkeypatch.setenv("CCHC_PKCS11_LIB", soft_token.lib)
    monkeypatch.setenv("CCHC_PKCS11_TOKEN", soft_token.label)
    monkeypatch.setenv("CCHC_PKCS11_KEY", soft_token.key_label)
    year = timezone.localdate().year
    quarter = f"{year}-Q3"

    officer, report = _officer_drafts_and_sends_to_sign(open_page, live_server, quarter)
    leader = _leader_returns_it(open_page, live_server, report)
    _officer_corrects_and_resends(officer, live_server, report)
    _leader_approves_and_signs_on_the_token(leader, live_server, report, soft_token)
    _officer_sends_to_the_province(officer, live_server, report)
    reviewer, pdf = _province_checks_and_accepts(open_page, live_server, report, tmp_path)
    _one_changed_byte_is_caught(reviewer, live_server, pdf, tmp_path)
