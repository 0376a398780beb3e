"""Statistics on a small hand-checked data set; summary table = straight count; kept right on change."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from cchc.accounts.actors import SystemActor
from cchc.dossiers import summary
from cchc.dossiers.importing import import_dossiers
from cchc.dossiers.models import STAT_COLUMNS, Dossier, DossierStat, EventKind
from cchc.dossiers.services import Applicant, receive, transition
from cchc.dossiers.stats import KEYS, stats
from cchc.dossiers.tests.test_import import to_csv

pytestmark = pytest.mark.django_db
U = "000.16.21.H42"
# Period Q1/2025 by the CCHC cut-off: 15/12/2024 – 14/03/2025.
START, END = date(2024, 12, 15), date(2025, 3, 14)
ROWS = [
    # code, procedure, channel, received, due, returned, apology
    ("S-1", "1.004873", "truc_tiep", "02/12/2024", "05/12/2024", "", ""),  # carried over, pending, overdue, no apology
    ("S-2", "1.004873", "truc_tuyen", "10/12/2024", "13/12/2024", "20/12/2024", "có"),  # carried over, late, apology
    ("S-3", "1.004873", "truc_tiep", "06/01/2025", "09/01/2025", "08/01/2025", ""),  # early
    ("S-4", "1.004873", "truc_tuyen", "06/01/2025", "09/01/2025", "09/01/2025", ""),  # on time (same day)
    ("S-5", "1.004873", "buu_chinh", "06/01/2025", "09/01/2025", "15/01/2025", ""),  # late, no apology
    ("S-6", "1.004873", "truc_tuyen", "10/03/2025", "13/03/2025", "", ""),  # pending overdue at 14/3
    ("S-7", "1.004873", "truc_tiep", "12/03/2025", "17/03/2025", "", ""),  # pending within deadline
    ("S-8", "1.004873", "truc_tiep", "14/03/2025", "19/03/2025", "17/03/2025", ""),  # received; resolved after
    ("S-9", "1.004873", "truc_tiep", "01/12/2024", "04/12/2024", "10/12/2024", ""),  # finished before: nowhere
]


@pytest.fixture
def small(catalogue, demo_org):
    content = to_csv([[c, U, p, "", "", "", ch, "", r, d, ret, apo, ""] for c, p, ch, r, d, ret, apo in ROWS])
    import_dossiers("nho.csv", actor=SystemActor("test"), content=content)
    return demo_org[U]


def test_hand_checked_figures(small):
    s = stats([small.pk], START, END)
    expected = {
        "received": 6,
        "carried_over": 2,
        "resolved": 4,
        "resolved_early": 1,
        "resolved_on_time": 1,
        "resolved_late": 2,
        "on_time_rate": 50.0,
        "pending": 4,
        "pending_within_deadline": 2,
        "pending_overdue": 2,
        "online": 2,
        "apologies": 0,
        "late_without_apology": 3,
        "closed_other": 0,
    }
    assert {k: s[k] for k in KEYS} == expected
    # S-2's apology is dated its due date (13/12/2024), before the period; late S-5 and overdue S-1, S-6 lack one.
    by_channel = {r["channel"]: r for r in s["by_channel"]}
    assert by_channel["truc_tuyen"]["received"] == 2 and by_channel["buu_chinh"]["resolved_late"] == 1
    assert [r["unit"] for r in s["by_unit"]] == [U]
    assert s["by_field"][0]["field"] == "HT" and s["by_field"][0]["resolved"] == 4


def test_nothing_resolved_gives_null_rate(small):
    s = stats([small.pk], date(2025, 3, 14), date(2025, 3, 14))
    assert (s["received"], s["resolved"], s["on_time_rate"]) == (1, 0, None)


@pytest.mark.parametrize(
    "period",
    [
        (START, END),
        (date(2025, 1, 1), date(2025, 1, 31)),
        (date(2025, 1, 9), date(2025, 1, 9)),
        (date(2024, 12, 1), date(2025, 12, 31)),
    ],
)
def test_summary_equals_straight_count(small, period):
    assert stats([small.pk], *period) == stats([small.pk], *period, source="dossiers")


def test_summary_stays_right_after_a_single_dossier_changes(small, make_user, catalogue):
    from cchc.accounts.models import Role

    clerk = make_user("mc", Role.ONE_STOP_CLERK, small)
    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    s6 = Dossier.objects.get(code="S-6")
    transition(
        clerk,
        s6.pk,
        EventKind.APOLOGY,
        at=datetime(2025, 3, 14, 9, tzinfo=vn),
        note="Chờ xác minh",
        new_due_on=date(2025, 3, 20),
    )
    after = stats([small.pk], START, END)
    assert (after["apologies"], after["late_without_apology"]) == (1, 2)
    d = receive(
        clerk,
        unit=small,
        procedure=catalogue["1.004873"],
        applicant=Applicant("Trần Thị Bình"),
        received_at=datetime(2025, 3, 3, 9, tzinfo=vn),
    )
    transition(clerk, d.pk, EventKind.RESULT_READY, at=datetime(2025, 3, 5, 9, tzinfo=vn))
    transition(clerk, d.pk, EventKind.RETURNED, at=datetime(2025, 3, 5, 10, tzinfo=vn), return_method="buu_chinh")
    s = stats([small.pk], START, END)
    assert (s["received"], s["resolved"], s["resolved_early"]) == (7, 5, 2)
    for period in [(START, END), (date(2025, 3, 1), date(2025, 3, 31)), (date(2025, 3, 15), date(2025, 6, 30))]:
        assert stats([small.pk], *period) == stats([small.pk], *period, source="dossiers")

    # The incremental table equals a full rebuild, row for row (rows whose deltas cancelled out aside).
    def table():
        cols = ("grain", "unit_id", "field_id", "channel", "day", *STAT_COLUMNS)
        return sorted(r for r in DossierStat.objects.values_list(*cols) if any(r[5:]))

    incremental = table()
    summary.rebuild_units([small.pk])
    assert incremental == table()
