from datetime import date

import pytest

from cchc.indicators.models import Period
from cchc.indicators.periods import PeriodCodeError, family, get_period, periods_between, spec_for


@pytest.mark.parametrize(
    ("code", "start", "end", "due"),
    [
        ("2021-Q1", date(2020, 12, 15), date(2021, 3, 14), date(2021, 3, 20)),
        ("2021-6T", date(2020, 12, 15), date(2021, 6, 14), date(2021, 6, 20)),
        ("2021-Q3", date(2021, 6, 15), date(2021, 9, 14), date(2021, 9, 20)),
        ("2021-NAM", date(2020, 12, 15), date(2021, 12, 14), date(2021, 12, 20)),
        ("2024-T02", date(2024, 2, 1), date(2024, 2, 29), None),
        ("2021-QUY4", date(2021, 10, 1), date(2021, 12, 31), None),
    ],
)
def test_official_cut_offs(db, code, start, end, due):
    period = get_period(code)
    assert (period.start, period.end, period.due_date) == (start, end, due)
    assert Period.objects.filter(code=code).count() == 1


def test_names_and_lowercase_codes(db):
    assert get_period("2021-nam").code == "2021-NAM"
    assert get_period("2021-NAM").name == "Năm 2021"
    assert get_period("2021-Q3").name == "Quý III năm 2021"
    assert spec_for("2021-QUY2").name == "Quý II năm 2021 (dương lịch)"


@pytest.mark.parametrize("code", ["2021", "2021-Q2", "2021-T13", "2021-QUY5", "21-NAM", "2021-T00"])
def test_invalid_codes_are_explained(db, code):
    with pytest.raises(PeriodCodeError, match="không hợp lệ"):
        get_period(code)


def test_an_admin_correction_is_kept(db):
    period = get_period("2022-Q3")
    period.end = date(2022, 9, 15)
    period.save()
    assert get_period("2022-Q3").end == date(2022, 9, 15)


def test_periods_between_includes_every_kind_inside_the_range(db):
    found = [p.code for p in periods_between(get_period("2021-Q1"), get_period("2021-NAM"))]
    assert "2021-Q1" in found and "2021-6T" in found and "2021-Q3" in found and "2021-NAM" in found
    assert "2021-T01" in found and "2021-QUY3" in found
    assert "2021-QUY4" not in found  # ends 31/12/2021, after the annual cut-off
    assert "2020-NAM" not in found
    with pytest.raises(PeriodCodeError):
        periods_between(get_period("2022-Q1"), get_period("2021-NAM"))
    reports = [p.code for p in periods_between(get_period("2021-Q1"), get_period("2021-NAM"), {"report"})]
    assert reports == ["2021-Q1", "2021-6T", "2021-NAM", "2021-Q3"]
    months = periods_between(get_period("2021-T01"), get_period("2021-T03"), {family(get_period("2021-T01"))})
    assert [p.code for p in months] == ["2021-T01", "2021-T02", "2021-T03"]
