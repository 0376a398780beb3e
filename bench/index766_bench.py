"""Benchmark of the QĐ 766 index (cchc.index766): one month of a province of 100 communes holding
1.000.000 dossiers a year, cold (nothing cached) and warm (cached under the data's change stamp), beside the
plain SQL aggregate of the same dossier counts.

The dossiers come from bench/dossiers_bench.py's generator and the product's import; the index's own fields
(supplement requests, fees, online payment, e-result, digitisation…) are then filled by a seeded SQL UPDATE,
and some feedback items are added. The database comes from DATABASE_URL (default: a fresh SQLite file):

    createdb -h 127.0.0.1 -U postgres h3_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h3_bench .venv/bin/python bench/index766_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h3_bench .venv/bin/python bench/index766_bench.py --reuse
    .venv/bin/python bench/index766_bench.py --rows 200000            # SQLite, smaller

``--reuse`` skips building when the database already holds the bench province's dossiers.
Targets (issue #15): under 2 s cold, under 0,3 s warm.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dossiers_bench as base
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction

from cchc.accounts.actors import SystemActor
from cchc.dossiers.models import Dossier
from cchc.index766 import selectors

ACTOR = SystemActor("bench")
MONTH = (date(base.YEAR, 6, 1), date(base.YEAR, 6, 30))

# Seeded by the row id: the same figures on every run and both databases (id % n on both).
FILL_DOSSIERS = """
UPDATE dossiers_dossier SET
  supplement_requests = CASE WHEN id % 23 = 0 THEN 2 WHEN id % 7 = 0 THEN 1 ELSE 0 END,
  fee_due = CASE WHEN id % 3 = 0 THEN 20000 ELSE 0 END,
  paid_online = CASE WHEN id % 3 = 0 THEN (id % 5 < 2) END,
  e_result = (id % 10 < 6),
  digitised = (id % 10 < 8),
  reused_data = CASE WHEN id % 4 = 0 THEN (id % 8 = 0) END,
  e_certified_copy = CASE WHEN id % 6 = 0 THEN (id % 12 = 0) END,
  stored_in_repository = (id % 10 < 5),
  vneid_authenticated = CASE WHEN channel = 'truc_tuyen' THEN (id % 10 < 9) END,
  synced_to_portal = (id % 50 <> 0)
"""
FILL_PROCEDURES = """
UPDATE dossiers_procedure SET
  has_fee = (id % 3 = 0), online_payment = (id % 6 = 0), published_complete = (id % 10 <> 0),
  population_data_linked = (id % 2 = 0), online_form = CASE WHEN id % 2 = 0 THEN 'toan_trinh' ELSE online_form END
"""

# The same dossier counts as the engine's dossier pass, written by hand in one statement.
PLAIN_SQL = """
SELECT d.unit_id, COUNT(*),
  COUNT(*) FILTER (WHERE COALESCE(d.supplement_requests, 0) <= 1 AND (
     (COALESCE(d.result_ready_on, d.returned_on, d.closed_on) <= %(as_of)s
      AND COALESCE(d.result_ready_on, d.returned_on, d.closed_on) <= d.due_on)
     OR ((COALESCE(d.result_ready_on, d.returned_on, d.closed_on) IS NULL
          OR COALESCE(d.result_ready_on, d.returned_on, d.closed_on) > %(as_of)s) AND d.due_on >= %(as_of)s))),
  COUNT(*) FILTER (WHERE p.online_form = 'toan_trinh'),
  COUNT(*) FILTER (WHERE p.online_form = 'toan_trinh' AND d.channel = 'truc_tuyen'),
  COUNT(*) FILTER (WHERE d.fee_due > 0 AND d.paid_online IS NOT NULL),
  COUNT(*) FILTER (WHERE d.fee_due > 0 AND d.paid_online),
  COUNT(d.e_result), COUNT(*) FILTER (WHERE d.e_result),
  COUNT(d.digitised), COUNT(*) FILTER (WHERE d.digitised),
  COUNT(d.synced_to_portal), COUNT(*) FILTER (WHERE d.synced_to_portal)
FROM dossiers_dossier d JOIN dossiers_procedure p ON p.id = d.procedure_id
WHERE d.unit_id IN ({units}) AND d.received_on BETWEEN %(start)s AND %(end)s
GROUP BY d.unit_id
"""


def build(rows: int) -> None:
    province = base.setup_org()
    base.import_procedures(base.PROCEDURES_FILE, actor=ACTOR)
    path = base.TMP / "ho_so.csv"
    t = time.perf_counter()
    base.generate(path, rows)
    result = base.import_dossiers(path, actor=ACTOR)
    print(f"Dựng dữ liệu: {rows:,} hồ sơ, {time.perf_counter() - t:.1f} s ({result.summary()})")
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(FILL_DOSSIERS)
        cur.execute(FILL_PROCEDURES)
    _feedback(province)
    print(f"Điền các trường của Bộ chỉ số (SQL UPDATE có hạt giống): {time.perf_counter() - t:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE dossiers_dossier")


def _feedback(province) -> None:
    """Three feedback items per commune in the month: answered on time, answered late (rated), overdue."""
    from cchc.feedback.models import FeedbackItem
    from cchc.org.models import OrgUnit

    items = []
    for unit in OrgUnit.objects.filter(code__endswith=".H99", level="xa"):
        for i, (answered, satisfied) in enumerate(((6, True), (25, False), (None, None))):
            items.append(
                FeedbackItem(
                    unit=unit, received_on=date(base.YEAR, 6, 2), channel="truc_tiep", citizen_name=f"Người {i}",
                    content="Phản ánh thử", deadline=date(base.YEAR, 6, 20),
                    answered_on=date(base.YEAR, 6, answered) if answered else None, satisfied=satisfied,
                )
            )  # fmt: skip
    FeedbackItem.objects.bulk_create(items)


def _best(fn, runs: int = 3, before=None) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(runs):
        if before:
            before()
        t = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t)
    return best, value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="dùng lại dữ liệu đã dựng")
    args = parser.parse_args()
    print(f"Cơ sở dữ liệu: {connection.vendor} ({connection.settings_dict['NAME']}); tải máy: {base._load()}")
    call_command("migrate", verbosity=0)
    have = Dossier.objects.filter(unit__code__endswith=".H99").exists()
    if not (args.reuse and have):
        if have:
            sys.exit("Cơ sở dữ liệu đã có dữ liệu thử: dùng --reuse hoặc một cơ sở dữ liệu trống.")
        build(args.rows)
    province = base.setup_org()
    total = Dossier.objects.filter(unit__code__endswith=".H99").count()
    month = Dossier.objects.filter(unit__code__endswith=".H99", received_on__range=MONTH).count()
    print(f"Hồ sơ: {total:,} cả năm, {month:,} trong tháng 6/{base.YEAR}; 100 xã")

    def index():
        return selectors.index_for(province, *MONTH, actor=ACTOR, live=True)

    cache.clear()
    t = time.perf_counter()
    first = index()
    print(f"Lần đầu (lạnh, gồm nạp lịch làm việc, cây đơn vị):  {time.perf_counter() - t:6.3f} s")
    cold, result = _best(index, before=cache.clear)
    warm, _ = _best(index, runs=5)
    print(f"Bộ chỉ số cả tỉnh, một tháng, lạnh (không bộ đệm):  {cold:6.3f} s   (mục tiêu < 2 s)")
    print(f"Bộ chỉ số cả tỉnh, một tháng, ấm (bộ đệm):          {warm:6.3f} s   (mục tiêu < 0,3 s)")
    year = (date(base.YEAR, 1, 1), date(base.YEAR, 12, 31))
    year_cold, _ = _best(
        lambda: selectors.index_for(province, *year, actor=ACTOR, live=True), runs=2, before=cache.clear
    )
    print(f"Bộ chỉ số cả tỉnh, cả năm, lạnh:                     {year_cold:6.3f} s")
    ranking = lambda: selectors.index_for_units(  # noqa: E731
        [u for u in base.OrgUnit.objects.filter(code__endswith=".H99", level="xa")], *MONTH, actor=ACTOR, live=True
    )
    rank_cold, ranked = _best(ranking, runs=2, before=cache.clear)
    print(
        f"Xếp hạng 100 xã, một tháng, lạnh:                    {rank_cold:6.3f} s   (hạng 1: {ranked[0][1].unit.code})"
    )
    if connection.vendor == "postgresql":
        units = ",".join(
            str(pk) for pk in base.OrgUnit.objects.filter(code__endswith=".H99").values_list("pk", flat=True)
        )
        sql = PLAIN_SQL.format(units=units)
        params = {"start": MONTH[0], "end": MONTH[1], "as_of": MONTH[1]}

        def plain():
            with connection.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall()

        took, rows = _best(plain)
        print(f"SQL thuần, cùng các số đếm hồ sơ (một câu lệnh):     {took:6.3f} s   ({len(rows)} dòng)")
        received = sum(r[1] for r in rows)
        on_time = sum(r[2] for r in rows)
        tien_do = result.component("tien_do")
        assert (received, on_time) == (tien_do.denominator, tien_do.numerator), (received, on_time, tien_do)
        print(f"  cùng kết quả: tiếp nhận {received:,}, đúng hạn hoặc trong hạn {on_time:,}")
    print(f"Tổng điểm tỉnh: {result.total} / {result.max_total} (phiên bản {result.version}); lần đầu {first.total}")
    print(f"Tải máy lúc kết thúc: {base._load()}")


if __name__ == "__main__":
    main()
