"""Kept computed figures (``kept``, ``versions``): read again only while the records they counted are
unchanged — whatever the order in which a reading and a write finish — for a stored period (the table) and
for any range of days (the shared cache); a write of one commune or one year leaves the others kept."""

from datetime import date

import pytest
from django.core.cache import cache

from cchc.indicators import registry
from cchc.indicators.figures import period_of_days
from cchc.indicators.models import ComputedValue, DataVersion
from cchc.indicators.periods import get_period
from cchc.indicators.selectors import ValueContext, value_of
from cchc.indicators.services import mark_stale, mark_stale_days, mark_stale_functions, mark_stale_since
from cchc.indicators.versions import EVERY_UNIT, read_snapshot

pytestmark = pytest.mark.django_db
SON_TAY, SON_NINH, PROVINCE = "000.16.21.H42", "000.12.21.H42", "000.00.00.H42"
CODE = "dossiers.commune.received"


@pytest.fixture
def records(computed):
    """A stand-in for the dossiers: (commune code, day) rows the compute function counts, and its calls."""
    store = [(SON_TAY, date(2024, 6, 1)), (SON_TAY, date(2025, 3, 1)), (SON_NINH, date(2025, 3, 2))]
    calls: list[frozenset[str]] = []

    def count(units, span):
        codes = frozenset(u.code for u in units)
        calls.append(codes)
        return registry.Computed(sum(1 for code, day in store if code in codes and span.start <= day <= span.end))

    computed("dossiers.commune_received", count)
    return store, calls


def _write(demo_org, store, code: str, day: date) -> None:
    """What an app does when it writes a record: the record, then ``mark_stale`` in the same transaction."""
    store.append((code, day))
    mark_stale(demo_org[code], day)


def _in_range(code: str, start: date, end: date):
    from cchc.org.models import OrgUnit

    context = ValueContext(period_of_days(start, end))
    value = context.value(OrgUnit.objects.get(code=code).pk, CODE).value
    context.flush()
    return value


def test_a_figure_computed_before_a_write_and_kept_after_it_is_never_read_again(demo_org, catalogue, records):
    store, _ = records
    reading = ValueContext(get_period("2025-NAM"))
    assert reading.value(demo_org[SON_TAY].pk, CODE).value == 1  # the records as they were
    _write(demo_org, store, SON_TAY, date(2025, 5, 1))  # a write commits meanwhile: nothing cached to mark yet
    reading.flush()  # the reading keeps its figure after the write
    row = ComputedValue.objects.get(unit=demo_org[SON_TAY], period__code="2025-NAM", indicator__code=CODE)
    assert row.value == 1 and not row.stale  # what the stale flag alone would serve as fresh
    assert value_of(SON_TAY, "2025-NAM", CODE).value == 2  # its stamp is not the current one: computed again
    assert ComputedValue.objects.get(pk=row.pk).value == 2


def test_a_kept_figure_is_read_until_a_write_changes_its_records(demo_org, catalogue, records):
    store, calls = records
    assert value_of(SON_TAY, "2025-NAM", CODE).value == 1
    n = len(calls)
    assert value_of(SON_TAY, "2025-NAM", CODE).value == 1 and len(calls) == n  # kept
    _write(demo_org, store, SON_TAY, date(2025, 6, 1))
    assert value_of(SON_TAY, "2025-NAM", CODE).value == 2 and len(calls) == n + 1


def test_a_range_of_days_is_kept_in_the_cache_until_its_records_change(demo_org, catalogue, records):
    store, calls = records
    first, last = date(2025, 1, 1), date(2025, 12, 31)
    assert period_of_days(first, last).pk is None  # no stored period: the shared cache keeps it
    assert _in_range(SON_TAY, first, last) == 1
    n = len(calls)
    assert _in_range(SON_TAY, first, last) == 1 and len(calls) == n
    assert not ComputedValue.objects.filter(unit=demo_org[SON_TAY]).exists()
    _write(demo_org, store, SON_TAY, date(2025, 7, 1))
    assert _in_range(SON_TAY, first, last) == 2 and len(calls) == n + 1
    # the same race as for a stored period: computed before a write, kept after it
    reading = ValueContext(period_of_days(first, last))
    cache.clear()
    assert reading.value(demo_org[SON_TAY].pk, CODE).value == 2
    _write(demo_org, store, SON_TAY, date(2025, 8, 1))
    reading.flush()
    assert _in_range(SON_TAY, first, last) == 3


def test_a_write_leaves_other_years_and_other_communes_kept(demo_org, catalogue, records):
    store, calls = records
    year_2024, year_2025 = (date(2024, 1, 1), date(2024, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31))
    assert _in_range(SON_TAY, *year_2024) == 1 and _in_range(SON_NINH, *year_2025) == 1
    assert _in_range(PROVINCE, *year_2025) == 2
    n = len(calls)
    _write(demo_org, store, SON_TAY, date(2025, 9, 1))  # this year's desk at work
    assert _in_range(SON_TAY, *year_2024) == 1  # last year's figure does not depend on it
    assert _in_range(SON_NINH, *year_2025) == 1  # nor another commune's
    assert len(calls) == n
    assert _in_range(PROVINCE, *year_2025) == 3 and len(calls) > n  # the province counts Sơn Tây
    # a stock: a change dated 2024 moves the figures of every later end, 2025's too
    n = len(calls)
    mark_stale_since(demo_org[SON_TAY], date(2024, 11, 1))
    _in_range(SON_NINH, *year_2025)
    assert len(calls) == n
    _in_range(SON_TAY, *year_2025)
    assert len(calls) == n + 1


def test_a_write_that_changes_every_figure_changes_every_stamp(demo_org, catalogue, records):
    _, calls = records
    _in_range(SON_NINH, date(2025, 1, 1), date(2025, 12, 31))
    n = len(calls)
    mark_stale_functions("dossiers.commune_received")
    _in_range(SON_NINH, date(2025, 1, 1), date(2025, 12, 31))
    assert len(calls) == n + 1
    assert DataVersion.objects.get(scope=EVERY_UNIT, year=0).version == 1


def test_inputs_read_before_the_snapshot_are_never_kept(demo_org, catalogue, records):
    """A reading handed inputs another one filled (not through a ValueContext) cannot tell how old they are."""
    reading = ValueContext(get_period("2025-NAM"), inputs={("filled", "earlier"): 1})
    assert reading.value(demo_org[SON_TAY].pk, CODE).value == 1
    reading.flush()
    assert not ComputedValue.objects.exists()


def test_an_unreachable_cache_computes_the_figures(demo_org, catalogue, records, monkeypatch):
    from cchc.indicators import kept

    class Unreachable:
        def __getattr__(self, name):
            raise ConnectionError("redis down")

    monkeypatch.setattr(kept, "cache", Unreachable())
    assert _in_range(SON_TAY, date(2025, 1, 1), date(2025, 12, 31)) == 1
    assert _in_range(SON_TAY, date(2025, 1, 1), date(2025, 12, 31)) == 1


def test_versions_count_per_unit_and_year_in_one_statement(demo_org, catalogue):
    unit = demo_org[SON_TAY]
    mark_stale(unit, date(2025, 3, 1))
    mark_stale(unit, date(2025, 4, 1))
    mark_stale_days(unit, date(2024, 1, 2), date(2026, 1, 2), None)
    rows = dict(DataVersion.objects.filter(scope=unit.pk).values_list("year", "version"))
    assert rows[2024] >= 1 and rows[2025] == 2 and rows[2026] >= 1
    snapshot = read_snapshot()
    assert snapshot.total([unit.pk], 2023) == 0
    assert snapshot.total([unit.pk], 2025) == rows[2024] + rows[2025]
    assert snapshot.total([unit.pk], 2030) == sum(rows.values())


def test_the_stamp_names_the_units_their_days_and_levels():
    from cchc.indicators.versions import Snapshot

    snapshot = Snapshot({1: [2025], 2: [2025]}, {1: [3], 2: [3]}, 0)
    days = [(date(2025, 1, 1), date(2025, 12, 31))]
    one = snapshot.stamp({1: days}, {1: "xa"}, 2025)
    assert one == snapshot.stamp({1: list(days)}, {1: "xa"}, 2025)
    assert one != snapshot.stamp({2: days}, {2: "xa"}, 2025)  # same versions' sum, other unit
    assert one != snapshot.stamp({1: [(date(2025, 7, 1), date(2025, 12, 31))]}, {1: "xa"}, 2025)  # merged mid-year
    assert one != snapshot.stamp({1: days}, {1: "huyen"}, 2025)
    assert one.startswith("3-") and snapshot.stamp({1: days}, {1: "xa"}, 2024).startswith("0-")
