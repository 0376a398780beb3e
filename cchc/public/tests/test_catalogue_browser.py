"""The catalogue on a phone, in a real Chromium: type without diacritics, the list narrows as one types."""

import re

import pytest

from cchc.public.tests.conftest import DEMO_COMMUNE
from conftest import wait_for_js

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_finds_birth_registration_on_a_phone(phone, live_server, desk, catalogue):
    url = f"{live_server.url}/cong-khai/{DEMO_COMMUNE}/thu-tuc/"
    phone.goto(url)
    names = phone.locator("#cat-list .cat-name")
    assert names.count() == 30
    # Nothing wider than the phone: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.locator("#cat-q").press_sequentially("dang ky khai sinh", delay=30)
    # htmx swaps the list in place (no page load) and puts the search in the address bar.
    phone.wait_for_url(re.compile(r"\?q=dang(\+|%20)ky(\+|%20)khai(\+|%20)sinh$"))
    wait_for_js(phone, "document.querySelectorAll('#cat-list .cat-name').length === 2")
    assert names.all_inner_texts() == ["Thủ tục đăng ký khai sinh", "Thủ tục đăng ký lại khai sinh"]
    assert phone.locator("#cat-q").input_value() == "dang ky khai sinh"  # the box was not reloaded

    names.first.click()
    phone.wait_for_url(re.compile(r"/thu-tuc/1\.001193/"))
    assert phone.locator("h1").inner_text() == "Thủ tục đăng ký khai sinh"
    papers = phone.locator("ol.cat-papers li .cat-paper-name")
    assert papers.all_inner_texts() == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    where = phone.locator("dl.cat-desk").inner_text()
    assert "Bộ phận Một cửa UBND xã Sơn Tây" in where and "Trụ sở UBND xã Sơn Tây" in where
    assert phone.locator("button.cat-print").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # Printed, the navigation, the back link and the print button are gone.
    phone.emulate_media(media="print")
    assert not phone.locator(".pub-nav").is_visible()
    assert not phone.locator("button.cat-print").is_visible()
    assert phone.locator("ol.cat-papers").is_visible()


def test_search_works_without_javascript(open_page, live_server, desk, catalogue):
    page = open_page({"width": 390, "height": 844}, java_script_enabled=False)
    page.goto(f"{live_server.url}/cong-khai/{DEMO_COMMUNE}/thu-tuc/")
    page.fill("#cat-q", "kahi snh")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"\?q=kahi\+snh"))
    assert page.locator("#cat-list .cat-name").first.inner_text() == "Thủ tục đăng ký khai sinh"
