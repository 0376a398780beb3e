"""Issue 13 item 2: two overlapping imports of the same unit at the same time never double-count the summary
(PostgreSQL; SQLite lets one writer in at a time by itself), and creating a missing field/procedure
concurrently never fails with a raw IntegrityError."""

from __future__ import annotations

import csv
import io
import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections
from django.db.models import Sum

from cchc.accounts.actors import SystemActor
from cchc.dossiers.importing import import_dossiers
from cchc.dossiers.models import Dossier, DossierStat, Field, Procedure
from cchc.org.models import OrgUnit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL only: SQLite's IMMEDIATE transactions already serialise writers (one at a time).",
    ),
]
HEADER = [
    "ma_ho_so",
    "don_vi",
    "ma_thu_tuc",
    "ten_thu_tuc",
    "linh_vuc",
    "so_ngay_giai_quyet",
    "kenh",
    "ngay_tiep_nhan",
    "ngay_tra_ket_qua",
]
UNITS = ["000.16.21.H42", "000.00.62.H42"]


def _file(start: int, stop: int, procedure: str = "1.004873", name: str = "", field: str = "") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER)
    for i in range(start, stop):
        day = date(2026, 1, 5) + timedelta(days=i % 150)
        unit = UNITS[i % 2]
        returned = "" if i % 7 == 0 else (day + timedelta(days=i % 5)).strftime("%d/%m/%Y")
        w.writerow(
            [
                f"CC-{i:06d}",
                unit,
                procedure,
                name,
                field,
                "5" if name else "",
                ["truc_tiep", "truc_tuyen"][i % 2],
                f"{day:%d/%m/%Y} 08:30",
                returned,
            ]
        )
    return buf.getvalue().encode()


def _run_both(files: list[bytes], actor: str = SystemActor("test concurrency")) -> list[object]:
    barrier = threading.Barrier(len(files))
    outcomes: list[object] = [None] * len(files)

    def work(k: int) -> None:
        try:
            barrier.wait()
            outcomes[k] = import_dossiers(f"hs{k}.csv", actor=actor, content=files[k])
        except Exception as exc:  # recorded, asserted below
            outcomes[k] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(len(files))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    return outcomes


def _summary_matches_rows() -> None:
    for unit_code in UNITS:
        rows = Dossier.objects.filter(unit__code=unit_code)
        stats = DossierStat.objects.filter(unit_id=OrgUnit.objects.get(code=unit_code).pk, grain="D")
        assert stats.aggregate(n=Sum("received"))["n"] == rows.count()
        resolved = rows.filter(status="da_tra").count()
        assert stats.aggregate(n=Sum("resolved"))["n"] == resolved


def test_overlapping_imports_at_once_keep_the_summary_equal_to_the_rows(catalogue, demo_org):
    outcomes = _run_both([_file(0, 6000), _file(3000, 9000)])
    assert all(not isinstance(o, Exception) for o in outcomes), outcomes
    assert sorted(o.created for o in outcomes) == [3000, 6000]  # the second saw the first's rows
    assert Dossier.objects.count() == 9000
    _summary_matches_rows()


def test_concurrent_creation_of_a_new_field_and_procedure(catalogue, demo_org):
    spec = {"procedure": "9.999001", "name": "Thủ tục thử mới", "field": "Lĩnh vực thử đồng thời"}
    outcomes = _run_both([_file(0, 3000, **spec), _file(3000, 6000, **spec)])
    assert all(not isinstance(o, Exception) for o in outcomes), outcomes
    assert Field.objects.filter(name="Lĩnh vực thử đồng thời").count() == 1
    assert Procedure.objects.filter(code="9.999001").count() == 1
    _summary_matches_rows()
