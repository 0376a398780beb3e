"""The dossier lookup on a phone, in a real Chromium: the receipt's QR link shows the progress at once;
a mistyped key gets the neutral answer."""

import os
import tempfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cchc.accounts.models import Role
from cchc.dossiers.selectors import receipt_data
from cchc.dossiers.services import Applicant, receive
from cchc.public.tests.conftest import DEMO_COMMUNE
from cchc.public.views.lookup import NOT_FOUND

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("CCHC_SCREENSHOT_DIR", tempfile.gettempdir())


def test_citizen_scans_the_receipt_then_mistypes_the_key(phone, live_server, desk, catalogue, demo_org, make_user):
    clerk = make_user("motcua", Role.ONE_STOP_CLERK, demo_org["001.16.21.H42"])
    d = receive(
        clerk,
        unit=demo_org[DEMO_COMMUNE],
        procedure=catalogue["1.004873"],
        applicant=Applicant("Nguyễn Văn An", "042090001234", phone="0912345678"),
        received_at=datetime(2025, 3, 10, 8, 15, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
    )
    qr_link = receipt_data(d, live_server.url)["qr_text"]

    phone.goto(qr_link)
    result = phone.locator("#lookup-result")
    assert phone.locator("#lookup-step").inner_text() == "Đang giải quyết"
    text = result.inner_text()
    assert d.procedure.name in text and "10/03/2025" in text and "N.V.A." in text
    assert "Nguyễn Văn An" not in phone.content() and "0912345678" not in phone.content()
    assert "Trụ sở UBND xã Sơn Tây" in text  # where to ask
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=os.path.join(SHOTS, "cchc-lookup-phone.png"), full_page=True)

    # The form below keeps the code but not the key (not left on the screen twice); the key field
    # capitalises what is typed.
    key_box = phone.locator("#lookup-khoa")
    assert phone.locator("#lookup-ma").input_value() == d.code and key_box.input_value() == ""
    assert key_box.get_attribute("autocapitalize") == "characters"
    box = key_box.bounding_box()
    assert box["height"] >= 44  # a thumb-sized target
    key_box.fill("")
    key_box.press_sequentially("abc234" if d.lookup_key != "ABC234" else "abc235", delay=20)
    phone.click("#lookup-form button[type=submit]")
    phone.wait_for_selector("#lookup-message")
    assert phone.locator("#lookup-message").inner_text() == NOT_FOUND
    assert phone.locator("#lookup-result").count() == 0
    assert d.procedure.name not in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
