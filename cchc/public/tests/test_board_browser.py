"""The board in a real Chromium on a 1920×1080 screen: ready dossiers with initials, the content refreshing
by itself, the "offline" note when the server cannot be reached (and the last content kept)."""

import os
import tempfile

import pytest

from cchc.accounts.actors import SystemActor
from cchc.dossiers.models import Dossier, EventKind, Status
from cchc.dossiers.services import transition
from cchc.public import demo, figures
from cchc.public.privacy import initials
from cchc.public.tests.conftest import DEMO_COMMUNE
from conftest import wait_for_js

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("CCHC_SCREENSHOT_DIR", tempfile.gettempdir())


def test_board_on_a_tv_refreshes_and_survives_the_network_dropping(tv, live_server, desk, catalogue):
    # A real desk's hours run long; the footer line must shorten, never widen the board past the screen.
    desk.opening_hours = "Sáng 7h30 - 11h30, chiều 13h30 - 17h00, từ thứ Hai đến thứ Sáu; sáng thứ Bảy 7h30 - 11h30"
    desk.save()
    assert demo.live_dossiers(desk.unit) > 40
    ready = Dossier.objects.filter(unit=desk.unit, status=Status.RESULT_READY).order_by("-result_ready_on", "-pk")
    newest = ready.first()
    tv.goto(f"{live_server.url}/cong-khai/{DEMO_COMMUNE}/bang-dien-tu/?lam-moi=1")

    # 1. The newest ready dossier, with its initials only; big type; nothing scrolls.
    row = tv.locator(f"#b-content li[data-code='{newest.code}']")
    assert row.is_visible()
    assert [li.is_visible() for li in tv.locator("#b-content li").all()].count(True) <= figures.BOARD_PAGE
    assert row.locator(".b-initials").inner_text() == initials(newest.applicant_name)
    assert newest.applicant_name not in tv.content()
    assert tv.locator("h1").inner_text() == "Xã Sơn Tây"
    tv.screenshot(path=os.path.join(SHOTS, "board-1920.png"))
    size = tv.eval_on_selector(".b-num", "el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 48  # about 5% of the screen height: readable from 5 m
    assert tv.evaluate("document.documentElement.scrollHeight") <= 1080
    assert tv.evaluate("document.documentElement.scrollWidth") <= 1920
    assert tv.locator("#b-date").is_visible() and tv.locator("#b-date").bounding_box()["x"] < 1920
    assert tv.locator("#b-date").inner_text().split(", ")[0] in (
        "Thứ Hai",
        "Thứ Ba",
        "Thứ Tư",
        "Thứ Năm",
        "Thứ Sáu",
        "Thứ Bảy",
        "Chủ nhật",
    )

    # 2. A result becomes ready at the desk: the screen shows it within a few seconds, without a reload.
    before = int(tv.locator("#b-ready-count").inner_text().replace(".", ""))
    working = Dossier.objects.filter(unit=desk.unit, status=Status.PROCESSING).order_by("pk").first()
    transition(SystemActor("test"), working.pk, EventKind.RESULT_READY)
    tv.wait_for_selector(f"#b-content li[data-code='{working.code}']", state="attached")
    assert int(tv.locator("#b-ready-count").inner_text().replace(".", "")) == before + 1
    assert tv.locator("#b-offline").is_hidden()

    # 3. The server cannot be reached: the last content stays, a small note says so; it clears on return.
    tv.route("**/bang-dien-tu/noi-dung/**", lambda route: route.abort())
    tv.wait_for_selector("#b-offline", state="visible")
    assert tv.locator("#b-offline").inner_text() == "Mất kết nối, đang thử lại…"
    assert tv.locator(f"#b-content li[data-code='{working.code}']").count() == 1
    tv.screenshot(path=os.path.join(SHOTS, "board-offline.png"))
    tv.unroute("**/bang-dien-tu/noi-dung/**")
    tv.wait_for_selector("#b-offline", state="hidden")

    # 4. The same page on a 1366×768 screen still fits without scrolling.
    tv.set_viewport_size({"width": 1366, "height": 768})
    assert tv.evaluate("document.documentElement.scrollHeight") <= 768
    assert tv.evaluate("document.documentElement.scrollWidth") <= 1366
    assert tv.locator("#b-content .b-page:not([hidden]) li").first.is_visible()
    tv.screenshot(path=os.path.join(SHOTS, "board-1366.png"))


def test_ready_list_turns_its_pages(tv, live_server, desk, catalogue, monkeypatch):
    monkeypatch.setattr(figures, "BOARD_PAGE", 2)
    demo.live_dossiers(desk.unit)
    assert Dossier.objects.filter(unit=desk.unit, status=Status.RESULT_READY).count() > 2
    tv.goto(f"{live_server.url}/cong-khai/{DEMO_COMMUNE}/bang-dien-tu/?lam-moi=1")
    assert tv.locator(".b-pageno").inner_text() == "1"
    wait_for_js(tv, "document.querySelector('.b-pageno').textContent === '2'")
    visible = tv.locator("#b-content .b-page:not([hidden])")
    assert visible.count() == 1 and visible.get_attribute("data-page") == "1"
    shown = [li.is_visible() for li in tv.locator("#b-content li").all()]
    assert shown.count(True) == 2  # only the rows of the current page are on screen


def test_board_on_a_phone_shows_whole_codes(phone, live_server, desk, catalogue):
    demo.live_dossiers(desk.unit)
    phone.goto(f"{live_server.url}/cong-khai/{DEMO_COMMUNE}/bang-dien-tu/")
    codes = phone.locator("#b-content .b-page:not([hidden]) .b-code")
    assert codes.count() >= 1
    # No code cut off: every code box is as wide as its text, and nothing scrolls sideways.
    assert phone.eval_on_selector_all(
        "#b-content .b-page:not([hidden]) .b-code", "els => els.every(e => e.scrollWidth <= e.clientWidth)"
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
