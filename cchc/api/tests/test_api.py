"""The JSON API: authentication, scope, declared errors, the OpenAPI document and its local docs page."""

import pytest
from django.test import Client

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.api.models import ApiToken
from cchc.api.services import create_token, revoke_token

SON_TAY, SON_LAM = "000.16.21.H42", "000.13.21.H42"


@pytest.fixture
def officer_token(demo_org, make_user):
    officer = make_user("cb", Role.COMMUNE_OFFICER, demo_org[SON_TAY])
    _, key = create_token(SystemActor("test"), officer, "hệ thống một cửa tỉnh")
    return key


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_no_credentials_is_401_in_vietnamese(client, db):
    response = client.get("/api/org/units")
    assert response.status_code == 401
    assert response.json() == {"detail": "Cần đăng nhập hoặc khóa API hợp lệ."}


def test_token_sees_only_its_users_units(client, officer_token):
    response = client.get("/api/org/units?on=2024-06-30", **bearer(officer_token))
    assert response.status_code == 200
    assert {u["code"] for u in response.json()} == {SON_TAY, "001.16.21.H42"}
    assert client.get(f"/api/org/units/{SON_LAM}", **bearer(officer_token)).status_code == 404
    assert ApiToken.objects.get().last_used_at is not None


def test_only_the_hash_is_stored_and_a_revoked_token_is_refused(client, officer_token):
    token = ApiToken.objects.get()
    assert officer_token not in (token.key_hash, token.prefix) and officer_token.startswith("cchc_")
    revoke_token(SystemActor("test"), token)
    assert client.get("/api/org/units", **bearer(officer_token)).status_code == 401


def test_session_login_works_too(demo_org, make_user):
    client = Client()
    client.force_login(make_user("snv", Role.PROVINCE_REVIEWER, demo_org["000.00.01.H42"]))
    tree = client.get("/api/org/tree?on=2024-06-30").json()
    assert tree[0]["code"] == "000.00.00.H42"
    assert {c["code"] for c in tree[0]["children"]} >= {"000.00.21.H42", "000.00.22.H42"}
    after = client.get("/api/org/tree?on=2025-08-01").json()
    assert "000.00.21.H42" not in {c["code"] for c in after[0]["children"]}


def test_unit_detail_gives_dated_parents_and_successors(demo_org, make_user):
    client = Client()
    client.force_login(make_user("snv", Role.PROVINCE_REVIEWER, demo_org["000.00.01.H42"]))
    son_lam = client.get(f"/api/org/units/{SON_LAM}").json()
    assert son_lam["parents"] == [{"code": "000.00.21.H42", "valid_from": "1991-10-01", "valid_to": "2025-06-30"}]
    assert [s["code"] for s in son_lam["successors"]] == ["000.00.62.H42"]


def test_calendar_endpoints(client, officer_token):
    due = client.get("/api/calendar/add-working-days?start=2025-01-24&n=3", **bearer(officer_token))
    assert due.json() == {"start": "2025-01-24", "working_days": 3, "due": "2025-02-05"}
    saturday = client.get("/api/calendar/day/2025-04-26", **bearer(officer_token)).json()
    assert saturday["working"] is True and "làm việc bù" in saturday["explanation"]
    bad = client.get("/api/calendar/add-working-days?start=2025-13-01&n=3", **bearer(officer_token))
    assert bad.status_code == 422 and bad.json()["detail"].startswith("Dữ liệu không hợp lệ")
    far = client.get("/api/calendar/day/2099-01-01", **bearer(officer_token))
    assert far.status_code == 400 and "nằm ngoài phạm vi" in far.json()["detail"]


def test_openapi_declares_every_error_and_docs_are_served_locally(client, db):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "cchc API"
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            declared = set(operation["responses"])
            assert {"200", "400", "401", "403", "404", "422"} <= declared, (method, path)
    page = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
