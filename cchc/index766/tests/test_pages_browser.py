"""The unit page in Debian's Chromium: the group bars are drawn to their points against their maxima under
the product's CSP (no inline script; widths from the page), with no console error, and fit a phone."""

from __future__ import annotations

from datetime import date

import pytest

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.index766.selectors import index_for
from conftest import PHONE, TEST_PASSWORD, wait_for_js

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unit_page_draws_the_group_bars_to_scale(open_page, live_server, make_user, org, dossier):
    for due, returned in ((date(2026, 3, 10), date(2026, 3, 9)), (date(2026, 3, 5), date(2026, 3, 9))):
        dossier(org["A"], date(2026, 3, 2), due, returned_on=returned, closed_on=returned, status="da_tra")
    make_user("canbo.an", Role.COMMUNE_OFFICER, org["A"])
    result = index_for(org["A"], date(2026, 3, 1), date(2026, 3, 31), actor=SystemActor("test"))
    for viewport in (None, PHONE):
        page = open_page(viewport)
        errors: list[str] = []
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
        page.fill("#id_username", "canbo.an")
        page.fill("#id_password", TEST_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/chi-so-766/?don-vi=X01&ky=2026-T03")
        wait_for_js(page, "document.querySelectorAll('li[data-group] .i7-fill').length === 5")
        drawn = page.evaluate(
            """Array.from(document.querySelectorAll('li[data-group]')).map(li => [li.dataset.group,
                li.querySelector('.i7-fill').getBoundingClientRect().width /
                li.querySelector('.i7-track').clientWidth])"""
        )
        for code, share in drawn:
            group = next(g for g in result.groups if g.code == code)
            expected = 0 if group.points is None else float(group.points / group.max_points)
            assert abs(share - expected) < 0.02, (code, share, expected)
        assert dict(drawn)["tien_do"] == pytest.approx(0.5, abs=0.02)  # 1 of 2 on time: 10 of 20
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1") or viewport is None
        assert not errors, errors
    # Typing a day range switches the period list to "Khoảng ngày": the range typed is the one shown.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.fill("#i7-from", "01/03/2026")
    page.fill("#i7-to", "04/03/2026")
    assert page.eval_on_selector("#i7-period", "el => el.value") == ""
    page.click(".i7-choose button[type=submit]")
    wait_for_js(page, "location.search.includes('tu=01%2F03%2F2026')")
    assert "Từ 01/03/2026 đến 04/03/2026" in page.inner_text("p.lead")
