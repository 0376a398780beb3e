"""The plan's task table downloads as XLSX (read back with python-calamine), with the page's filter."""

import io

from django.urls import reverse
from python_calamine import CalamineWorkbook


def _rows(response) -> list[list]:
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def test_tasks_download_with_filter(client, officer, demo_plan):
    client.force_login(officer)
    url = reverse("plans:plan", args=[demo_plan.pk])
    assert "tai=xlsx" in client.get(url).content.decode()
    rows = _rows(client.get(url, {"tai": "xlsx"}))
    h = next(i for i, r in enumerate(rows) if r[0] == "STT")
    assert rows[h][:3] == ["STT", "Nội dung", "Lĩnh vực"]
    body = rows[h + 1 :]
    assert len(body) == demo_plan.tasks.count()
    assert [r[0] for r in body][:1] == [demo_plan.tasks.order_by("position").first().code]
    overdue = _rows(client.get(url, {"tai": "xlsx", "loc": "qua-han"}))
    late = overdue[next(i for i, r in enumerate(overdue) if r[0] == "STT") + 1 :]
    assert late and len(late) < len(body) and all(r[5].endswith("(quá hạn)") for r in late)
