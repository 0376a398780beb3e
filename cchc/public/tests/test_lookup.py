"""Tra cứu tiến độ hồ sơ: the code alone shows nothing, every failure looks the same, failures are
throttled per client, and the page shows public facts only."""

import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from docx import Document

from cchc.accounts.models import Role
from cchc.core.audit import AuditEvent
from cchc.documents.rendering import qr_png
from cchc.dossiers import lookupkeys
from cchc.dossiers.documents import render_form
from cchc.dossiers.models import Dossier, EventKind, ReturnMethod
from cchc.dossiers.progress import lookup_dossier
from cchc.dossiers.selectors import receipt_data
from cchc.dossiers.services import Applicant, issue_lookup_key, receive, transition
from cchc.public.tests.conftest import DEMO_COMMUNE
from cchc.public.views.lookup import NOT_FOUND

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
URL = "/cong-khai/tra-cuu/"
APPLICANT = Applicant(
    "Nguyễn Văn An",
    "042090001234",
    address="Thôn Trung Lưu, xã Sơn Tây",
    phone="0912345678",
    email="an.nguyen@example.vn",
)
PERSONAL = ("Nguyễn Văn An", "042090001234", "Trung Lưu", "0912345678", "an.nguyen@example.vn")


def at(y, m, d, hh=9, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN)


@pytest.fixture
def clerk(demo_org, make_user):
    return make_user("motcua", Role.ONE_STOP_CLERK, demo_org["001.16.21.H42"])


@pytest.fixture
def dossier(catalogue, clerk, demo_org):
    return receive(
        clerk,
        unit=demo_org[DEMO_COMMUNE],
        procedure=catalogue["1.004873"],
        applicant=APPLICANT,
        received_at=at(2025, 3, 10, 8, 15),
    )


@pytest.fixture
def other_unit_dossier(catalogue, demo_org, make_user):
    """A dossier of Xã Sơn Giang, another commune."""
    other = make_user("motcua2", Role.ONE_STOP_CLERK, demo_org["000.00.62.H42"])
    return receive(
        other,
        unit=demo_org["000.00.62.H42"],
        procedure=catalogue["1.004873"],
        applicant=Applicant("Trần Thị Bình"),
        received_at=at(2025, 7, 10),
    )


def _neutral(body: str) -> str:
    """The page with the typed values and the CSRF token blanked: what must not differ between failures."""
    return re.sub(r'value="[^"]*"', 'value=""', body)


def _post(client, code, key, addr="10.0.0.1"):
    return client.post(URL, {"ma": code, "khoa": key}, REMOTE_ADDR=addr)


# ---- the key -------------------------------------------------------------------------------------------
def test_key_is_issued_at_the_counter(dossier):
    assert len(dossier.lookup_key) == 6
    assert set(dossier.lookup_key) <= set(lookupkeys.ALPHABET)
    assert not set("0O1IL") & set(lookupkeys.ALPHABET)


def test_key_is_read_as_people_type_it(dossier):
    key = dossier.lookup_key
    typed = f" {key[:3].lower()}-{key[3:].lower()} "
    assert lookup_dossier(dossier.code, typed) is not None
    assert lookup_dossier(f" {dossier.code.lower()} ", key) is not None  # "h42" typed in lower case
    assert lookup_dossier(dossier.code, key[:5]) is None


def test_key_is_compared_even_when_the_code_does_not_exist(dossier, monkeypatch):
    calls = []
    real = lookupkeys.hmac.compare_digest
    monkeypatch.setattr(lookupkeys.hmac, "compare_digest", lambda a, b: calls.append(a) or real(a, b))
    assert lookup_dossier(DEMO_COMMUNE + "-250310-9999", dossier.lookup_key) is None
    assert lookup_dossier(dossier.code, "ZZZZZZ") is None
    assert len(calls) == 2 and len(calls[0]) == len(calls[1])


def test_printing_the_receipt_writes_nothing_the_clerk_issues_a_missing_key(dossier, clerk, client):
    """A GET never writes: form 01 of an imported dossier prints "chưa cấp"; the clerk's POST issues the key."""
    from django.urls import reverse

    from cchc.dossiers import documents

    Dossier.objects.filter(pk=dossier.pk).update(lookup_key="")  # as the import leaves it
    dossier.refresh_from_db()
    client.force_login(clerk)
    events = AuditEvent.objects.count()
    assert client.get(reverse("dossiers:form", args=[dossier.pk, "01"])).status_code == 200
    assert Dossier.objects.get(pk=dossier.pk).lookup_key == "" and AuditEvent.objects.count() == events
    assert documents.form_context(dossier, "01")[1]["dossier"]["lookup_key"].startswith("chưa cấp")
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert reverse("dossiers:issue_key", args=[dossier.pk]) in page
    assert client.get(reverse("dossiers:issue_key", args=[dossier.pk])).status_code == 405
    client.post(reverse("dossiers:issue_key", args=[dossier.pk]))
    key = Dossier.objects.get(pk=dossier.pk).lookup_key
    assert len(key) == 6 and AuditEvent.objects.filter(verb="dossiers.issue_lookup_key").count() == 1
    assert documents.form_context(Dossier.objects.get(pk=dossier.pk), "01")[1]["dossier"]["lookup_key"] == key


def test_imported_dossier_gets_its_key_when_the_clerk_issues_it(dossier, clerk):
    Dossier.objects.filter(pk=dossier.pk).update(lookup_key="")  # as the import leaves it
    dossier.refresh_from_db()
    assert lookup_dossier(dossier.code, "") is None
    key = issue_lookup_key(dossier, actor=clerk)
    assert len(key) == 6 and Dossier.objects.get(pk=dossier.pk).lookup_key == key
    assert issue_lookup_key(Dossier.objects.get(pk=dossier.pk)) == key  # printed again: the same key
    audit = AuditEvent.objects.get(verb="dossiers.issue_lookup_key")
    assert key not in str(audit.data)  # the secret stays out of the audit trail
    assert lookup_dossier(dossier.code, key) is not None


# ---- receipt form 01 -------------------------------------------------------------------------------------
def test_receipt_carries_the_key_and_a_qr_code_of_the_lookup_link(dossier):
    data = receipt_data(dossier, "https://dichvucong.sontay.gov.vn/")
    link = f"https://dichvucong.sontay.gov.vn/cong-khai/tra-cuu/?ma={dossier.code}&khoa={dossier.lookup_key}"
    assert data["qr_text"] == link and data["lookup_key"] == dossier.lookup_key
    _, docx = render_form(dossier, "01", base_url="https://dichvucong.sontay.gov.vn")
    doc = Document(io.BytesIO(docx))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"Mã hồ sơ: {dossier.code}" in text and f"Mã tra cứu: {dossier.lookup_key}" in text
    assert "https://dichvucong.sontay.gov.vn/cong-khai/tra-cuu/" in text
    # No QR decoder is installed: the picture must be exactly the QR code of the link.
    pictures = [r.target_part.blob for r in doc.part.rels.values() if "image" in r.reltype]
    assert pictures == [qr_png(link)]


def test_receipt_link_uses_the_configured_public_address(dossier, clerk, client, settings):
    client.force_login(clerk)
    response = client.get(f"/ho-so/{dossier.pk}/mau/01/")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "http://testserver/cong-khai/tra-cuu/" in text  # no setting: the address the officer uses
    settings.CCHC_PUBLIC_URL = "https://dvc.hatinh.gov.vn"
    assert receipt_data(dossier)["qr_text"].startswith("https://dvc.hatinh.gov.vn/cong-khai/tra-cuu/?ma=")


# ---- the page ------------------------------------------------------------------------------------------
def test_qr_link_shows_the_progress_and_public_facts_only(dossier, desk, client):
    response = client.get(URL, {"ma": dossier.code, "khoa": dossier.lookup_key})
    assert response.status_code == 200
    page = response.content.decode()
    assert dossier.procedure.name in page and dossier.code in page
    assert "10/03/2025" in page and f"{dossier.due_on:%d/%m/%Y}" in page
    assert "Đang giải quyết" in page and "Tiếp nhận hồ sơ" in page
    assert "N.V.A." in page
    for personal in PERSONAL:
        assert personal not in page
    assert "motcua" not in page  # no staff names
    # The unit's published desk: where to ask and collect.
    assert desk.address in page and "0239 3870001" in page
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex, nofollow">' in page


def test_empty_form_without_lookup(client):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="ma"' in page and 'name="khoa"' in page and NOT_FOUND not in page
    assert 'autocapitalize="characters"' in page and response["Cache-Control"] == "no-store"


def test_form_posts_without_a_referrer(dossier):
    """Under Referrer-Policy no-referrer a browser's POST carries Origin: null and no Referer; the lookup
    must still answer (it holds no session, and the same lookup is a GET anyway)."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    response = browser.post(URL, {"ma": dossier.code, "khoa": dossier.lookup_key}, HTTP_ORIGIN="null", secure=True)
    assert response.status_code == 200 and dossier.procedure.name in response.content.decode()
    assert "csrftoken" not in response.cookies  # the page sets no cookie at all


def test_every_failure_gives_the_same_answer(dossier, other_unit_dossier, catalogue, clerk, demo_org, client):
    second = receive(
        clerk,
        unit=demo_org[DEMO_COMMUNE],
        procedure=catalogue["1.004873"],
        applicant=Applicant("Lê Văn Cường"),
        received_at=at(2025, 3, 10, 9, 0),
    )
    attempts = {
        "no key": (dossier.code, ""),
        "wrong key": (dossier.code, "ABCDEF" if dossier.lookup_key != "ABCDEF" else "ABCDEG"),
        "key of another dossier": (dossier.code, second.lookup_key),
        "another unit's code": (other_unit_dossier.code, dossier.lookup_key),
        "unknown code": (DEMO_COMMUNE + "-250310-9999", dossier.lookup_key),
        "nothing typed": ("", ""),
    }
    answers = {}
    for name, (code, key) in attempts.items():
        response = _post(client, code, key)
        page = response.content.decode()
        assert NOT_FOUND in page, name
        for leaked in (dossier.procedure.name, "N.V.A.", "T.T.B.", "Tình trạng", "Ngày tiếp nhận", "Trụ sở"):
            assert leaked not in page, (name, leaked)
        answers[name] = (response.status_code, _neutral(page))
    assert len(set(answers.values())) == 1, "a failure must not tell which one it is"
    # The QR link without its key, or with a wrong one, answers the same too.
    by_get = client.get(URL, {"ma": dossier.code}, REMOTE_ADDR="10.0.0.1")
    assert (by_get.status_code, _neutral(by_get.content.decode())) == answers["no key"]


def test_thirty_failures_from_one_address_are_throttled(dossier, client):
    for n in range(30):
        response = _post(client, dossier.code, "WRONG1" if n % 2 else "")
        assert response.status_code == 200 and NOT_FOUND in response.content.decode()
    refused = _post(client, dossier.code, dossier.lookup_key)  # even the right pair
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "Xin thử lại sau" in page and "phút" in page and dossier.procedure.name not in page
    assert 1 <= int(refused["Retry-After"]) <= 900 and refused["Cache-Control"] == "no-store"
    assert client.get(URL, {"ma": dossier.code, "khoa": dossier.lookup_key}, REMOTE_ADDR="10.0.0.1").status_code == 429
    # Another address has its own count.
    other = _post(client, dossier.code, dossier.lookup_key, addr="10.0.0.2")
    assert other.status_code == 200 and dossier.procedure.name in other.content.decode()


def test_successful_lookups_do_not_count(dossier, client):
    for _ in range(35):  # a family checking its dossiers again and again
        assert _post(client, dossier.code, dossier.lookup_key).status_code == 200
    for _ in range(30):
        assert _post(client, dossier.code, "WRONG1").status_code == 200
    assert _post(client, dossier.code, dossier.lookup_key).status_code == 429


def test_limit_comes_from_the_setting(dossier, client, settings):
    settings.CCHC_LOOKUP_RATE_LIMIT = "2/60"
    assert _post(client, dossier.code, "").status_code == 200
    assert _post(client, dossier.code, "").status_code == 200
    refused = _post(client, dossier.code, dossier.lookup_key)
    assert refused.status_code == 429 and "1 phút" in refused.content.decode()


# ---- what the steps read -------------------------------------------------------------------------------
def test_handover_apology_and_notes(dossier, clerk, demo_org):
    transition(
        clerk,
        dossier.pk,
        EventKind.HANDOVER,
        at=at(2025, 3, 11),
        to_unit=demo_org["000.00.01.H42"],
        note="Gọi chị Lan 0987654321 trước khi chuyển",
    )
    progress = lookup_dossier(dossier.code, dossier.lookup_key, today=date(2025, 3, 12))
    assert progress.step == "Đang giải quyết" and "Sở Nội vụ tỉnh Hà Tĩnh" in progress.step_detail
    assert progress.timeliness == "Trong hạn" and progress.late is False
    assert [s.label for s in progress.steps] == ["Tiếp nhận hồ sơ", "Chuyển hồ sơ đến Sở Nội vụ tỉnh Hà Tĩnh"]
    assert "0987654321" not in repr(progress) and "motcua" not in repr(progress)

    late_day, new_due = dossier.due_on + timedelta(days=1), dossier.due_on + timedelta(days=7)
    transition(
        clerk,
        dossier.pk,
        EventKind.APOLOGY,
        at=datetime.combine(late_day, datetime.min.time(), VN),
        note="Chờ xác minh",
        new_due_on=new_due,
    )
    progress = lookup_dossier(dossier.code, dossier.lookup_key, today=late_day)
    assert progress.new_due_on == new_due and progress.due_on == dossier.due_on
    assert progress.timeliness == "Đã quá hạn" and progress.late is True
    assert progress.steps[-1].label.endswith(f"(hẹn trả ngày {new_due:%d/%m/%Y})")
    assert "Chờ xác minh" not in repr(progress)


def test_result_ready_then_returned(dossier, clerk, client):
    transition(clerk, dossier.pk, EventKind.RESULT_READY, at=at(2025, 3, 11))
    progress = lookup_dossier(dossier.code, dossier.lookup_key, today=date(2025, 3, 20))
    assert progress.step == "Đã có kết quả, mời nhận" and "Bộ phận Một cửa" in progress.step_detail
    assert progress.timeliness == "Có kết quả trước hạn" and progress.late is False
    transition(clerk, dossier.pk, EventKind.RETURNED, at=at(2025, 3, 12), return_method=ReturnMethod.COUNTER)
    progress = lookup_dossier(dossier.code, dossier.lookup_key)
    assert progress.step == "Đã trả kết quả" and progress.result == "Đã trả kết quả ngày 12/03/2025"
    assert progress.closed and progress.timeliness == "Trả kết quả trước hạn"
    page = client.get(URL, {"ma": dossier.code, "khoa": dossier.lookup_key}).content.decode()
    assert "Đã trả kết quả ngày 12/03/2025" in page
    # The form below keeps the code but not the key: the key is not left on the screen a second time.
    assert f'value="{dossier.lookup_key}"' not in page and 'name="khoa" value=""' in page


def test_refused_dossier_does_not_show_the_reason(dossier, clerk):
    transition(clerk, dossier.pk, EventKind.REFUSED, at=at(2025, 3, 11), note="Giấy tờ của ông An giả mạo")
    progress = lookup_dossier(dossier.code, dossier.lookup_key)
    assert progress.step == "Từ chối giải quyết" and progress.closed and progress.late is None
    assert "giả mạo" not in repr(progress)


def test_imported_dossier_timeline_comes_from_its_dates(dossier):
    dossier.events.all().delete()  # the import writes no step log
    Dossier.objects.filter(pk=dossier.pk).update(
        status="da_tra",
        result_ready_on=date(2025, 3, 11),
        returned_on=date(2025, 3, 12),
        closed_on=date(2025, 3, 12),
        outcome="som",
        return_method="truc_tiep",
    )
    progress = lookup_dossier(dossier.code, dossier.lookup_key)
    assert [(s.on, s.label) for s in progress.steps] == [
        (date(2025, 3, 10), "Tiếp nhận hồ sơ"),
        (date(2025, 3, 11), "Có kết quả giải quyết"),
        (date(2025, 3, 12), "Trả kết quả"),
    ]


def test_lookup_url_name_is_fixed():
    assert reverse("public:lookup") == URL
