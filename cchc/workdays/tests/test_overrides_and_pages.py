"""Local overrides: they change results at once, in every process, and only an administrator edits them."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cchc.accounts.models import Role
from cchc.core.models import AuditEvent
from cchc.workdays import selectors
from cchc.workdays.models import CalendarVersion, Override
from cchc.workdays.services import create_override, delete_override, update_override

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user("quantri", Role.SYSTEM_ADMIN)


def province(demo_org):
    return next(u for u in demo_org.values() if u.level == "tinh")


def test_an_override_changes_the_result_and_invalidates_the_cache(admin):
    before = selectors.get_calendar()
    assert before.add_working_days(date(2025, 3, 6), 1) == date(2025, 3, 7)
    assert selectors.get_calendar() is before  # cached while nothing changes
    o = create_override(admin, day=date(2025, 3, 7), kind="off", name="Nghỉ do bão", note="Công điện số 1")
    after = selectors.get_calendar()
    assert after is not before
    assert not after.is_working_day(date(2025, 3, 7))
    assert after.add_working_days(date(2025, 3, 6), 1) == date(2025, 3, 10)
    assert after.explain(date(2025, 3, 7)).source == "override"
    update_override(admin, o, day=date(2025, 3, 8), kind="work", name="Làm việc thứ Bảy", note="")
    cal = selectors.get_calendar()
    assert cal.is_working_day(date(2025, 3, 7)) and cal.is_working_day(date(2025, 3, 8))
    delete_override(admin, o)
    assert not selectors.get_calendar().is_working_day(date(2025, 3, 8))
    verbs = list(AuditEvent.objects.filter(verb__startswith="workdays.override").values_list("verb", flat=True))
    assert sorted(verbs) == ["workdays.override.create", "workdays.override.delete", "workdays.override.update"]


def test_a_change_made_by_another_process_is_seen(admin):
    cal = selectors.get_calendar()
    # Another app server writes the row and bumps the version; this process only sees the database.
    Override.objects.create(day=date(2025, 3, 7), kind="off", name="Nghỉ do bão")
    assert selectors.get_calendar() is cal  # not yet: nothing told us
    CalendarVersion.objects.filter(pk=1).update(version=99, token="other-server")
    assert not selectors.get_calendar().is_working_day(date(2025, 3, 7))


def test_a_province_override_applies_to_that_province_only(admin, demo_org):
    prov = province(demo_org)
    create_override(admin, day=date(2025, 3, 7), kind="off", name="Lễ hội của tỉnh", province=prov)
    assert selectors.get_calendar().is_working_day(date(2025, 3, 7))
    assert not selectors.get_calendar(prov).is_working_day(date(2025, 3, 7))
    commune = next(u for u in demo_org.values() if u.level == "xa" and u.valid_to is None)
    assert not selectors.get_calendar_for_unit(commune).is_working_day(date(2025, 3, 7))
    # The province's own choice wins over a national one on the same day.
    create_override(admin, day=date(2025, 3, 7), kind="work", name="Toàn quốc làm việc")
    assert not selectors.get_calendar(prov).is_working_day(date(2025, 3, 7))


def test_only_a_system_admin_may_edit(make_user, demo_org):
    clerk = make_user("motcua", Role.ONE_STOP_CLERK, province(demo_org))
    with pytest.raises(PermissionDenied):
        create_override(clerk, day=date(2025, 3, 7), kind="off", name="x")
    assert not Override.objects.exists()


def test_pages(client, make_user, admin, demo_org):
    clerk = make_user("motcua", Role.ONE_STOP_CLERK, province(demo_org))
    client.force_login(clerk)
    page = client.get(reverse("workdays:year"), {"nam": "2025"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "26/04/2025" in html and "Làm việc bù cho thứ Sáu 02/05/2025" in html and "Quốc khánh (ngày liền kề)" in html
    due = client.get(reverse("workdays:due_date"), {"ngay": "24/01/2025", "so_ngay": "3"}, HTTP_HX_REQUEST="true")
    assert "Ngày hẹn trả: 05/02/2025" in due.content.decode()
    assert client.get(reverse("workdays:overrides")).status_code == 403
    assert (
        client.post(reverse("workdays:overrides"), {"day": "07/03/2025", "kind": "off", "name": "x"}).status_code == 403
    )
    assert not Override.objects.exists()

    client.force_login(admin)
    response = client.post(
        reverse("workdays:overrides"), {"day": "07/03/2025", "kind": "off", "name": "Nghỉ do bão", "note": "Công điện"}
    )
    assert response.status_code == 302
    o = Override.objects.get()
    assert o.created_by == admin and o.province is None
    bad = client.post(reverse("workdays:overrides"), {"day": "31/02/2025", "kind": "off", "name": "x"})
    assert "Ngày “31/02/2025” không tồn tại." in bad.content.decode()
    edit = reverse("workdays:override_edit", args=[o.pk])
    assert "07/03/2025" in client.get(edit).content.decode()
    assert (
        client.post(edit, {"day": "07/03/2025", "kind": "off", "name": "Nghỉ do bão số 3", "note": ""}).status_code
        == 302
    )
    assert Override.objects.get().name == "Nghỉ do bão số 3"
    assert "Điều chỉnh lịch làm việc của địa phương" in client.get(reverse("workdays:overrides")).content.decode()
    dup = client.post(reverse("workdays:overrides"), {"day": "07/03/2025", "kind": "work", "name": "y"})
    assert "đã có điều chỉnh" in dup.content.decode()
    assert client.post(reverse("workdays:override_delete", args=[o.pk])).status_code == 302
    assert not Override.objects.exists()


def test_admin_is_reminded_of_next_years_notice(admin, make_user, demo_org, monkeypatch):
    from django.utils import timezone

    from cchc.workdays.apps import _todo

    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 11, 23))
    items = _todo(admin, None)
    assert [i.title for i in items] == ["Chưa nạp thông báo nghỉ lễ năm 2027"]
    assert _todo(make_user("motcua", Role.ONE_STOP_CLERK, province(demo_org)), None) == []
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 3, 1))
    assert _todo(admin, None) == []
