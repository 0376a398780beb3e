"""Table stamps (``core.tablestamps``): the database's own triggers change a group's token at every kind of write,
and a GET uses the process's copy of the org tree and the catalogue only while their token is unchanged.
Run on SQLite and on PostgreSQL (their triggers differ)."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cchc.core import readonce, tablestamps
from cchc.core.models import TableStamp
from cchc.indicators.catalogue import load_catalogue
from cchc.indicators.models import Indicator
from cchc.indicators.selectors import current_indicators
from cchc.org.models import OrgUnit, OrgUnitParent, UnitLineage
from cchc.org.selectors import load_graph

pytestmark = pytest.mark.django_db


def _token(name: str) -> str:
    return TableStamp.objects.get(name=name).token


def _changes(name: str, write) -> bool:
    before = _token(name)
    write()
    return _token(name) != before


def test_every_kind_of_write_to_the_org_tables_changes_the_org_token(demo_org):
    table = OrgUnit._meta.db_table
    commune = OrgUnit.objects.filter(level="xa").first()
    province = OrgUnit.objects.filter(level="tinh").first()

    def raw_sql():
        with connection.cursor() as cur:
            cur.execute(f"UPDATE {table} SET name = %s WHERE id = %s", ["Xã Đổi Tên", commune.pk])

    assert _changes(tablestamps.ORG, lambda: OrgUnit.objects.filter(pk=commune.pk).update(name="Xã Mới"))
    assert _changes(tablestamps.ORG, raw_sql)
    new = OrgUnit(code="000.99.99.H42", name="Xã Thử", level="xa", valid_from=date(2025, 7, 1))
    assert _changes(tablestamps.ORG, lambda: OrgUnit.objects.bulk_create([new]))
    assert _changes(
        tablestamps.ORG,
        lambda: OrgUnitParent.objects.create(unit=new, parent=province, valid_from=date(2025, 7, 1)),
    )
    assert _changes(
        tablestamps.ORG,
        lambda: UnitLineage.objects.create(from_unit=commune, to_unit=new, kind="merge", date=date(2025, 7, 1)),
    )
    assert _changes(tablestamps.ORG, lambda: OrgUnitParent.objects.filter(unit=new).delete())
    load_catalogue()
    first = Indicator.objects.order_by("position").first()
    assert _changes(tablestamps.CATALOGUE, lambda: Indicator.objects.filter(pk=first.pk).update(name="Đổi"))
    # a write elsewhere leaves both tokens alone
    org, catalogue = _token(tablestamps.ORG), _token(tablestamps.CATALOGUE)
    TableStamp.objects.filter(name="khác").delete()
    assert (_token(tablestamps.ORG), _token(tablestamps.CATALOGUE)) == (org, catalogue)


def test_a_rolled_back_write_brings_back_the_old_token_never_a_token_of_other_contents(demo_org):
    before = _token(tablestamps.ORG)
    with pytest.raises(RuntimeError), transaction.atomic():
        OrgUnit.objects.update(name="Tạm")
        inside = _token(tablestamps.ORG)
        raise RuntimeError
    assert inside != before and _token(tablestamps.ORG) == before


def _org_reads(queries) -> int:
    return sum(f'FROM "{OrgUnit._meta.db_table}"' in q["sql"] for q in queries.captured_queries)


def test_a_get_uses_the_process_copy_until_any_write_changes_the_tree(demo_org):
    commune = OrgUnit.objects.filter(level="xa").order_by("code").first()
    with readonce.read_only():
        first = load_graph()
    with CaptureQueriesContext(connection) as queries, readonce.read_only():
        again = load_graph()
    assert again is first and _org_reads(queries) == 0  # one query for the tokens, none for the tree

    with connection.cursor() as cur:  # not through the ORM: the trigger sees it all the same
        cur.execute(f"UPDATE {OrgUnit._meta.db_table} SET name = %s WHERE id = %s", ["Xã Tên Mới", commune.pk])
    with CaptureQueriesContext(connection) as queries, readonce.read_only():
        fresh = load_graph()
    assert fresh is not first and _org_reads(queries) == 1
    assert fresh.units[commune.pk].name == "Xã Tên Mới"
    assert load_graph() is not fresh  # outside a GET: read afresh, as before


def test_the_catalogue_is_kept_while_unchanged_and_read_again_after_a_write():
    load_catalogue()
    with readonce.read_only():
        first = current_indicators()
    with readonce.read_only():
        assert current_indicators() == first
        assert next(iter(current_indicators().values())) is next(iter(first.values()))
    code = next(iter(first))
    Indicator.objects.filter(code=code).update(name="Tên đã đổi")
    with readonce.read_only():
        assert current_indicators()[code].name == "Tên đã đổi"


def test_a_missing_token_reads_afresh_every_time(demo_org):
    TableStamp.objects.filter(name=tablestamps.ORG).delete()  # e.g. SQLite's flush deleted the row last
    with readonce.read_only():
        first = load_graph()
    with readonce.read_only():
        assert load_graph() is not first
