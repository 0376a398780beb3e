"""Read once per GET (``core.readonce``): the org tree and the catalogue are read once however many parts of a
page ask; outside a GET (a POST, a job) every call reads afresh."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.core import readonce


def test_once_reads_each_key_once_inside_and_every_time_outside():
    calls = []

    def read():
        calls.append(1)
        return {"n": len(calls)}

    assert readonce.once("k", read) == {"n": 1} and readonce.once("k", read) == {"n": 2}
    with readonce.read_only():
        first = readonce.once("k", read)
        assert readonce.once("k", read) is first and len(calls) == 3
        assert readonce.once("other", read) == {"n": 4}
    assert readonce.once("k", read) == {"n": 5}  # the request is over: afresh


@pytest.mark.django_db
def test_a_get_reads_the_org_tree_and_the_catalogue_once(client, demo_org, make_user):
    from cchc.accounts.models import Role

    client.force_login(make_user("snv", Role.PROVINCE_REVIEWER, demo_org["000.00.01.H42"]))
    params = {"don_vi": "000.00.00.H42", "tu": "01/01/2025", "den": "31/12/2025", "cap_duoi": "1"}
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/ho-so/thong-ke/", params).status_code == 200
    tables = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "org_unitlineage"' in sql for sql in tables) == 1  # scope, figures, tables: one tree
    assert sum('FROM "indicators_indicator"' in sql for sql in tables) <= 1
