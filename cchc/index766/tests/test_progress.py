"""Tiến độ (20 điểm): one rule per test, checked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cchc.accounts.actors import SystemActor
from cchc.index766.selectors import index_for

ACTOR = SystemActor("test")
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def _progress(unit):
    return index_for(unit, *MARCH, actor=ACTOR).component("tien_do")


def test_on_time_only_because_of_the_supplement_pause(org, returned):
    # Due 10/3 at receipt; the citizen took 5 working days to supplement, so the services moved due_on to
    # 17/3. Returned 16/3: late against the first date, on time against the paused one.
    march_2, march_16, march_17 = date(2026, 3, 2), date(2026, 3, 16), date(2026, 3, 17)
    returned(
        org["A"], march_2, march_17, march_16, original_due_on=date(2026, 3, 10), paused_days=5, supplement_requests=1
    )
    result = _progress(org["A"])
    assert (result.numerator, result.denominator, result.points) == (1, 1, Decimal("20.00"))


def test_two_supplement_requests_count_late(org, returned):
    for requests in (2, 1):  # both returned early; the first was asked for a supplement twice
        returned(org["A"], date(2026, 3, 2), date(2026, 3, 20), date(2026, 3, 5), supplement_requests=requests)
    result = _progress(org["A"])
    assert (result.numerator, result.denominator, result.points) == (1, 2, Decimal("10.00"))


def test_pending_at_period_end_judged_against_its_due_date(org, dossier):
    dossier(org["A"], date(2026, 3, 20), date(2026, 4, 3))  # pending, due after 31/3: on time
    dossier(org["A"], date(2026, 3, 2), date(2026, 3, 13))  # pending, due 13/3: late at 31/3
    dossier(org["A"], date(2026, 3, 2), date(2026, 3, 31))  # pending, due on the last day: still within
    result = _progress(org["A"])
    assert (result.numerator, result.denominator) == (2, 3)
    assert result.points == Decimal("13.33")


def test_result_ready_on_time_counts_even_if_returned_later(org, returned):
    # The end of a dossier is first "đã xử lý xong" (result ready), then returned, then closed.
    returned(org["A"], date(2026, 3, 2), date(2026, 3, 10), date(2026, 3, 12), result_ready_on=date(2026, 3, 9))
    assert _progress(org["A"]).numerator == 1


def test_no_dossiers_is_no_data_not_zero(org, dossier):
    result = _progress(org["A"])
    assert result.no_data and result.points is None and result.denominator == 0
    assert "tien_do" in index_for(org["A"], *MARCH, actor=ACTOR).no_data_components
