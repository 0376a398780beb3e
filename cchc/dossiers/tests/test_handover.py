"""Hand-over (chuyển hồ sơ) to people of the unit and to agencies: who may, the log (form 06), the
citizen's lookup in plain words."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from docx import Document

from cchc.accounts.models import Role
from cchc.dossiers import documents, selectors
from cchc.dossiers.models import EventKind, Status
from cchc.dossiers.progress import lookup_dossier
from cchc.dossiers.services import Applicant, TransitionRefused, receive, transition

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db
COMMUNE, DESK, SO_NOI_VU = "000.16.21.H42", "001.16.21.H42", "000.00.01.H42"


def at(y, m, d, hh=9, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN)


@pytest.fixture
def people(demo_org, make_user, clerk):
    unit = demo_org[COMMUNE]
    return {
        "clerk": clerk,
        "officer": make_user(
            "chuyenmon", Role.COMMUNE_OFFICER, unit, full_name="Lê Thị Lan", job_title="Công chức Tư pháp - Hộ tịch"
        ),
        "leader": make_user("chutich", Role.LEADER, unit, full_name="Hoàng Văn Dũng", job_title="Chủ tịch UBND xã"),
        "stranger": make_user("xakhac", Role.COMMUNE_OFFICER, demo_org["000.00.62.H42"], full_name="Võ Thị Hoa"),
    }


@pytest.fixture
def dossier(catalogue, people, demo_org):
    return receive(
        people["clerk"],
        unit=demo_org[COMMUNE],
        procedure=catalogue["1.004873"],
        applicant=Applicant("Nguyễn Văn Thu", "042090001234"),
        received_at=at(2026, 3, 9, 8, 15),
    )


def test_targets_are_people_of_the_unit_and_agencies_above(dossier, people, demo_org):
    targets = selectors.handover_targets(dossier, today=date(2026, 3, 9))
    names = {u.username for u in targets.people}
    assert {"motcua", "chuyenmon", "chutich"} <= names and "xakhac" not in names
    assert demo_org[DESK] in targets.sections
    # The dossier sits with the commune itself: it is not offered as a place to move it to.
    assert demo_org[COMMUNE] not in targets.sections
    assert {demo_org["000.00.00.H42"], demo_org[SO_NOI_VU]} <= set(targets.agencies)
    assert demo_org["000.00.62.H42"] not in targets.agencies  # other communes are not "above"


def test_to_specialist_then_leader_then_back_to_the_desk(dossier, people, demo_org):
    clerk, officer, leader = people["clerk"], people["officer"], people["leader"]
    transition(clerk, dossier.pk, EventKind.HANDOVER, at=at(2026, 3, 9, 10), to_user=officer)
    dossier.refresh_from_db()
    assert (dossier.holder, dossier.holder_user) == (demo_org[COMMUNE], officer)
    assert [d.pk for d in selectors.held_by(officer)] == [dossier.pk]
    assert any(i.title == "Hồ sơ được chuyển cho bạn" and i.count == 1 for i in selectors.todo_items(officer, None))

    # Handing it to whoever holds it is refused, in words.
    with pytest.raises(TransitionRefused, match="Hồ sơ đang ở Lê Thị Lan"):
        transition(clerk, dossier.pk, EventKind.HANDOVER, at=at(2026, 3, 9, 11), to_user=officer)
    transition(officer, dossier.pk, EventKind.HANDOVER, at=at(2026, 3, 10, 9), to_user=leader)
    # The leader edits nothing, yet may pass on what was handed to him, and nothing else.
    assert leader.role == Role.LEADER
    with pytest.raises(PermissionDenied):
        transition(leader, dossier.pk, EventKind.SUPPLEMENT_REQUESTED, at=at(2026, 3, 10, 10), note="Thiếu giấy")
    transition(leader, dossier.pk, EventKind.HANDOVER, at=at(2026, 3, 10, 15), to_unit=demo_org[DESK])
    dossier.refresh_from_db()
    assert (dossier.holder, dossier.holder_user) == (demo_org[DESK], None)
    assert selectors.held_by(leader).count() == 0
    # Once given back, the leader may no longer move it.
    with pytest.raises(PermissionDenied):
        transition(leader, dossier.pk, EventKind.HANDOVER, at=at(2026, 3, 10, 16), to_user=officer)

    log = list(dossier.events.filter(kind=EventKind.HANDOVER).order_by("at"))
    assert [(e.from_user, e.to_user, e.to_unit.code) for e in log] == [
        (clerk, officer, COMMUNE),
        (officer, leader, COMMUNE),
        (leader, None, DESK),
    ]


def test_person_of_another_unit_is_refused(dossier, people):
    with pytest.raises(TransitionRefused, match="Người nhận phải là cán bộ"):
        transition(people["clerk"], dossier.pk, EventKind.HANDOVER, at=at(2026, 3, 9, 10), to_user=people["stranger"])
    with pytest.raises(TransitionRefused, match="Cần chọn người hoặc cơ quan"):
        transition(people["clerk"], dossier.pk, EventKind.HANDOVER, at=at(2026, 3, 9, 10))


def test_citizen_reads_the_step_in_plain_words_without_names(dossier, people, demo_org):
    clerk, officer, leader = people["clerk"], people["officer"], people["leader"]
    look = lambda: lookup_dossier(dossier.code, dossier.lookup_key, today=date(2026, 3, 11))  # noqa: E731
    assert look().step_detail == "Hồ sơ đang được giải quyết."
    transition(clerk, dossier.pk, EventKind.HANDOVER, at=at(2026, 3, 9, 10), to_user=officer)
    assert look().step_detail == "Hồ sơ đang được công chức chuyên môn xử lý."
    transition(officer, dossier.pk, EventKind.HANDOVER, at=at(2026, 3, 10, 9), to_user=leader)
    assert look().step_detail == "Hồ sơ đang được lãnh đạo xem xét, quyết định."
    transition(leader, dossier.pk, EventKind.HANDOVER, at=at(2026, 3, 10, 15), to_unit=demo_org[DESK])
    progress = look()
    assert progress.step_detail == "Hồ sơ đang ở Bộ phận Một cửa xã Sơn Tây."
    assert [s.label for s in progress.steps] == [
        "Tiếp nhận hồ sơ",
        "Chuyển cho công chức chuyên môn",
        "Chuyển cho lãnh đạo",
        "Chuyển về Bộ phận Một cửa xã Sơn Tây",
    ]
    text = repr(progress)
    for name in ("Lê Thị Lan", "Hoàng Văn Dũng", "chuyenmon", "chutich", "motcua", "Nguyễn Văn Thu"):
        assert name not in text
    transition(clerk, dossier.pk, EventKind.HANDOVER, at=at(2026, 3, 11, 8), to_unit=demo_org[SO_NOI_VU])
    assert look().step_detail == "Hồ sơ đang được giải quyết tại Sở Nội vụ tỉnh Hà Tĩnh."
    assert look().steps[-1].label == "Chuyển hồ sơ đến Sở Nội vụ tỉnh Hà Tĩnh"


def test_control_slip_form_06_names_giver_and_taker(dossier, people, demo_org):
    transition(people["clerk"], dossier.pk, EventKind.HANDOVER, at=at(2026, 3, 9, 10), to_user=people["officer"])
    transition(people["officer"], dossier.pk, EventKind.HANDOVER, at=at(2026, 3, 10, 9), to_unit=demo_org[DESK])
    _, data = documents.render_form(dossier, "06")
    import io

    text = "\n".join(c.text for t in Document(io.BytesIO(data)).tables for row in t.rows for c in row.cells)
    assert "Người nhận: Lê Thị Lan" in text
    assert "Người giao: Lê Thị Lan" in text
    assert "Người nhận: Bộ phận Một cửa xã Sơn Tây" in text
    assert "10:00 09/03/2026" in text


def test_detail_page_offers_people_and_posts_a_person(dossier, people, client):
    client.force_login(people["clerk"])
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert "Cán bộ, công chức của đơn vị" in page and "Lê Thị Lan — Công chức Tư pháp - Hộ tịch" in page
    officer = people["officer"]
    response = client.post(f"/ho-so/{dossier.pk}/buoc/chuyen/", {"to": f"p:{officer.pk}"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.holder_user == officer and dossier.status == Status.PROCESSING
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert "Đang ở</dt><dd>Lê Thị Lan" in page
    # The leader, once handed the dossier, sees only the steps he may take.
    client.force_login(people["leader"])
    assert "Bước tiếp theo" not in client.get(f"/ho-so/{dossier.pk}/").content.decode()
    client.force_login(officer)
    client.post(f"/ho-so/{dossier.pk}/buoc/chuyen/", {"to": f"p:{people['leader'].pk}"})
    client.force_login(people["leader"])
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert "<summary>Chuyển hồ sơ</summary>" in page and "<summary>Yêu cầu bổ sung</summary>" not in page
