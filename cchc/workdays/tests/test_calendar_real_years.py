"""The calendar pinned on real years, from the shipped notices (loaded after migrate)."""

from datetime import date, timedelta

import pytest

from cchc.workdays.models import Notice
from cchc.workdays.selectors import get_calendar

pytestmark = pytest.mark.django_db


def d(text: str) -> date:
    day, month, year = (int(x) for x in text.split("/"))
    return date(year, month, day)


def off_weekdays(cal, first: str, last: str) -> list[date]:
    a, b = d(first), d(last)
    return [a + timedelta(n) for n in range((b - a).days + 1) if not cal.is_working_day(a + timedelta(n))]


def test_shipped_notices_are_loaded_after_migrate():
    assert sorted(Notice.objects.values_list("year", flat=True)) == list(range(2020, 2027))
    cal = get_calendar()
    assert not cal.estimated_years & set(range(2020, 2027))


def test_tet_2025_is_25_1_to_2_2():
    cal = get_calendar()
    assert cal.is_working_day(d("24/01/2025"))
    assert all(not cal.is_working_day(d("25/01/2025") + timedelta(n)) for n in range(9))
    assert cal.is_working_day(d("03/02/2025"))
    assert cal.add_working_days(d("24/01/2025"), 3) == d("05/02/2025")
    assert cal.add_working_days(d("24/01/2025"), 1) == d("03/02/2025")


def test_tet_2024_is_8_2_to_14_2():
    cal = get_calendar()
    assert off_weekdays(cal, "05/02/2024", "16/02/2024") == [d(f"{x:02d}/02/2024") for x in range(8, 15)]
    assert cal.is_working_day(d("07/02/2024")) and cal.is_working_day(d("15/02/2024"))


def test_2025_saturday_26_4_worked_for_friday_2_5():
    cal = get_calendar()
    assert cal.is_working_day(d("26/04/2025"))
    assert not cal.is_working_day(d("02/05/2025"))
    assert off_weekdays(cal, "26/04/2025", "04/05/2025") == [
        d(x) for x in ("27/04/2025", "30/04/2025", "01/05/2025", "02/05/2025", "03/05/2025", "04/05/2025")
    ]
    info = cal.explain(d("26/04/2025"))
    assert info.working and info.source == "notice" and "02/05/2025" in info.reason
    # The worked Saturday counts: 3 working days after Friday 25/04/2025 are 26/04, 28/04, 29/04.
    assert cal.add_working_days(d("25/04/2025"), 3) == d("29/04/2025")


def test_2024_saturday_4_5_worked_for_monday_29_4():
    cal = get_calendar()
    assert cal.is_working_day(d("04/05/2024"))
    assert [e.day for e in cal.working_weekend_days(2024)] == [d("04/05/2024")]
    assert off_weekdays(cal, "27/04/2024", "01/05/2024") == [
        d(x) for x in ("27/04/2024", "28/04/2024", "29/04/2024", "30/04/2024", "01/05/2024")
    ]
    assert cal.is_working_day(d("02/05/2024"))


@pytest.mark.parametrize(("holiday", "adjacent"), [("02/09/2021", "03/09/2021"), ("02/09/2025", "01/09/2025")])
def test_national_day_with_its_adjacent_day(holiday, adjacent):
    cal = get_calendar()
    assert not cal.is_working_day(d(holiday)) and not cal.is_working_day(d(adjacent))
    names = {e.day: e.name for e in cal.days_off(d(holiday).year)}
    assert names[d(adjacent)] == "Quốc khánh (ngày liền kề)"
    around = [d(holiday) + timedelta(n) for n in (-4, -3, -2, 2, 3, 4)]
    assert [cal.is_working_day(x) for x in around if x.weekday() < 5 and x != d(adjacent)] == [
        True for x in around if x.weekday() < 5 and x != d(adjacent)
    ]


def test_2_9_2020_was_one_day_only():
    cal = get_calendar()
    assert not cal.is_working_day(d("02/09/2020"))
    assert cal.is_working_day(d("01/09/2020")) and cal.is_working_day(d("03/09/2020"))


def test_hung_kings_on_a_weekend_is_compensated():
    cal = get_calendar()
    # 10/3 âm lịch 2022 = Sunday 10/04/2022 → Monday 11/04 off.
    assert not cal.is_working_day(d("11/04/2022")) and cal.is_working_day(d("12/04/2022"))
    # 2023: Saturday 29/04 (Giỗ Tổ), Sunday 30/04 → Tuesday 2/5 and Wednesday 3/5 off (Monday 1/5 is 1/5).
    assert off_weekdays(cal, "28/04/2023", "04/05/2023") == [
        d(x) for x in ("29/04/2023", "30/04/2023", "01/05/2023", "02/05/2023", "03/05/2023")
    ]
    # 2026: Sunday 26/04 → Monday 27/04.
    assert not cal.is_working_day(d("27/04/2026")) and cal.is_working_day(d("28/04/2026"))


def test_2027_without_a_notice_follows_the_law_and_says_so():
    cal = get_calendar()
    assert 2027 in cal.estimated_years
    assert cal.is_estimated(d("04/02/2027"))
    tet = [e.day for e in cal.days_off(2027) if e.name.startswith("Tết Nguyên đán") and e.day.weekday() < 5]
    assert tet == [d(x) for x in ("04/02/2027", "05/02/2027", "08/02/2027", "09/02/2027", "10/02/2027")]
    assert "dự kiến" in cal.explain(d("05/02/2027")).sentence()


def test_outside_the_range_is_a_clear_vietnamese_error():
    cal = get_calendar()
    with pytest.raises(ValueError, match="nằm ngoài phạm vi lịch làm việc"):
        cal.is_working_day(d(f"03/01/{cal.last_year + 1}"))
    with pytest.raises(ValueError, match="vượt quá phạm vi"):
        cal.add_working_days(d(f"30/12/{cal.last_year}"), 5)


def test_working_days_between_is_the_inverse_of_add():
    cal = get_calendar()
    start = d("24/01/2025")
    for n in range(1, 40):
        assert cal.working_days_between(start, cal.add_working_days(start, n)) == n
    assert cal.working_days_between(d("05/02/2025"), start) == -3
    assert cal.add_working_days(d("25/01/2025"), 0) == d("03/02/2025")
    assert cal.add_working_days(d("05/02/2025"), -3) == d("24/01/2025")
