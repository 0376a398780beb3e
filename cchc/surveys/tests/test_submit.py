"""The public kiosk endpoint: validation in Vietnamese, replay, polite duplicate, origin, rate limit."""

import json
import uuid
from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.actors import SystemActor
from cchc.surveys import selectors, services
from cchc.surveys.models import Answer, Channel, Rating

SON_TAY = "000.16.21.H42"
SON_TAY_ONE_STOP = "001.16.21.H42"
SON_LAM = "000.17.21.H42"  # another commune of the same district, merged on 1/7/2025
ORIGIN = "http://testserver"


def post(client, url, payload, origin=ORIGIN, content_type="application/json", **headers):
    body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    extra = {"HTTP_ORIGIN": origin} if origin else {}
    return client.post(url, body, content_type=content_type, **extra, **headers)


@pytest.fixture
def submit_url():
    return reverse("kiosk:submit", args=[SON_TAY])


def test_a_rating_is_created_with_its_answers(client, demo_org, submit_url, rating_payload):
    payload = rating_payload(comment="  Cán bộ nhiệt tình.\x07 ")
    response = post(client, submit_url, payload)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "created"
    rating = Rating.objects.get()
    assert rating.dossier_code == f"{SON_TAY}-210304-0012"
    assert rating.unit.code == SON_TAY and rating.kiosk_unit.code == SON_TAY
    assert rating.channel == Channel.KIOSK and rating.satisfied and rating.comment == "Cán bộ nhiệt tình."
    answers = dict(Answer.objects.values_list("question", "option"))
    assert answers == {"tong_the": "hai_long", "cong_chuc": "rat_hai_long"}


def test_replay_with_the_same_client_id_returns_the_original(client, demo_org, submit_url, rating_payload):
    payload = rating_payload(overall="rat_hai_long")
    first = post(client, submit_url, payload)
    second = post(client, submit_url, {**payload, "answers": {"tong_the": "khong_hai_long"}})
    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["status"] == "replay"
    assert second.json()["client_id"] == payload["client_id"]
    assert Rating.objects.count() == 1 and Rating.objects.get().overall == "rat_hai_long"


def test_another_rating_for_a_rated_dossier_is_refused_politely(client, demo_org, submit_url, rating_payload):
    post(client, submit_url, rating_payload())
    response = post(client, submit_url, rating_payload(overall="khong_hai_long"))
    assert response.status_code == 409
    assert response.json() == {"status": "duplicate", "message": "Hồ sơ này đã được đánh giá. Cảm ơn ông/bà."}
    assert Rating.objects.count() == 1


def test_codes_are_compared_in_upper_case(client, demo_org, submit_url, rating_payload):
    post(client, submit_url, rating_payload(code=f"{SON_TAY}-210304-0012"))
    response = post(client, submit_url, rating_payload(code=f" {SON_TAY.lower()}-210304-0012 "))
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"dossier_code": "abc"}, "dossier_code", "không đúng dạng"),
        ({"dossier_code": f"{SON_TAY}-211332-0001"}, "dossier_code", "không có thật"),
        ({"dossier_code": f"{SON_LAM}-210304-0001"}, "dossier_code", "không thuộc đơn vị này"),
        ({"dossier_code": ""}, "dossier_code", "Chưa nhập mã hồ sơ"),
        ({"client_id": "not-a-uuid"}, "client_id", "UUID"),
        ({"question_set": "khong-co"}, "question_set", "không có"),
        ({"answers": {"cong_chuc": "hai_long"}}, "answers.tong_the", "Chưa trả lời câu “Hài lòng chung”"),
        ({"answers": {"tong_the": "tam_duoc"}}, "answers.tong_the", "không có trong thang"),
        ({"answers": {"tong_the": "hai_long", "thoi_tiet": "hai_long"}}, "answers.thoi_tiet", "không có trong bộ"),
        ({"comment": "x" * 1001}, "comment", "tối đa 1000"),
        ({"rated_at": "hôm qua"}, "rated_at", "ISO 8601"),
    ],
)
def test_validation_errors_name_the_field_in_vietnamese(
    client, demo_org, submit_url, rating_payload, change, field, words
):
    response = post(client, submit_url, rating_payload(**change))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert words in errors[0]["message"]
    assert errors[0]["label"] == services.FIELD_LABELS[field.split(".")[0]]
    assert not Rating.objects.exists()


def test_a_future_receipt_date_is_refused(client, demo_org, submit_url, rating_payload):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = post(client, submit_url, rating_payload(code=f"{SON_TAY}-{tomorrow:%y%m%d}-0001"))
    assert response.status_code == 400 and "sau hôm nay" in response.json()["message"]


def test_kiosk_takes_its_sections_and_predecessors_codes(client, demo_org, rating_payload):
    # Xã Sơn Tây's counter: its own code and its Bộ phận Một cửa's.
    url = reverse("kiosk:submit", args=[SON_TAY])
    assert post(client, url, rating_payload(code=f"{SON_TAY_ONE_STOP}-210304-0001")).status_code == 201
    # Xã Sơn Lâm and Xã Sơn Hòa… were merged into 000.00.63.H42: its counter takes their old codes.
    merged = reverse("kiosk:submit", args=["000.00.63.H42"])
    assert post(client, merged, rating_payload(code=f"{SON_LAM}-250604-0001")).status_code == 201
    assert Rating.objects.get(dossier_code=f"{SON_LAM}-250604-0001").unit.code == SON_LAM
    # …but not the codes of a commune it did not replace.
    assert post(client, merged, rating_payload(code=f"{SON_TAY}-250604-0001")).status_code == 400


def test_a_kiosk_of_a_unit_that_no_longer_exists_is_404(client, demo_org, rating_payload):
    assert client.get(reverse("kiosk:page", args=[SON_LAM])).status_code == 404
    assert post(client, reverse("kiosk:submit", args=[SON_LAM]), rating_payload()).status_code == 404


def test_same_client_id_for_another_dossier_is_invalid(client, demo_org, submit_url, rating_payload):
    payload = rating_payload()
    post(client, submit_url, payload)
    response = post(client, submit_url, {**payload, "dossier_code": f"{SON_TAY}-210304-0099"})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "client_id"


def test_rating_time_comes_from_the_tablet_within_a_week(client, demo_org, submit_url, rating_payload):
    three_days_ago = timezone.now() - timedelta(days=3)
    post(client, submit_url, rating_payload(code=f"{SON_TAY}-210304-0001", rated_at=three_days_ago.isoformat()))
    post(client, submit_url, rating_payload(code=f"{SON_TAY}-210304-0002", rated_at="2001-01-01T08:00:00+07:00"))
    queued = Rating.objects.get(dossier_code=f"{SON_TAY}-210304-0001")
    wrong_clock = Rating.objects.get(dossier_code=f"{SON_TAY}-210304-0002")
    assert queued.rated_on == timezone.localtime(three_days_ago).date()
    assert wrong_clock.rated_on == timezone.localdate()  # a tablet clock in 2001 is not believed


def test_dossier_hook_refuses_unknown_and_unfinished_dossiers(
    client, demo_org, submit_url, rating_payload, monkeypatch
):
    assert selectors.dossier_status("x") is None  # today: no dossiers app, the code's form decides
    monkeypatch.setattr(selectors, "dossier_status", lambda code: selectors.DossierStatus(exists=False, finished=False))
    assert "Không tìm thấy hồ sơ" in post(client, submit_url, rating_payload()).json()["message"]
    monkeypatch.setattr(selectors, "dossier_status", lambda code: selectors.DossierStatus(exists=True, finished=False))
    assert "chưa giải quyết xong" in post(client, submit_url, rating_payload()).json()["message"]
    monkeypatch.setattr(selectors, "dossier_status", lambda code: selectors.DossierStatus(exists=True, finished=True))
    assert post(client, submit_url, rating_payload()).status_code == 201


# ---- CSRF by origin and content type ------------------------------------------------------------
def test_foreign_or_missing_origin_is_refused(client, demo_org, submit_url, rating_payload):
    assert post(client, submit_url, rating_payload(), origin="https://evil.example").status_code == 403
    assert post(client, submit_url, rating_payload(), origin=None).status_code == 403
    same_referer = post(client, submit_url, rating_payload(), origin=None, HTTP_REFERER=f"{ORIGIN}/kiosk/{SON_TAY}/")
    assert same_referer.status_code == 201
    assert Rating.objects.count() == 1


def test_trusted_origin_from_settings_is_accepted(client, demo_org, submit_url, rating_payload, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://dichvucong.example.gov.vn"]
    response = post(client, submit_url, rating_payload(), origin="https://dichvucong.example.gov.vn")
    assert response.status_code == 201


def test_form_posts_and_broken_json_are_refused(client, demo_org, submit_url, rating_payload):
    form = client.post(submit_url, {"dossier_code": "x"}, HTTP_ORIGIN=ORIGIN)
    assert form.status_code == 415
    assert post(client, submit_url, "{not json").status_code == 400
    assert post(client, submit_url, "[1, 2]").json()["status"] == "invalid"
    assert post(client, submit_url, "x" * 20000).status_code == 413
    assert client.get(submit_url).status_code == 405


# ---- rate limit ---------------------------------------------------------------------------------
def test_rate_limit_per_client_ip(client, demo_org, submit_url, rating_payload, settings):
    settings.CCHC_SURVEY_RATE_LIMIT = "3/60"
    codes = [f"{SON_TAY}-210304-{n:04d}" for n in range(1, 6)]
    statuses = [post(client, submit_url, rating_payload(code=c)).status_code for c in codes]
    assert statuses == [201, 201, 201, 429, 429]
    refused = post(client, submit_url, rating_payload(code=codes[4]))
    assert "Gửi quá nhiều lần" in refused.json()["message"] and int(refused["Retry-After"]) >= 1
    # Another address has its own counter.
    assert post(client, submit_url, rating_payload(code=codes[4]), REMOTE_ADDR="10.0.0.9").status_code == 201
    assert Rating.objects.count() == 4


# ---- the code check before the questions ----------------------------------------------------------
def test_check_endpoint(client, demo_org, rating_payload):
    url = reverse("kiosk:check", args=[SON_TAY])
    code = f"{SON_TAY}-210304-0012"
    assert client.get(url, {"ma": code}).json() == {"status": "ok", "message": "", "dossier_code": code}
    post(client, reverse("kiosk:submit", args=[SON_TAY]), rating_payload(code=code))
    assert client.get(url, {"ma": code}).status_code == 409
    assert client.get(url, {"ma": "12"}).status_code == 400


# ---- the public link on the receipt ----------------------------------------------------------------
def test_public_link_rates_the_dossier_it_was_printed_for(client, demo_org, rating_payload):
    code = f"{SON_TAY}-210304-0077"
    link = selectors.rating_link(code)
    page = client.get(link)
    assert page.status_code == 200 and code in page.content.decode()
    submit = link + "gui/"
    # The code comes from the signed token, whatever the body says.
    response = post(client, submit, rating_payload(code=f"{SON_TAY}-210304-0001"))
    assert response.status_code == 201 and response.json()["dossier_code"] == code
    rating = Rating.objects.get()
    assert rating.channel == Channel.LINK and rating.kiosk_unit is None and rating.unit.code == SON_TAY
    assert post(client, submit, rating_payload()).status_code == 409
    assert 'alreadyRated": true' in client.get(link).content.decode()


def test_forged_link_is_404(client, demo_org, rating_payload):
    link = selectors.rating_link(f"{SON_TAY}-210304-0077")
    forged = link.replace("/danh-gia/", "/danh-gia/x")
    assert client.get(forged).status_code == 404
    assert post(client, forged + "gui/", rating_payload()).status_code == 404


def test_service_replays_even_if_the_rules_changed_since(demo_org, rating_payload):
    payload = rating_payload()
    unit = demo_org[SON_TAY]
    assert services.submit_rating(payload, channel=Channel.KIOSK, kiosk_unit=unit).status == "created"
    again = services.submit_rating({**payload, "question_set": "withdrawn-set"}, channel=Channel.KIOSK, kiosk_unit=unit)
    assert again.status == "replay" and again.rating.client_id == uuid.UUID(payload["client_id"])


def test_a_recorded_dossier_is_rated_only_once_its_result_is_ready(
    client, demo_org, submit_url, rating_payload, make_user
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from cchc.accounts.models import Role
    from cchc.dossiers.demo import PROCEDURES_FILE
    from cchc.dossiers.models import EventKind
    from cchc.dossiers.services import Applicant, import_procedures, receive, transition

    import_procedures(PROCEDURES_FILE, actor=SystemActor("test"))
    clerk = make_user("motcua", Role.ONE_STOP_CLERK, demo_org["001.16.21.H42"])
    from cchc.dossiers.models import Procedure

    at = datetime(2025, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    d = receive(
        clerk,
        unit=demo_org[SON_TAY],
        procedure=Procedure.objects.get(code="1.004873"),
        applicant=Applicant("Nguyễn Văn An", "042090001234"),
        received_at=at,
    )
    assert selectors.dossier_status(d.code) == selectors.DossierStatus(exists=True, finished=False)
    refused = post(client, submit_url, rating_payload(code=d.code))
    assert refused.status_code == 400 and "chưa giải quyết xong" in refused.json()["message"]
    transition(clerk, d.pk, EventKind.RESULT_READY, at=at.replace(day=11))
    assert post(client, submit_url, rating_payload(code=d.code)).status_code == 201


def test_a_new_rating_refreshes_the_cached_satisfaction_figures(demo_org, rating_payload):
    from django.utils import timezone

    from cchc.indicators.selectors import value_of

    unit = demo_org[SON_TAY]
    today = timezone.localdate()
    period = f"{today.year}-T{today.month:02d}"
    before = value_of(SON_TAY, period, "survey.ballots").value or 0  # computed and cached
    code = f"{SON_TAY}-{timezone.localdate():%y%m%d}-0001"
    # From a registered tablet: an anonymous rating of an unknown code is kept apart (test_kiosk_security).
    from cchc.surveys import devices

    device, _ = devices.register_device(SystemActor("test"), unit, "Quầy 1")
    result = services.submit_rating(rating_payload(code=code), channel=Channel.KIOSK, kiosk_unit=unit, device=device)
    assert result.status == "created"
    assert value_of(SON_TAY, period, "survey.ballots").value == before + 1


def test_a_dossier_received_after_midnight_vietnam_time_can_be_rated_at_once(demo_org, rating_payload):
    # 00:30 on 24/11 in Việt Nam is still 23/11 in UTC: the receipt date is checked against the local date.
    from datetime import datetime

    now = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)
    payload = rating_payload(code=f"{SON_TAY}-261124-0001")
    result = services.submit_rating(payload, channel=Channel.KIOSK, kiosk_unit=demo_org[SON_TAY], now=now)
    assert result.status == "created" and str(result.rating.rated_on) == "2026-11-24"
