"""Benchmark of the indicator store's read path on a province-year of dossiers (issue 12).

A province of 100 communes and 1.000.000 dossiers for 2025 (the generator and the import of
``bench/dossiers_bench.py``). Prints, for the 2025 annual period (2025-NAM):

- the underlying SQL alone: one GROUP BY of the dossiers per unit over the period (what a figure is made
  of), and ``dossiers.stats.stats`` over the province (the query the dossier indicators share);
- reading every value of the province (``values_for``: every indicator of the catalogue, own and area),
  cold (empty indicator cache: every computed figure computed and cached) and warm (from the cache);
- reading every value of every unit of the province (province + 100 communes + their sections) in one
  ``ValueContext``, cold and warm.

Target: the warm read of the province under 0,3 s. The database comes from DATABASE_URL (default: a fresh
SQLite file in a temporary folder), migrated first, so give it an empty database:

    .venv/bin/python bench/indicators_bench.py [--rows 1000000]
    createdb -h 127.0.0.1 -U postgres cchc_bench_indicators
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_indicators .venv/bin/python bench/indicators_bench.py
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dossiers_bench as gen
from django.core.management import call_command
from django.db import connection, reset_queries

from cchc.accounts.actors import SystemActor
from cchc.dossiers.demo import PROCEDURES_FILE
from cchc.dossiers.importing import import_dossiers
from cchc.dossiers.services import import_procedures
from cchc.dossiers.stats import stats, units_for
from cchc.indicators.models import ComputedValue
from cchc.indicators.periods import get_period
from cchc.indicators.selectors import ValueContext, values_for
from cchc.org.selectors import load_graph

PERIOD = f"{gen.YEAR}-NAM"


def _best(fn, runs: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def _group_by(period) -> list:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT unit_id, count(*), count(returned_on) FROM dossiers_dossier "
            "WHERE received_on BETWEEN %s AND %s GROUP BY unit_id",
            [period.start, period.end],
        )
        return cur.fetchall()


def _all_units(province, period) -> tuple[int, int]:
    graph = load_graph()
    context = ValueContext(period, graph)
    ids = sorted(graph.subtree_spans(province.pk, period.start, period.end))
    n = sum(1 for uid in ids for code in context.indicators if context.value(uid, code) is not None)
    context.flush()
    return len(ids), n


def _profile() -> dict[str, float]:
    """Wrap every registered compute function (and keeps_records) to add up its time."""
    from cchc.indicators import registry

    spent: dict[str, float] = {}

    def timed(code: str, fn):
        def run(*args):
            t = time.perf_counter()
            try:
                return fn(*args)
            finally:
                spent[code] = spent.get(code, 0.0) + time.perf_counter() - t

        return run

    for code, fn in list(registry._functions.items()):
        registry._functions[code] = timed(code, fn)
    for code, fn in list(registry._keeps.items()):
        registry._keeps[code] = timed(code + " (keeps_records)", fn)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--profile", action="store_true", help="time spent per compute function (cold read)")
    args = parser.parse_args()
    print(f"Cơ sở dữ liệu: {connection.vendor} ({connection.settings_dict['NAME']}); tải máy: {gen._load()}")
    call_command("migrate", verbosity=0)
    province = gen.setup_org()
    import_procedures(PROCEDURES_FILE, actor=SystemActor("bench"))
    path = gen.TMP / "ho_so.csv"
    gen.generate(path, args.rows)
    t = time.perf_counter()
    import_dossiers(path, actor=SystemActor("bench"))
    print(f"Nạp {args.rows:,} hồ sơ của {gen.COMMUNES} xã: {time.perf_counter() - t:.1f} s")
    period = get_period(PERIOD)

    took, rows = _best(lambda: _group_by(period))
    print(f"SQL GROUP BY theo đơn vị (kỳ {PERIOD}):       {took:7.3f} s  ({len(rows)} đơn vị)")
    units = units_for(province, period.start, period.end, True)
    took, figures = _best(lambda: stats(units, period.start, period.end))
    print(f"dossiers.stats của cả tỉnh (truy vấn chung):    {took:7.3f} s  (nhận {figures['received']:,})")

    ComputedValue.objects.all().delete()
    reset_queries()
    spent = _profile() if args.profile else {}
    t = time.perf_counter()
    values = values_for(province, period)
    cold = time.perf_counter() - t
    for code, took in sorted(spent.items(), key=lambda kv: -kv[1])[:10]:
        print(f"    {code:55s} {took:7.3f} s")
    known = sum(1 for v in values if v.value is not None)
    print(f"Đọc mọi chỉ tiêu của tỉnh, lạnh (tính + ghi cache): {cold:7.3f} s  ({len(values)} chỉ tiêu, {known} có số)")
    warm, values = _best(lambda: values_for(province, period), runs=5)
    received = next(v for v in values if v.code == "dossiers.commune.received")
    print(
        f"Đọc mọi chỉ tiêu của tỉnh, ấm (từ cache):        {warm:7.3f} s  "
        f"(cấp xã tiếp nhận {received.display}; mục tiêu < 0,3 s: {'đạt' if warm < 0.3 else 'CHƯA ĐẠT'})"
    )

    ComputedValue.objects.all().delete()
    t = time.perf_counter()
    n_units, n_values = _all_units(province, period)
    cold_all = time.perf_counter() - t
    print(f"Đọc mọi chỉ tiêu của {n_units} đơn vị, lạnh:            {cold_all:7.3f} s  ({n_values:,} số liệu)")
    warm_all, _ = _best(lambda: _all_units(province, period))
    print(f"Đọc mọi chỉ tiêu của {n_units} đơn vị, ấm:              {warm_all:7.3f} s")
    print(f"Tải máy (loadavg) lúc kết thúc: {gen._load()}")


if __name__ == "__main__":
    main()
