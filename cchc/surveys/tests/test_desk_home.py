"""The one-stop clerk's menu and home page: the desk's work only; a section's user works for its unit."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.dossiers.models import EventKind
from cchc.dossiers.services import Applicant, receive, transition

pytestmark = pytest.mark.django_db
COMMUNE, DESK, PROVINCE, SO_NOI_VU = "000.16.21.H42", "001.16.21.H42", "000.00.00.H42", "000.00.01.H42"


@pytest.fixture
def desk_clerk(demo_org, make_user):
    return make_user("motcua.x", Role.ONE_STOP_CLERK, demo_org[DESK], full_name="Phan Văn Minh")


def _nav(html: str) -> list[str]:
    nav = html.split('<nav class="sidenav"')[1].split("</nav>")[0]
    return [part.split("</a>")[0].split(">")[-1] for part in nav.split("<a ")[1:]]


def test_clerk_menu_is_the_desk(client, desk_clerk, demo_org):
    client.force_login(desk_clerk)
    html = client.get("/").content.decode()
    assert _nav(html) == [
        "Việc cần làm",
        "Tiếp nhận hồ sơ",
        "Hồ sơ TTHC",
        "Khảo sát hài lòng",
        "Chỉ số phục vụ (766)",  # the service-quality index is the desk's own score (issue #15)
        "Trang công khai",
    ]
    # The commune's plans, reports and PAR index are not the desk's to-dos.
    assert "Báo cáo CCHC" not in html and "Kế hoạch" not in html and "Tạo báo cáo" not in html
    assert "Hồ sơ của Xã Sơn Tây hôm nay" in html and "Đánh giá sự hài lòng tại ki-ốt" in html


def test_officer_menu_keeps_the_modules(client, demo_org, make_user):
    client.force_login(make_user("canbo.x", Role.COMMUNE_OFFICER, demo_org[COMMUNE]))
    nav = _nav(client.get("/").content.decode())
    assert "Báo cáo CCHC" in nav and "Kế hoạch CCHC" in nav and "Tiếp nhận hồ sơ" not in nav


def test_desk_panel_counts_today(client, desk_clerk, demo_org, catalogue):
    now = timezone.now()
    d = receive(
        desk_clerk,
        unit=demo_org[COMMUNE],
        procedure=catalogue["1.004873"],
        applicant=Applicant("Lê Văn An"),
        received_at=now,
    )
    receive(
        desk_clerk,
        unit=demo_org[COMMUNE],
        procedure=catalogue["1.004873"],
        applicant=Applicant("Lê Văn Ba"),
        received_at=now,
    )
    transition(desk_clerk, d.pk, EventKind.RESULT_READY, at=now)
    client.force_login(desk_clerk)
    html = client.get("/").content.decode()
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert (
        f'<a href="/ho-so/?tu={today}&amp;den={today}">Tiếp nhận hôm nay</a></th>\n          <td class="num">2<' in html
    )
    assert 'Đã có kết quả, chờ trả</a></th>\n          <td class="num">1<' in html
    listed = client.get("/ho-so/", {"tu": today, "den": today}).content.decode()
    assert d.code in listed


def test_rating_from_the_desks_kiosk_counts_for_the_clerk(client, desk_clerk, demo_org, rating_payload, catalogue):
    # The kiosk opened with the desk's own code; the dossier code carries the commune's.
    now = timezone.now()
    d = receive(
        desk_clerk,
        unit=demo_org[COMMUNE],
        procedure=catalogue["1.004873"],
        applicant=Applicant("Lê Văn An"),
        received_at=now,
    )
    transition(desk_clerk, d.pk, EventKind.RESULT_READY, at=now)
    payload = rating_payload(code=d.code)
    sent = client.post(
        reverse("kiosk:submit", args=[DESK]),
        json.dumps(payload),
        content_type="application/json",
        HTTP_ORIGIN="http://testserver",
    )
    assert sent.status_code == 201, sent.content
    client.force_login(desk_clerk)
    html = client.get(reverse("surveys:results")).content.decode()
    assert 'id="s-ballots">1<' in html and "Xã Sơn Tây" in html
    home = client.get("/").content.decode()
    assert 'Phiếu đánh giá hôm nay</a></th>\n          <td class="num">1<' in home
    # Even asked for the desk by its code, the results are the commune's (ratings are filed under it).
    html = client.get(reverse("surveys:results"), {"don_vi": DESK}).content.decode()
    assert 'id="s-ballots">1<' in html


def test_section_user_works_for_its_unit(client, demo_org, make_user):
    reviewer = make_user("sonoivu.x", Role.PROVINCE_REVIEWER, demo_org[SO_NOI_VU])
    client.force_login(reviewer)
    html = client.get("/").content.decode()
    selected = html.split('id="unit-switch"')[1].split("</select>")[0]
    chosen = [opt for opt in selected.split("<option")[1:] if " selected" in opt.split(">")[0]]
    assert len(chosen) == 1 and "Tỉnh Hà Tĩnh" in chosen[0]
    # Choosing the province again keeps it (and it is what the pages use).
    client.post(reverse("accounts:switch_unit"), {"unit_id": demo_org[PROVINCE].pk, "next": "/"})
    assert "Tỉnh Hà Tĩnh" in client.get("/").content.decode().split('class="lead"')[1].split("</p>")[0]
