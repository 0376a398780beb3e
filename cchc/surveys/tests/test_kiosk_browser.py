"""The kiosk in a real Chromium: a rating, the polite duplicate, the offline queue, the replay, the reset."""

import json
import os
import tempfile
import time

import pytest

from cchc.surveys.models import Rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SON_TAY = "000.16.21.H42"
QUEUE = "cchc-kiosk-queue"
SHOTS = os.environ.get("CCHC_SCREENSHOT_DIR", tempfile.gettempdir())


def type_code(page, digits: str) -> None:
    page.click("[data-action=clear]")
    for d in digits:
        page.click(f"[data-digit='{d}']")
    page.click("#k-next")


def answer_and_send(page, overall: str = "Hài lòng", comment: str = "") -> None:
    page.wait_for_selector("#step-questions:not([hidden])")
    page.click(f"fieldset[data-question=tong_the] button:text-is('{overall}')")
    page.click("fieldset[data-question=cong_chuc] button:text-is('Rất hài lòng')")
    if comment:
        page.fill("#k-comment", comment)
    page.click("#k-send")
    page.wait_for_selector("#step-done:not([hidden])")


def queue(page) -> list:
    return json.loads(page.evaluate(f"localStorage.getItem('{QUEUE}') || '[]'"))


def wait_queue_empty(page, timeout_s: float = 30) -> None:
    """Poll from the test side: the page's CSP (no 'unsafe-eval') forbids wait_for_function's in-page eval."""
    deadline = time.monotonic() + timeout_s
    while queue(page):
        assert time.monotonic() < deadline, f"hàng đợi của ki-ốt chưa gửi hết sau {timeout_s} s"
        page.wait_for_timeout(200)


def test_kiosk_rates_refuses_duplicates_queues_offline_and_replays(page, live_server, demo_org, settings):
    settings.CCHC_KIOSK_RESET_SECONDS = 2
    page.goto(f"{live_server.url}/kiosk/{SON_TAY}/")
    assert "Xã Sơn Tây" in page.locator(".k-unit").text_content()
    assert page.locator("#k-code").inner_text().startswith(f"{SON_TAY}-")
    assert page.locator("#k-next").is_disabled()

    # 1. Online: a rating is stored, the citizen is thanked, the screen resets by itself.
    type_code(page, "2103040012")
    answer_and_send(page, comment="Cán bộ hướng dẫn tận tình.")
    assert page.locator("#k-done-title").inner_text() == "Cảm ơn ông/bà!"
    page.screenshot(path=os.path.join(SHOTS, "kiosk-thanks.png"))
    page.wait_for_selector("#step-code:not([hidden])")
    assert page.locator("#k-code").inner_text() == f"{SON_TAY}-YYMMDD-NNNN"
    rating = Rating.objects.get()
    assert rating.dossier_code == f"{SON_TAY}-210304-0012" and rating.comment == "Cán bộ hướng dẫn tận tình."
    assert queue(page) == []

    # 2. The same dossier again: told politely before answering anything.
    type_code(page, "2103040012")
    page.wait_for_selector("#k-code-msg:has-text('Hồ sơ này đã được đánh giá. Cảm ơn ông/bà.')")
    assert page.locator("#step-code").is_visible()

    # A required answer missing: the citizen is told which.
    type_code(page, "2103040013")
    page.wait_for_selector("#step-questions:not([hidden])")
    page.click("#k-send")
    assert "Hài lòng chung" in page.locator("#k-q-msg").inner_text()
    page.click("#k-back")

    # 3. Offline: the rating is kept on the tablet and the citizen is still thanked.
    page.context.set_offline(True)
    type_code(page, "2103050001")
    answer_and_send(page, overall="Không hài lòng")
    assert "lưu trên máy" in page.locator("#k-done-msg").inner_text()
    assert page.locator("#k-queue").inner_text() == "Chờ gửi: 1 phiếu"
    page.screenshot(path=os.path.join(SHOTS, "kiosk-offline.png"))
    page.wait_for_selector("#step-code:not([hidden])")
    # The same code while offline: the queue knows it.
    type_code(page, "2103050001")
    page.wait_for_selector("#k-code-msg:has-text('đã được đánh giá')")
    offline_item = queue(page)[0]
    assert Rating.objects.count() == 1

    # 4. Back online: the queue is sent by itself.
    page.context.set_offline(False)
    wait_queue_empty(page)
    assert page.locator("#k-queue").is_hidden()
    stored = Rating.objects.get(dossier_code=f"{SON_TAY}-210305-0001")
    assert str(stored.client_id) == offline_item["payload"]["client_id"] and not stored.satisfied

    # 5. Replay: the answer was lost, the same item is sent again; and a second rating of a rated
    # dossier sits in the queue. Neither creates a rating; both leave the queue.
    other = json.loads(json.dumps(offline_item))
    other["payload"]["client_id"] = "4b0f7c7e-1f1e-4d8e-9a57-5c2d9a1b0c11"
    page.evaluate(f"localStorage.setItem('{QUEUE}', JSON.stringify({json.dumps([offline_item, other])}))")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_queue_empty(page)
    assert Rating.objects.count() == 2
    assert Rating.objects.filter(dossier_code=f"{SON_TAY}-210305-0001").count() == 1


def test_public_link_page(page, live_server, demo_org):
    from cchc.surveys.selectors import rating_link

    code = f"{SON_TAY}-210304-0077"
    page.goto(live_server.url + rating_link(code))
    assert page.locator("#k-code-shown").inner_text() == code
    answer_and_send(page, overall="Rất hài lòng")
    assert page.locator("#k-done-title").inner_text() == "Cảm ơn ông/bà!"
    assert page.locator("#k-new").is_hidden()
    assert Rating.objects.get().channel == "link"
    page.reload()
    page.wait_for_selector("#step-done:not([hidden])")
    assert "đã được đánh giá" in page.locator("#k-done-msg").inner_text()
