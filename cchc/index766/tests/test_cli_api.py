"""cchc index766 --unit U --period P [--json] and GET /api/index766/: the same keys, the same figures."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

from django.core.management import call_command
from django.test import Client

from cchc.accounts.models import Role
from cchc.index766.models import FormulaVersion, Result


def _data(org, dossier, returned):
    returned(org["A"], date(2026, 3, 2), date(2026, 3, 20), date(2026, 3, 5), e_result=True, synced_to_portal=False)
    dossier(org["A"], date(2026, 3, 2), date(2026, 3, 4), e_result=False)


def _cli(*args) -> str:
    out = StringIO()
    call_command("index766", *args, stdout=out)
    return out.getvalue()


def test_cli_json_keys(org, dossier, returned):
    _data(org, dossier, returned)
    data = json.loads(_cli("--unit", "X01", "--period", "2026-T03", "--json"))
    assert {"total", "groups", "components", "version", "unit", "from", "to"} <= set(data)
    assert (data["unit"], data["from"], data["to"], data["version"]) == ("X01", "2026-03-01", "2026-03-31", "2022.1")
    assert set(data["groups"][0]) >= {"code", "name", "points", "max"}
    keys = {"code", "name", "group", "numerator", "denominator", "ratio", "points", "max", "no_data"}
    assert all(keys <= set(c) for c in data["components"])
    tien_do = next(c for c in data["components"] if c["code"] == "tien_do")
    assert (tien_do["numerator"], tien_do["denominator"], tien_do["ratio"], tien_do["points"]) == (1, 2, 0.5, 10.0)
    assert next(c for c in data["components"] if c["code"] == "ket_qua_dien_tu")["points"] == 3.0


def test_cli_table_in_vietnamese_and_from_to(org, dossier, returned):
    _data(org, dossier, returned)
    text = _cli("--unit", "X01", "--from", "2026-03-01", "--to", "2026-03-31")
    assert "Tiến độ, kết quả giải quyết".upper() in text and "TỔNG ĐIỂM" in text
    last = text.strip().splitlines()[-1]  # the components with no data, by name (e-result is known here)
    assert last.startswith("Chưa có dữ liệu (không tính là 0 điểm")
    assert "Hồ sơ có thành phần được số hóa" in last and "Hồ sơ có kết quả điện tử" not in last
    assert "chưa có" in text  # their points column


def test_api_matches_cli_and_a_get_writes_nothing(org, dossier, returned, make_user):
    _data(org, dossier, returned)
    client = Client()
    client.force_login(make_user("snv", Role.PROVINCE_REVIEWER, org["P"]))
    before = (FormulaVersion.objects.count(), Result.objects.count())
    response = client.get("/api/index766/?unit=X01&period=2026-T03")
    assert response.status_code == 200, response.content
    cli = json.loads(_cli("--unit", "X01", "--period", "2026-T03", "--json"))
    assert response.json() == cli
    by_dates = client.get("/api/index766/?unit=X01&from=2026-03-01&to=2026-03-31").json()
    assert by_dates["components"] == cli["components"]
    assert (FormulaVersion.objects.count(), Result.objects.count()) == before


def test_api_scope_and_bad_period(org, dossier, returned, make_user):
    client = Client()
    client.force_login(make_user("xa", Role.COMMUNE_OFFICER, org["B"]))
    assert client.get("/api/index766/?unit=X01&period=2026-T03").status_code == 404
    bad = client.get("/api/index766/?unit=X02&period=2026-T13")
    assert bad.status_code == 400 and "không hợp lệ" in bad.json()["detail"]


def test_cli_stake_lists_what_can_still_be_saved(org, dossier):
    pending = dossier(org["A"], date(2026, 3, 2), date(2026, 3, 30))
    dossier(org["A"], date(2026, 3, 2), date(2026, 3, 10))  # already late on 16/3
    data = json.loads(_cli("stake", "--unit", "X01", "--period", "2026-T03", "--today", "2026-03-16", "--json"))
    assert [(d["code"], d["due_on"]) for d in data["dossiers"]] == [(pending.code, "2026-03-30")]
    # 1 of 2 within today; if late, tiến độ 20 × 1/2 → 0 and hài lòng hồ sơ 18 × 0,5 ÷ 0,9 = 10 → 0: 20 points.
    assert data["dossiers"][0]["points_cost"] == 20.0
    text = _cli("stake", "--unit", "X01", "--period", "2026-T03", "--today", "2026-03-16")
    assert pending.code in text and "mất 20,00 điểm" in text
