"""The statistics page keeps its figures between views (``indicators.kept``) and shows a dossier received,
returned or changed at the desk on the very next view — through the real services, pages and summary."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from cchc.dossiers.models import EventKind
from cchc.dossiers.services import Applicant, receive, transition
from cchc.indicators import registry

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db
COMMUNE, PROVINCE_HOME = "000.16.21.H42", "000.00.01.H42"


@pytest.fixture
def reviewer_client(client, demo_org, make_user):
    from cchc.accounts.models import Role

    client.force_login(make_user("snv", Role.PROVINCE_REVIEWER, demo_org[PROVINCE_HOME]))
    return client


@pytest.fixture
def computations(monkeypatch):
    """How many times the store ran a dossier function (a kept figure runs none)."""
    calls = []
    original = registry.get_function

    def counting(code):
        fn = original(code)
        if fn is None or not code.startswith("dossiers."):
            return fn

        def counted(units, span):
            calls.append(code)
            return fn(units, span)

        return counted

    monkeypatch.setattr(registry, "get_function", counting)
    return calls


def _stats(client, first: str, last: str, lower: bool = False) -> dict:
    params = {"don_vi": COMMUNE, "tu": first, "den": last, **({"cap_duoi": "1"} if lower else {})}
    page = client.get("/ho-so/thong-ke/", params)
    assert page.status_code == 200
    return client.get("/ho-so/thong-ke.json", params).json()


def _receive(clerk, demo_org, catalogue, day: date):
    return receive(
        clerk,
        unit=demo_org[COMMUNE],
        procedure=catalogue["1.004873"],
        received_at=datetime(day.year, day.month, day.day, 9, tzinfo=VN),
        applicant=Applicant("Nguyễn Văn Kiểm"),
    )


def test_the_next_view_shows_every_write_and_a_view_without_one_computes_nothing(
    reviewer_client, clerk, demo_org, catalogue, computations
):
    first = _receive(clerk, demo_org, catalogue, date(2026, 3, 2))
    data = _stats(reviewer_client, "02/03/2026", "31/03/2026")
    assert data["received"] == 1 and data["resolved"] == 0 and data["pending"] == 1
    assert computations
    computations.clear()
    again = _stats(reviewer_client, "02/03/2026", "31/03/2026")
    assert again == data and computations == []  # the page and its JSON: every figure kept
    _receive(clerk, demo_org, catalogue, date(2026, 3, 4))
    assert _stats(reviewer_client, "02/03/2026", "31/03/2026")["received"] == 2
    transition(clerk, first.pk, EventKind.RESULT_READY, at=datetime(2026, 3, 3, 9, tzinfo=VN))
    transition(clerk, first.pk, EventKind.RETURNED, at=datetime(2026, 3, 3, 10, tzinfo=VN), return_method="truc_tiep")
    data = _stats(reviewer_client, "02/03/2026", "31/03/2026", lower=True)
    assert (data["received"], data["resolved"], data["pending"]) == (2, 1, 1)
    assert sum(row["resolved"] or 0 for row in data["by_field"]) == 1  # the records' table too


def test_last_years_statistics_stay_kept_while_this_years_desk_works(
    reviewer_client, clerk, demo_org, catalogue, computations
):
    _receive(clerk, demo_org, catalogue, date(2025, 11, 3))
    last_year = _stats(reviewer_client, "01/01/2025", "31/12/2025", lower=True)
    assert last_year["received"] == 1
    computations.clear()
    _receive(clerk, demo_org, catalogue, date(2026, 2, 2))
    assert _stats(reviewer_client, "01/01/2025", "31/12/2025", lower=True) == last_year
    assert computations == []
    assert _stats(reviewer_client, "01/01/2026", "31/12/2026", lower=True)["received"] == 1
