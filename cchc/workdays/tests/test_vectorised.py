"""The numpy API agrees with the scalar one, and with numpy.busday_offset on the same holidays."""

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.workdays.selectors import get_calendar

pytestmark = pytest.mark.django_db

# Far enough from the range ends that 30 working days back and 60 ahead stay inside (the range errors
# are tested below).
DAYS = st.dates(min_value=date(2015, 3, 1), max_value=date(2026, 12, 31))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(DAYS, st.integers(min_value=-30, max_value=60), DAYS), min_size=1, max_size=40))
def test_vectorised_agrees_with_scalar(django_db_blocker, rows):
    with django_db_blocker.unblock():
        cal = get_calendar()
    days = np.array([r[0] for r in rows], dtype="datetime64[D]")
    n = np.array([r[1] for r in rows])
    other = np.array([r[2] for r in rows], dtype="datetime64[D]")
    got = cal.add_working_days_many(days, n).astype(object)
    assert list(got) == [cal.add_working_days(d, k) for d, k, _ in rows]
    assert list(cal.is_working_day_many(days)) == [cal.is_working_day(d) for d, _, _ in rows]
    assert list(cal.working_days_between_many(days, other)) == [cal.working_days_between(a, b) for a, _, b in rows]


def test_agrees_with_numpy_busday_offset():
    cal = get_calendar()
    busdays = np.busdaycalendar(weekmask="1111100", holidays=cal.holidays_array())
    extra = cal.extra_working_days_array()
    start = np.arange(np.datetime64("2015-01-01"), np.datetime64("2026-10-01"))
    n = np.random.default_rng(7).integers(1, 60, size=start.size)
    mine = cal.add_working_days_many(start, n)
    # busday_offset counts from ``start`` rolled forward; "the n-th working day after" = offset n from
    # the day itself when it is a business day, n-1 from the next one otherwise. It knows no worked Saturday,
    # so compare where none lies in between.
    reference = np.busday_offset(start, n, roll="forward", busdaycal=busdays)
    reference = np.where(
        np.is_busday(start, busdaycal=busdays),
        reference,
        np.busday_offset(start, n - 1, roll="forward", busdaycal=busdays),
    )
    clean = ~np.any((extra[None, :] >= start[:, None]) & (extra[None, :] <= mine[:, None]), axis=1)
    assert clean.sum() > 3000
    assert np.array_equal(mine[clean], reference[clean])


def test_range_errors_in_the_vectorised_api():
    cal = get_calendar()
    with pytest.raises(ValueError, match="nằm ngoài phạm vi lịch làm việc"):
        cal.add_working_days_many(np.array([date(2014, 12, 31)], dtype="datetime64[D]"), 1)
    assert cal.add_working_days_many(np.array([], dtype="datetime64[D]"), 1).size == 0
    one = date(2025, 1, 24)
    assert cal.add_working_days_many(np.array([one], dtype="datetime64[D]"), 3)[0] == np.datetime64(one + timedelta(12))
