"""The data files agree with the `holidays` package (Vietnam), which they were checked against."""

from datetime import date

import holidays
import pytest
from holidays.countries.vietnam import VietnamStaticHolidays

from cchc.core.importing import ErrorCollector
from cchc.workdays.rules import NOTICES_FILE, anchor_days, law_days, lunar_new_year
from cchc.workdays.services import read_notices

# Facts in notices.yaml that holidays 0.109 does not have; each is marked in the file with its source.
NOT_IN_HOLIDAYS_PACKAGE = {date(2026, 1, 2)}


def _special(year: int) -> set[date]:
    spec = VietnamStaticHolidays.special_public_holidays.get(year)
    if not spec:
        return set()
    items = spec if isinstance(spec[0], tuple) else (spec,)
    return {date(year, t[0], t[1]) for t in items}


@pytest.mark.parametrize("year", range(2015, 2031))
def test_law_rules_agree_with_holidays_package(year):
    mine = {e.day for e in law_days(year) if e.day.weekday() < 5}
    theirs = {x for x in holidays.VN(years=year) if x.weekday() < 5} - _special(year)
    assert mine == theirs


@pytest.mark.parametrize("year", range(2020, 2027))
def test_shipped_notices_agree_with_holidays_package(year):
    errors = ErrorCollector()
    spec = next(s for s in read_notices(NOTICES_FILE, errors) if s.year == year)
    assert not errors
    off = {x.day for x in spec.days if x.kind == "off" and x.day.weekday() < 5}
    assert off - NOT_IN_HOLIDAYS_PACKAGE == {x for x in holidays.VN(years=year) if x.weekday() < 5}
    every_day_named = all(x.name and x.basis for x in spec.days)
    assert every_day_named


def test_vietnamese_lunar_calendar_is_used():
    # Years where the Vietnamese calendar (UTC+7) differs from the Chinese one (UTC+8): China had Tết on
    # 20/02/1985, 18/02/2007 and 03/02/2030.
    assert lunar_new_year(1985) == date(1985, 1, 21)
    assert lunar_new_year(2007) == date(2007, 2, 17)
    assert lunar_new_year(2030) == date(2030, 2, 2)
    for year in (1985, 2007, 2030):
        assert lunar_new_year(year) in holidays.VN(years=year)
    assert [a.name for a in anchor_days(2025) if a.day == date(2025, 1, 29)] == ["Tết Nguyên đán"]
