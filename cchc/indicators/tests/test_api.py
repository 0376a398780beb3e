"""/api/indicators: values with provenance, import (file and JSON rows, dry run, 400 with row errors), export."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.api.services import create_token
from cchc.indicators.models import IndicatorValue, Origin
from cchc.indicators.selectors import value_of

SON_TAY = "000.16.21.H42"
COMMUNE = "000.00.61.H42"  # Xã Hương Sơn, from 1/7/2025
PROVINCE = "000.00.00.H42"


@pytest.fixture
def officer_key(demo_org, make_user):
    user = make_user("xamoi", Role.COMMUNE_OFFICER, demo_org[COMMUNE], full_name="Lê Văn Huyện")
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(SystemActor('test'), user, 'một cửa tỉnh')[1]}"}


def test_json_rows_dry_run_then_import_with_origin(client, officer_key):
    body = {
        "source": "Hệ thống một cửa tỉnh",
        "dry_run": True,
        "rows": [
            {"don_vi": COMMUNE, "ky": "2026-6T", "ma_chi_tieu": "dossiers.commune.received", "gia_tri": "2.517"},
            {"don_vi": COMMUNE, "ky": "2026-6T", "ma_chi_tieu": "dossiers.commune.resolved_early", "gia_tri": 800},
        ],
    }
    preview = client.post("/api/indicators/import/rows", body, content_type="application/json", **officer_key)
    assert preview.status_code == 200 and preview.json()["added"] == 2 and preview.json()["dry_run"] is True
    assert not IndicatorValue.objects.exists()
    body["dry_run"] = False
    done = client.post("/api/indicators/import/rows", body, content_type="application/json", **officer_key)
    assert done.status_code == 200 and done.json()["added"] == 2
    row = IndicatorValue.objects.get(indicator__code="dossiers.commune.received")
    assert row.value == 2517 and row.origin == Origin.API and row.origin_name == "Hệ thống một cửa tỉnh"
    v = value_of(COMMUNE, "2026-6T", "dossiers.commune.received")
    assert v.source_text.startswith("Nhập qua API (Hệ thống một cửa tỉnh): Lê Văn Huyện")
    again = client.post("/api/indicators/import/rows", body, content_type="application/json", **officer_key)
    assert again.json()["unchanged"] == 2 and "Không có số liệu nào thay đổi" in again.json()["summary"]
    values = client.get("/api/indicators/values", {"unit": COMMUNE, "period": "2026-6T"}, **officer_key).json()
    received = next(x for x in values["values"] if x["code"] == "dossiers.commune.received")
    assert received["value"] == 2517 and received["provenance"]["origin"] == "api"


def test_rejected_import_is_400_with_every_row_error(client, officer_key):
    body = {
        "rows": [
            {"don_vi": SON_TAY, "ky": "2026-NAM", "ma_chi_tieu": "legal.issued", "gia_tri": "1"},
            {"don_vi": COMMUNE, "ky": "2026-NAM", "ma_chi_tieu": "dossiers.commune.on_time_rate", "gia_tri": "9"},
            {"don_vi": COMMUNE, "ky": "0000-NAM", "ma_chi_tieu": "legal.issued", "gia_tri": "1"},
        ]
    }
    response = client.post("/api/indicators/import/rows", body, content_type="application/json", **officer_key)
    assert response.status_code == 400
    errors = {(e["row"], e["field"]) for e in response.json()["errors"]}
    assert errors == {(2, "don_vi"), (3, "ma_chi_tieu"), (4, "ky")}
    assert "không có dữ liệu nào được lưu" in response.json()["detail"]
    assert not IndicatorValue.objects.exists()


def test_file_upload_export_and_scope(client, officer_key):
    csv = f"don_vi;ky;ma_chi_tieu;gia_tri;ghi_chu\n{COMMUNE};2026-NAM;budget.revenue;12.500,75;ước\n"
    upload = SimpleUploadedFile("ngan_sach.csv", csv.encode(), content_type="text/csv")
    response = client.post("/api/indicators/import", {"file": upload}, **officer_key)
    assert response.status_code == 200 and response.json()["added"] == 1
    assert IndicatorValue.objects.get().origin_name == "ngan_sach.csv"
    exported = client.get("/api/indicators/export", {"unit": COMMUNE, "period": "2026-NAM"}, **officer_key)
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    assert f"{COMMUNE};2026-NAM;budget.revenue;12500,75;ước" in exported.content.decode("utf-8-sig")
    assert (
        client.get("/api/indicators/export", {"unit": PROVINCE, "period": "2026-NAM"}, **officer_key).status_code == 404
    )
    assert client.get("/api/indicators/values", {"unit": COMMUNE, "period": "2021-X"}, **officer_key).status_code == 400
    # "²" is a digit to str.isdigit() and no integer to int(): no such unit (404), not a 500 (found by schemathesis)
    for unit in ("²", "٣", "99999999999999"):
        assert (
            client.get("/api/indicators/values", {"unit": unit, "period": "2026-NAM"}, **officer_key).status_code == 404
        )
    assert (
        client.get("/api/indicators/values", {"unit": COMMUNE, "period": "2026-Q²"}, **officer_key).status_code == 400
    )
    assert (
        client.get(
            "/api/indicators/export", {"unit": COMMUNE, "period": "2026-NAM", "format": "pdf"}, **officer_key
        ).status_code
        == 400
    )


def test_openapi_declares_the_errors(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/indicators/import",
        "/api/indicators/import/rows",
        "/api/indicators/values",
        "/api/indicators/export",
    ):
        operation = next(iter(paths[path].values()))
        assert {"400", "403", "404", "422"} <= set(operation["responses"]), path
