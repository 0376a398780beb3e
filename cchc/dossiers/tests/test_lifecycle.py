"""Due dates, classification edge cases, transitions, scope."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cchc.dossiers import rules, services
from cchc.dossiers.models import Dossier, DossierEvent, EventKind, Status
from cchc.dossiers.services import Applicant, TransitionRefused, receive, transition
from cchc.workdays.selectors import get_calendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


def at(y, m, d, hh=9, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def _receive(clerk, unit, proc, moment, **kw):
    return receive(
        clerk, unit=unit, procedure=proc, applicant=Applicant("Nguyễn Văn An", "042090001234"), received_at=moment, **kw
    )


# ---- due dates ----------------------------------------------------------------------------------------
def test_days_procedure_counts_from_next_working_day_across_tet():
    cal = get_calendar()
    # Friday 24/01/2025 before Tết (off 25/1–2/2): 3 working days → 05/02/2025.
    assert rules.due_in_days(cal, datetime(2025, 1, 24, 9, 0), 3, None) == date(2025, 2, 5)


def test_received_after_cutoff_counts_from_next_working_day():
    cal = get_calendar()
    cutoff = time(15, 0)
    # Same-day procedure: Monday 14:59 → same day; 15:00 → Tuesday.
    assert rules.due_date(cal, datetime(2025, 3, 10, 14, 59), "trong_ngay", 0, cutoff)[0] == date(2025, 3, 10)
    assert rules.due_date(cal, datetime(2025, 3, 10, 15, 0), "trong_ngay", 0, cutoff)[0] == date(2025, 3, 11)
    # Friday after 15:00 → Monday.
    assert rules.due_date(cal, datetime(2025, 3, 14, 16, 0), "trong_ngay", 0, cutoff)[0] == date(2025, 3, 17)
    # A days procedure with a cut-off: Monday 16:00, 2 days → counted from Tuesday → Thursday.
    assert rules.due_in_days(cal, datetime(2025, 3, 10, 16, 0), 2, cutoff) == date(2025, 3, 13)
    assert rules.due_in_days(cal, datetime(2025, 3, 10, 10, 0), 2, cutoff) == date(2025, 3, 12)


def test_received_on_saturday_worked_and_on_day_off():
    cal = get_calendar()
    # Saturday 26/04/2025 was worked (swapped for Friday 2/5): same-day procedure due that Saturday.
    assert rules.due_date(cal, datetime(2025, 4, 26, 9, 0), "trong_ngay", 0, time(15, 0))[0] == date(2025, 4, 26)
    # Received online on Sunday 27/04/2025: counts on Monday 28/4; 30/4, 1/5, 2/5 are off → 3 days = 5/5... 6/5.
    assert rules.due_in_days(cal, datetime(2025, 4, 27, 9, 0), 3, None) == date(2025, 5, 6)


def test_hours_procedure_walks_working_hours():
    cal = get_calendar()
    # 10:30 + 4 h: 1 h until 11:30, 3 h from 13:30 → 16:30 the same day.
    assert rules.due_in_hours(cal, datetime(2025, 3, 10, 10, 30), 4) == datetime(2025, 3, 10, 16, 30)
    # Friday 16:00 + 4 h: 1 h until 17:00, then Monday 7:30 + 3 h → 10:30.
    assert rules.due_in_hours(cal, datetime(2025, 3, 14, 16, 0), 4) == datetime(2025, 3, 17, 10, 30)
    # Lunch break receipt starts at 13:30.
    assert rules.due_in_hours(cal, datetime(2025, 3, 10, 12, 0), 2) == datetime(2025, 3, 10, 15, 30)


def test_code_format_and_daily_sequence(catalogue, clerk, demo_org):
    unit = demo_org["000.16.21.H42"]
    a = _receive(clerk, unit, catalogue["1.004873"], at(2025, 3, 10))
    b = _receive(clerk, unit, catalogue["1.004873"], at(2025, 3, 10, 10))
    c = _receive(clerk, unit, catalogue["1.004873"], at(2025, 3, 11))
    assert (a.code, b.code, c.code) == (
        "000.16.21.H42-250310-0001",
        "000.16.21.H42-250310-0002",
        "000.16.21.H42-250311-0001",
    )
    assert a.due_on == date(2025, 3, 13)  # 3 working days
    assert a.events.get().kind == EventKind.RECEIVED


# ---- classification -------------------------------------------------------------------------------------
def _to_ready(clerk, d, moment):
    return transition(clerk, d.pk, EventKind.RESULT_READY, at=moment)


def _return(clerk, d, moment):
    _to_ready(clerk, d, moment)
    return transition(clerk, d.pk, EventKind.RETURNED, at=moment, return_method="truc_tiep")


def test_same_day_return_is_on_time_whatever_the_hour(catalogue, clerk, demo_org):
    unit = demo_org["000.16.21.H42"]
    d = _receive(clerk, unit, catalogue["1.004873"], at(2025, 3, 10))  # due 13/3
    d = _return(clerk, d, at(2025, 3, 13, 16, 59))
    assert (d.outcome, d.status, d.closed_on) == ("dung", Status.RETURNED, date(2025, 3, 13))
    early = _return(clerk, _receive(clerk, unit, catalogue["1.004873"], at(2025, 3, 10)), at(2025, 3, 12))
    late = _return(clerk, _receive(clerk, unit, catalogue["1.004873"], at(2025, 3, 10)), at(2025, 3, 14, 7, 31))
    assert (early.outcome, late.outcome) == ("som", "tre")


def test_after_cutoff_same_day_procedure_returned_next_day_is_on_time(catalogue, clerk, demo_org):
    d = _receive(clerk, demo_org["000.16.21.H42"], catalogue["2.000815"], at(2025, 3, 10, 15, 30))
    assert d.due_on == date(2025, 3, 11)
    assert _return(clerk, d, at(2025, 3, 11, 8)).outcome == "dung"


def test_paused_clock_moves_due_date_by_logged_transition(catalogue, clerk, demo_org):
    d = _receive(clerk, demo_org["000.16.21.H42"], catalogue["1.004884"], at(2025, 3, 10))  # 5 days → 17/3
    assert d.due_on == date(2025, 3, 17)
    transition(clerk, d.pk, EventKind.SUPPLEMENT_REQUESTED, at=at(2025, 3, 11), note="Thiếu giấy chứng sinh")
    # Papers back on Friday 14/3: paused (11/3, 14/3] = 3 working days → due 20/3.
    d = transition(clerk, d.pk, EventKind.SUPPLEMENT_RECEIVED, at=at(2025, 3, 14))
    assert (d.due_on, d.original_due_on, d.paused_days) == (date(2025, 3, 20), date(2025, 3, 17), 3)
    event = d.events.get(kind=EventKind.SUPPLEMENT_RECEIVED)
    assert event.data["old_due_on"] == "2025-03-17" and event.data["new_due_on"] == "2025-03-20"
    assert "dời từ 17/03/2025 sang 20/03/2025" in event.note
    # Returned on 19/3: after the original date but before the moved one → early.
    assert _return(clerk, d, at(2025, 3, 19)).outcome == "som"


def test_apology_once_and_dossier_still_late(catalogue, clerk, demo_org):
    d = _receive(clerk, demo_org["000.16.21.H42"], catalogue["1.004873"], at(2025, 3, 10))  # due 13/3
    with pytest.raises(TransitionRefused):  # the new date must be after the due date
        transition(
            clerk, d.pk, EventKind.APOLOGY, at=at(2025, 3, 12), note="Chờ xác minh", new_due_on=date(2025, 3, 13)
        )
    d = transition(
        clerk, d.pk, EventKind.APOLOGY, at=at(2025, 3, 12), note="Chờ xác minh", new_due_on=date(2025, 3, 18)
    )
    assert (d.apology_on, d.new_due_on) == (date(2025, 3, 12), date(2025, 3, 18))
    with pytest.raises(TransitionRefused, match="một lần"):
        transition(clerk, d.pk, EventKind.APOLOGY, at=at(2025, 3, 13), note="Lần hai", new_due_on=date(2025, 3, 20))
    assert (EventKind.APOLOGY, "Xin lỗi, hẹn lại ngày trả") not in services.allowed_actions(d)
    d = _return(clerk, d, at(2025, 3, 18))  # on the new date: still late against the due date
    assert d.outcome == "tre"


# ---- transitions ----------------------------------------------------------------------------------------
def test_refused_transitions_leave_no_trace(catalogue, clerk, demo_org):
    d = _receive(clerk, demo_org["000.16.21.H42"], catalogue["1.004873"], at(2025, 3, 10))
    with pytest.raises(TransitionRefused, match="đang giải quyết"):
        transition(clerk, d.pk, EventKind.RETURNED, at=at(2025, 3, 11), return_method="truc_tiep")
    with pytest.raises(TransitionRefused):
        transition(clerk, d.pk, EventKind.SUPPLEMENT_RECEIVED, at=at(2025, 3, 11))
    with pytest.raises(TransitionRefused):  # a reason is required
        transition(clerk, d.pk, EventKind.REFUSED, at=at(2025, 3, 11))
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and d.events.count() == 1


def test_every_step_is_logged_with_user_and_time(catalogue, clerk, demo_org):
    commune, district = demo_org["000.16.21.H42"], demo_org["000.00.21.H42"]
    d = _receive(clerk, commune, catalogue["1.003554"], at(2025, 3, 10))
    transition(clerk, d.pk, EventKind.HANDOVER, at=at(2025, 3, 11), to_unit=district, note="Chuyển phòng TN-MT")
    transition(clerk, d.pk, EventKind.HANDOVER, at=at(2025, 3, 20), to_unit=commune)
    transition(clerk, d.pk, EventKind.SUSPENDED, at=at(2025, 3, 21))
    transition(clerk, d.pk, EventKind.RESUMED, at=at(2025, 3, 24))
    d = transition(clerk, d.pk, EventKind.WITHDRAWN, at=at(2025, 3, 25), note="Công dân xin rút")
    kinds = list(d.events.values_list("kind", "from_status", "to_status", "user__username"))
    assert kinds == [
        ("tiep_nhan", "", "dang_xu_ly", "motcua"),
        ("chuyen", "dang_xu_ly", "dang_xu_ly", "motcua"),
        ("chuyen", "dang_xu_ly", "dang_xu_ly", "motcua"),
        ("tam_dung", "dang_xu_ly", "tam_dung", "motcua"),
        ("tiep_tuc", "tam_dung", "dang_xu_ly", "motcua"),
        ("rut", "dang_xu_ly", "rut", "motcua"),
    ]
    hand = d.events.filter(kind="chuyen").first()
    assert (hand.from_unit, hand.to_unit) == (commune, district)
    assert d.closed_on == date(2025, 3, 25) and d.outcome == ""
    assert services.allowed_actions(d) == []


# ---- scope ---------------------------------------------------------------------------------------------
def test_clerk_of_another_commune_gets_404(catalogue, clerk, other_clerk, demo_org, client):
    d = _receive(clerk, demo_org["000.16.21.H42"], catalogue["1.004873"], at(2025, 8, 4))
    with pytest.raises(Http404):
        transition(other_clerk, d.pk, EventKind.RESULT_READY, at=at(2025, 8, 5))
    with pytest.raises(PermissionDenied):
        _receive(other_clerk, demo_org["000.16.21.H42"], catalogue["1.004873"], at(2025, 8, 4))
    client.force_login(other_clerk)
    assert client.get(f"/ho-so/{d.pk}/").status_code == 404
    client.force_login(clerk)
    assert client.get(f"/ho-so/{d.pk}/").status_code == 200
    assert DossierEvent.objects.filter(dossier=d).count() == 1
    assert Dossier.objects.count() == 1
