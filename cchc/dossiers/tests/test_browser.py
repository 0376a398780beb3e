"""The counter's intake form in a real Chromium, driven from the keyboard as the one-stop clerk does."""

import os
import re
import tempfile

import pytest
from django.utils import timezone

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.core.vnformat import format_date
from cchc.dossiers.importing import import_dossiers
from cchc.dossiers.models import Dossier
from cchc.dossiers.services import compute_due
from cchc.dossiers.tests.test_import import to_csv
from cchc.dossiers.tests.test_views import CHART_ROWS
from conftest import TEST_PASSWORD, wait_for_js

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SON_TAY = "000.16.21.H42"
SHOTS = os.environ.get("CCHC_SCREENSHOT_DIR", tempfile.gettempdir())


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_counter_receives_a_dossier_from_the_keyboard(page, live_server, login, catalogue, clerk, demo_org):
    login("motcua", TEST_PASSWORD)
    page.goto(f"{live_server.url}/ho-so/tiep-nhan/")
    # The cursor starts in the search box: the clerk types at once.
    wait_for_js(page, "document.activeElement && document.activeElement.id === 'proc-q'")

    proc = _pick_by_keyboard(page, catalogue)
    due_on = _checklist_and_due_date(page, proc, demo_org[SON_TAY])
    _refused_without_a_name(page, proc)
    first_paper = _missing_paper_offers_form_02(page, proc)
    _received_with_a_reason(page, live_server, proc, due_on, first_paper)


def _pick_by_keyboard(page, catalogue):
    """The clerk types, walks the matches with ↓ and picks with Enter; then changes their mind."""
    search = page.locator("#proc-q")
    # Search as you type (with diacritics, as the clerk types); ↓ walks the matches, Enter picks one.
    page.keyboard.type("khai sinh")
    options = page.locator("#proc-options ul[data-q='khai sinh'] button[data-pick]")
    options.first.wait_for()
    names = options.all_inner_texts()
    assert {"Thủ tục đăng ký khai sinh", "Thủ tục đăng ký lại khai sinh"} <= set(names)
    for _ in range(names.index("Thủ tục đăng ký lại khai sinh") + 1):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.innerText") == "Thủ tục đăng ký lại khai sinh"
    page.keyboard.press("Enter")
    page.wait_for_selector("#proc-picked[data-code='1.004884']")
    assert page.locator("#id_procedure").input_value() == str(catalogue["1.004884"].pk)

    # A change of mind: back to the search box, a new name, Enter at once (before the list has come
    # back): the first match of what is typed now is picked, not one of the old list.
    search.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("giấy phép xây dựng nhà")
    page.keyboard.press("Enter")
    proc = catalogue["1.009994"]
    page.wait_for_selector(f"#proc-picked[data-code='{proc.code}']")
    assert page.locator("#id_procedure").input_value() == str(proc.pk)
    # The list closes and the cursor moves on once htmx has settled the pick (a moment after the swap).
    wait_for_js(
        page,
        "document.getElementById('proc-options').innerHTML.trim() === ''"
        " && document.activeElement && document.activeElement.type === 'checkbox'",
    )
    return proc


def _checklist_and_due_date(page, proc, unit):
    """The checklist (every paper ticked to start with) and the appointment date the dossier would get."""
    due_on, _ = compute_due(unit, proc, timezone.localtime().replace(tzinfo=None))
    assert f"ngày {format_date(due_on)}" in page.locator("#proc-due").inner_text()
    papers = page.locator("#proc-papers input[type=checkbox]")
    assert papers.count() == 3 and all(papers.nth(i).is_checked() for i in range(3))
    page.screenshot(path=os.path.join(SHOTS, "intake-picked.png"), full_page=True)
    # The cursor moved to the checklist: Space unticks the first paper (not brought), Tab goes on to
    # the second and third (brought) and then to the applicant's name.
    assert page.evaluate("document.activeElement.name") == papers.first.get_attribute("name")
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("Tab")
    assert focused_id(page) == "id_applicant_name"
    assert not papers.first.is_checked() and papers.nth(1).is_checked()
    return due_on


def _refused_without_a_name(page, proc):
    # No name: Enter in the next field sends the form; the server answers in Vietnamese, nothing is saved,
    # the checklist comes back as it was left and the cursor is in the name box.
    papers = page.locator("#proc-papers input[type=checkbox]")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_applicant_id_number"
    page.keyboard.type("042095001234")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Chưa tiếp nhận" in page.locator("#intake-errors").inner_text()
    assert "Họ tên người nộp" in page.locator("#intake-errors").inner_text()
    assert page.locator("#id_applicant_name_error").inner_text() == "Trường này là bắt buộc."
    assert page.locator("#id_applicant_name").get_attribute("aria-invalid") == "true"
    assert Dossier.objects.count() == 0
    wait_for_js(page, "document.activeElement && document.activeElement.id === 'id_applicant_name'")
    assert page.locator("#proc-picked").get_attribute("data-code") == proc.code
    assert page.locator("#id_applicant_id_number").input_value() == "042095001234"
    assert [papers.nth(i).is_checked() for i in range(3)] == [False, True, True]


def _missing_paper_offers_form_02(page, proc) -> str:
    # The name, then Enter: a paper is missing, so no code and no receipt silently — the page lists the
    # missing paper and offers form 02, form 03 or receiving with a reason; the cursor is on form 02.
    page.keyboard.type("Nguyễn Thị Lan")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Dossier.objects.count() == 0
    panel = page.locator("#missing-panel")
    first_paper = proc.papers.first().name
    assert "Hồ sơ còn thiếu 1 giấy tờ" in panel.inner_text() and first_paper in panel.inner_text()
    wait_for_js(page, "document.activeElement && document.activeElement.id === 'missing-guide'")
    with page.expect_download() as download:
        page.keyboard.press("Enter")  # prints the guidance slip (form 02), nothing received
    path = download.value.path()
    from docx import Document

    slip = "\n".join(p.text for p in Document(path).paragraphs)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in slip and f"Nộp {first_paper}" in slip
    assert "Nguyễn Thị Lan" in slip and Dossier.objects.count() == 0
    from cchc.core.models import AuditEvent

    assert AuditEvent.objects.filter(verb="dossiers.counter_guidance").count() == 1
    # Receiving anyway needs a reason: without one the server refuses, with one the reason is recorded.
    with page.expect_navigation():
        page.locator("#missing-receive").click()
    assert "cần ghi lý do" in page.locator("#intake-errors").inner_text() and Dossier.objects.count() == 0
    page.locator("#ly-do-van-nhan").fill("Người nộp cam kết nộp bản chính khi nhận kết quả")
    return first_paper


def _received_with_a_reason(page, live_server, proc, due_on, first_paper):
    # The reason, then "Vẫn tiếp nhận": the dossier page with its code, the due date and the first event.
    with page.expect_navigation():
        page.locator("#missing-receive").click()
    d = Dossier.objects.get()
    page.wait_for_url(f"{live_server.url}/ho-so/{d.pk}/")
    today = timezone.localdate()
    heading = page.locator("h1").inner_text()
    assert re.fullmatch(rf"Hồ sơ {re.escape(SON_TAY)}-{today:%y%m%d}-\d{{4}}", heading), heading
    assert heading == f"Hồ sơ {d.code}"
    assert d.applicant_name == "Nguyễn Thị Lan" and d.procedure == proc and d.due_on == due_on
    assert d.papers.count() == 2
    facts = page.locator("dl.facts").inner_text()
    assert format_date(due_on) in facts and "Nguyễn Thị Lan" in facts
    assert f"Đã tiếp nhận hồ sơ {d.code}; hẹn trả ngày {format_date(due_on)}." in page.locator(".messages").inner_text()
    events = page.locator("ol.timeline > li")
    assert events.count() == 1
    assert events.first.inner_text().startswith("Tiếp nhận hồ sơ")
    assert (
        "Tiếp nhận khi còn thiếu" in events.first.inner_text() and "cam kết nộp bản chính" in events.first.inner_text()
    )
    assert d.events.get().data["missing"] == [first_paper]


def test_stats_charts_print_with_their_colours_and_without_the_menus(
    page, live_server, login, catalogue, make_user, demo_org
):
    content = to_csv([[c, u, p, "", "", "", ch, "", r, d, ret, "", ""] for c, u, p, ch, r, d, ret in CHART_ROWS])
    import_dossiers("bieu-do.csv", actor=SystemActor("test"), content=content)
    make_user("snv", Role.PROVINCE_REVIEWER, demo_org["000.00.01.H42"])
    login("snv", TEST_PASSWORD)
    page.goto(f"{live_server.url}/ho-so/thong-ke/?don_vi=000.00.21.H42&tu=01/01/2025&den=31/03/2025&cap_duoi=1")
    bars = page.locator("#chart-unit .s-bar")
    bars.first.wait_for()
    page.screenshot(path=os.path.join(SHOTS, "stats-charts.png"), full_page=True)

    def widths(bar) -> list[float]:
        return [s.bounding_box()["width"] for s in bar.locator(".s-seg").all()]

    # Phố Châu: 2 early, 1 on time, 1 late, 1 pending within deadline, 1 overdue, drawn in proportion.
    pho_chau = widths(bars.first)
    assert len(pho_chau) == 5 and abs(pho_chau[0] - 2 * pho_chau[1]) < 2 and max(pho_chau[1:]) - min(pho_chau[1:]) < 2
    rate = page.locator("#chart-rate .s-bar").nth(1)
    assert abs(widths(rate)[0] / rate.bounding_box()["width"] - 0.9688) < 0.01

    page.emulate_media(media="print")
    assert page.locator(".sidenav").is_hidden() and page.locator(".stats-filter").is_hidden()
    adjust = page.evaluate("getComputedStyle(document.querySelector('#chart-unit .seg-som')).printColorAdjust")
    assert adjust == "exact"
    assert page.locator("#chart-rate .chart-value").all_inner_texts() == ["75,00%", "96,88%"]
    page.pdf(path=os.path.join(SHOTS, "stats-charts.pdf"), print_background=False)
