"""Every table of the desk downloads as XLSX (read back with python-calamine): the dossier list with its
filters (all pages), the late list, the statistics, the ratings, the feedback book."""

import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from cchc.dossiers.models import EventKind
from cchc.dossiers.services import Applicant, receive, transition

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db
COMMUNE = "000.16.21.H42"
KIOSK_LABEL = "Màn hình tại Bộ phận Một cửa"


def _sheet(response) -> list[list]:
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    data = b"".join(response.streaming_content)
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def _header_at(rows: list[list], first: str) -> int:
    return next(i for i, r in enumerate(rows) if r and r[0] == first)


@pytest.fixture
def dossiers(catalogue, clerk, demo_org):
    proc = catalogue["1.004873"]
    made = [
        receive(
            clerk,
            unit=demo_org[COMMUNE],
            procedure=proc,
            received_at=datetime(2026, 3, 2 + i % 20, 9, tzinfo=VN),
            applicant=Applicant(f"Trần Thị Số {i}"),
        )
        for i in range(60)
    ]
    made.append(
        receive(
            clerk,
            unit=demo_org[COMMUNE],
            procedure=proc,
            received_at=datetime(2026, 3, 5, 9, tzinfo=VN),
            applicant=Applicant('=HYPERLINK("http://x")'),
        )
    )
    transition(clerk, made[0].pk, EventKind.RESULT_READY, at=datetime(2026, 3, 3, 9, tzinfo=VN))
    transition(clerk, made[0].pk, EventKind.RETURNED, at=datetime(2026, 3, 3, 10, tzinfo=VN), return_method="truc_tiep")
    return made


def test_dossier_list_downloads_every_page_with_its_filters(client, clerk, dossiers):
    client.force_login(clerk)
    page = client.get("/ho-so/", {"q": "tran thi", "trang": 2}).content.decode()
    assert "tai=xlsx" in page and "q=tran+thi" in page
    rows = _sheet(client.get("/ho-so/", {"q": "tran thi", "tai": "xlsx", "trang": 2}))
    h = _header_at(rows, "Mã hồ sơ")
    assert rows[h][:3] == ["Mã hồ sơ", "Đơn vị tiếp nhận", "Thủ tục"] and "Ngày hẹn trả" in rows[h]
    body = rows[h + 1 :]
    assert len(body) == 60  # both pages, the filter kept (the formula-named applicant is not "tran thi")
    first = next(r for r in body if r[0] == dossiers[0].code)
    assert first[6] == date(2026, 3, 2) and first[8] == date(2026, 3, 3) and first[10] == "Trước hạn"
    assert any("tìm: “tran thi”" in str(r[0]) for r in rows[:h])
    everything = _sheet(client.get("/ho-so/", {"tai": "xlsx"}))
    names = [r[5] for r in everything[_header_at(everything, "Mã hồ sơ") + 1 :]]
    assert '=HYPERLINK("http://x")' in names  # text, never a formula


def test_late_list_and_statistics_download(client, clerk, dossiers):
    client.force_login(clerk)
    rows = _sheet(client.get(reverse("dossiers:late"), {"tai": "xlsx"}))
    h = _header_at(rows, "Mã hồ sơ")
    assert len(rows) - h - 1 == 60  # all open and past due today, none apologised
    stats = _sheet(
        client.get(
            reverse("dossiers:stats"), {"don_vi": COMMUNE, "tu": "01/03/2026", "den": "31/03/2026", "tai": "xlsx"}
        )
    )
    h = _header_at(stats, "Theo")
    assert stats[h][:4] == ["Theo", "Tên", "Kỳ trước chuyển qua", "Tiếp nhận mới"]
    total = stats[h + 1]
    assert total[0] == "Tổng" and total[3] == 61 and total[stats[h].index("Tỷ lệ đúng hạn")] == 1.0
    assert any(r[0] == "Lĩnh vực" for r in stats[h + 1 :])


def test_statistics_page_chooses_the_unit_by_name(client, clerk, dossiers):
    client.force_login(clerk)
    page = client.get(reverse("dossiers:stats")).content.decode()
    assert '<select id="su" name="don_vi">' in page and f'<option value="{COMMUNE}" selected>Xã Sơn Tây' in page


def test_ratings_and_feedback_download(client, clerk, dossiers, demo_org, make_user):
    today = timezone.localdate()
    transition(clerk, dossiers[1].pk, EventKind.RESULT_READY)
    payload = {
        "client_id": "8b1d8c2e-1111-4c1e-9b1d-000000000001",
        "dossier_code": dossiers[1].code,
        "question_set": "sipas-2021",
        "answers": {"tong_the": "hai_long"},
        "comment": "+ nhanh, gọn",
    }
    sent = client.post(
        reverse("kiosk:submit", args=[COMMUNE]),
        json.dumps(payload),
        content_type="application/json",
        HTTP_ORIGIN="http://testserver",
    )
    assert sent.status_code == 201, sent.content
    client.force_login(clerk)
    rows = _sheet(
        client.get(
            reverse("surveys:results"),
            {"tu": today.strftime("%d/%m/%Y"), "den": today.strftime("%d/%m/%Y"), "tai": "xlsx"},
        )
    )
    h = _header_at(rows, "Ngày đánh giá")
    assert rows[h + 1][1:] == [dossiers[1].code, KIOSK_LABEL, "Hài lòng", "Có", "+ nhanh, gọn"]
    assert rows[h + 1][0] == today

    from cchc.feedback import services

    officer = make_user("canbo.fb", "commune_officer", demo_org[COMMUNE])
    services.save_item(
        officer,
        demo_org[COMMUNE],
        services.FeedbackData(date(2026, 3, 2), "truc_tiep", "Nguyễn Văn Thu", "@Đường liên thôn xuống cấp"),
        today=date(2026, 3, 3),
    )
    client.force_login(officer)
    rows = _sheet(client.get(reverse("feedback:index"), {"tai": "xlsx"}))
    h = _header_at(rows, "Ngày tiếp nhận")
    assert rows[h + 1][0] == date(2026, 3, 2) and rows[h + 1][2:4] == ["Nguyễn Văn Thu", "@Đường liên thôn xuống cấp"]
