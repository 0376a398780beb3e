"""The province table reads every unit's summary rows in one query (``grouped_rows``, kept by unit) and each
unit's figures from them (``stats_of_grouped``): for any subset of the units they equal the subset's own
statistics, and those equal the count straight from the dossiers (issue #19, the reviewer's statistics page)."""

from datetime import date

import pytest

from cchc.accounts.actors import SystemActor
from cchc.dossiers import stats
from cchc.dossiers.demo import PROCEDURES_FILE
from cchc.dossiers.importing import import_dossiers
from cchc.dossiers.models import Dossier
from cchc.dossiers.services import import_procedures
from cchc.dossiers.tests.test_import import rows_1000, to_csv

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2024, 1, 1), date(2024, 12, 31)),  # whole months: month rows only
        (date(2024, 2, 10), date(2024, 9, 20)),  # ragged edges: day rows too
        (date(2024, 5, 3), date(2024, 5, 17)),  # within one month
    ],
)
def test_a_subset_of_the_prefetched_rows_equals_its_own_statistics(demo_org, start, end):
    import_procedures(PROCEDURES_FILE, actor=SystemActor("test"))
    import_dossiers("a.csv", actor=SystemActor("test"), content=to_csv(rows_1000()))
    ids = sorted(set(Dossier.objects.values_list("unit_id", flat=True)))
    assert len(ids) == 3
    by_unit = stats.grouped_rows(ids, start, end)
    assert set(by_unit) == set(ids) and all(key[0] == unit for unit, rows in by_unit.items() for key in rows)
    names = stats.names_of([key for rows in by_unit.values() for key in rows])
    for subset in ([ids[0]], [ids[2], ids[1]], ids, [ids[1], 10**9]):
        own = stats.stats(subset, start, end)
        assert stats.stats_of_grouped(by_unit, subset, names) == own
        assert stats.stats_of_grouped(by_unit, subset, names, totals_only=True) == {k: own[k] for k in stats.KEYS}
    whole = stats.stats(ids, start, end)
    assert whole == stats.stats(ids, start, end, source="dossiers")
    assert whole["received"] == sum(row["received"] for row in whole["by_unit"]) > 0


def test_the_pages_tables_by_field_and_channel_come_from_the_prefetched_rows(demo_org):
    """The statistics page of a province with the units below: its tables by field and by channel are read
    from the rows the store's reading prefetched (no second query over the summary), and equal the records'
    own statistics."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cchc.dossiers.indicators import records_stats
    from cchc.indicators.figures import overview
    from cchc.org.models import Level, OrgUnit

    import_procedures(PROCEDURES_FILE, actor=SystemActor("test"))
    import_dossiers("a.csv", actor=SystemActor("test"), content=to_csv(rows_1000()))
    province = OrgUnit.objects.get(level=Level.PROVINCE)
    start, end = date(2024, 2, 10), date(2024, 9, 20)
    inputs: dict = {}
    overview(province, start, end, lower=True, inputs=inputs)
    ids = stats.units_for(province, start, end, True)
    with CaptureQueriesContext(connection) as queries:
        tables = records_stats(inputs, ids, start, end)
    assert len(queries) == 0
    assert tables == stats.stats(ids, start, end) and tables["by_field"] and tables["by_channel"]
    assert records_stats({}, ids, start, end) == tables  # without a reading: its own query, the same figures
