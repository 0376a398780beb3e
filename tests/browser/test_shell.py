"""The UI shell in a real browser: login, home, the dated tree swapped by HTMX, the unit switcher."""

import pytest

from cchc.accounts.models import Role
from conftest import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_logs_in_and_browses_the_tree_across_the_reform(page, live_server, login, demo_org, make_user):
    make_user("canbo", Role.COMMUNE_OFFICER, demo_org["000.16.21.H42"], full_name="Lê Thị Lan")
    login("canbo", TEST_PASSWORD)
    assert page.locator("h1").inner_text() == "Việc cần làm"
    assert "Xã Sơn Tây" in page.locator(".topbar").inner_text()
    page.click("text=Cơ cấu đơn vị")
    page.fill("#ngay", "30/06/2024")
    page.press("#ngay", "Enter")
    page.wait_for_selector("[data-tree-day]:has-text('30/06/2024')")
    assert "Bộ phận Một cửa xã Sơn Tây" in page.locator("#org-tree").inner_text()
    assert "Xã Sơn Lâm" not in page.locator("#org-tree").inner_text()  # another commune: out of scope
    assert "ngay=30%2F06%2F2024" in page.url or "ngay=30/06/2024" in page.url  # hx-push-url keeps the date
    page.screenshot(path=str(live_server_screenshot("officer-tree")))


def test_reviewer_switches_unit_and_sees_the_tree_before_and_after(page, live_server, login, demo_org, make_user):
    make_user("snv", Role.PROVINCE_REVIEWER, demo_org["000.00.01.H42"])
    login("snv", TEST_PASSWORD)
    page.select_option("#unit-switch", label="Xã Sơn Lâm (đến 30/06/2025)")
    page.wait_for_selector(".messages:has-text('Đang làm việc với: Xã Sơn Lâm')")
    page.goto(f"{live_server.url}/don-vi/?ngay=30/06/2024")
    before = page.locator("#org-tree").inner_text()
    assert "Huyện Hương Sơn" in before and "Xã Sơn Lâm" in before
    page.fill("#ngay", "01/08/2025")
    page.press("#ngay", "Enter")
    page.wait_for_selector("[data-tree-day]:has-text('01/08/2025')")
    after = page.locator("#org-tree").inner_text()
    assert "Huyện Hương Sơn" not in after and "Xã Sơn Giang" in after
    page.screenshot(path=str(live_server_screenshot("reviewer-tree-2025")))


def test_phone_width_keeps_navigation_usable(page, live_server, login, demo_org, make_user):
    make_user("canbo", Role.COMMUNE_OFFICER, demo_org["000.16.21.H42"])
    page.set_viewport_size({"width": 390, "height": 844})
    login("canbo", TEST_PASSWORD)
    nav = page.locator(".sidenav")
    assert nav.is_visible()
    box = nav.bounding_box()
    assert box is not None and box["width"] <= 390


def live_server_screenshot(name: str):
    from pathlib import Path

    out = Path(__file__).resolve().parents[2] / "var" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    return out / f"{name}.png"
