"""Issue 13 item 8: an audit page and API for administrators and reviewers, filtered and scoped; XLSX."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from cchc.accounts.models import Role
from cchc.core import audit
from cchc.core.actors import SystemActor


def _events(demo_org):
    audit.record(
        SystemActor("cchc test"),
        "news.quota_set",
        ("news.newsquota", "1"),
        unit=demo_org["000.16.21.H42"],
        data={"per_month": {"old": 4, "new": 5}},
    )
    audit.record(SystemActor("cchc test"), "org.unit_changed", ("org.orgunit", "7"), unit=demo_org["000.00.00.H42"])
    audit.record(SystemActor("cchc test"), "t.other", ("x.y", "1"), unit=None)


def test_admin_sees_all_reviewer_its_units_officer_nothing(client, demo_org, make_user):
    _events(demo_org)
    admin = make_user("qt", Role.SYSTEM_ADMIN, None)
    client.force_login(admin)
    page = client.get(reverse("audit:log")).content.decode()
    assert "news.quota_set" in page and "org.unit_changed" in page and "t.other" in page
    filtered = client.get(reverse("audit:log"), {"don_vi": "000.16.21.H42", "doi_tuong": "news"})
    assert "news.quota_set" in filtered.content.decode() and "org.unit_changed" not in filtered.content.decode()
    xlsx = client.get(reverse("audit:log"), {"dinh_dang": "xlsx", "nguoi": "cchc test"})
    rows = list(load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.values)
    assert rows[0][0] == "Thời điểm" and len(rows) == 4

    reviewer = make_user("pnv", Role.DISTRICT_REVIEWER, demo_org["000.01.21.H42"])  # the ended district
    client.force_login(reviewer)
    page = client.get(reverse("audit:log")).content.decode()
    assert "news.quota_set" in page and "org.unit_changed" not in page and "t.other" not in page

    client.force_login(make_user("cb", Role.COMMUNE_OFFICER, demo_org["000.16.21.H42"]))
    assert client.get(reverse("audit:log")).status_code == 403


def test_audit_api(client, demo_org, make_user):
    _events(demo_org)
    client.force_login(make_user("qt", Role.SYSTEM_ADMIN, None))
    data = client.get("/api/audit/", {"don_vi": "000.16.21.H42", "doi_tuong": "news"}).json()
    assert [d["verb"] for d in data] == ["news.quota_set"]
    assert data[0]["data"]["per_month"] == {"old": 4, "new": 5}
    assert client.get("/api/audit/", {"tu": "31/02/2026"}).status_code == 400
