"""The submission status of the units below downloads as XLSX (read back with python-calamine)."""

import io

from django.urls import reverse
from python_calamine import CalamineWorkbook

from cchc.accounts.models import Role


def test_status_downloads(client, demo_values, make_user):
    reviewer = make_user("snv", Role.PROVINCE_REVIEWER, demo_values["000.00.01.H42"])
    client.force_login(reviewer)
    url = reverse("reports:status")
    query = {"don-vi": "000.00.21.H42", "ky": "2021-NAM"}
    assert "tai=xlsx" in client.get(url, query).content.decode()
    response = client.get(url, {**query, "tai": "xlsx"})
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    rows = rows.to_python()
    h = next(i for i, r in enumerate(rows) if r[0] == "Mã đơn vị")
    body = rows[h + 1 :]
    assert rows[h] == ["Mã đơn vị", "Đơn vị", "Tình hình", "Gửi lần đầu", "Trạng thái"]
    assert body and all(r[0].endswith(".H42") for r in body)
    assert {r[2] for r in body} <= {"Gửi đúng hạn", "Gửi muộn", "Chưa gửi"}
