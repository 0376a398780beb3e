"""Benchmark of the dossier import and statistics, beside DuckDB on the same file.

Generates a province-year of realistic dossiers (100 communes, the demo catalogue's fields and times,
three channels, Tết 2025 and the swapped Saturday, weekends, early / on-time / late / pending ones, apologies)
as a CSV, imports it with ``cchc dossiers import``'s code, re-imports it (nothing changes), computes the
province-year statistics, and prints rows/s and seconds next to DuckDB loading and grouping the same file.

The database comes from DATABASE_URL (default: a fresh SQLite file in a temporary folder); it is migrated
first, so give it an empty database:

    .venv/bin/python bench/dossiers_bench.py                       # SQLite
    createdb -h 127.0.0.1 -U postgres cchc_bench_dossiers
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_dossiers .venv/bin/python bench/dossiers_bench.py
    dropdb -h 127.0.0.1 -U postgres cchc_bench_dossiers

On PostgreSQL the import skips the per-row foreign-key triggers when the role may set
session_replication_role (a superuser, as postgres here, or GRANT SET ON PARAMETER on PostgreSQL 15+);
otherwise it is slower by the triggers' time (docs/dossiers.md, Benchmark). ``--rows 200000`` for quick runs;
``--qd766`` adds the ten optional columns of the QĐ 766 index (issue #15) to every row.

Targets: 1.000.000 rows imported in under 30 s; the statistics in under 1 s. DuckDB (pip install duckdb) is a
bench-only dependency.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
TMP = Path(tempfile.mkdtemp(prefix="cchc-dossiers-bench-"))
os.environ.setdefault("CCHC_VAR_DIR", str(TMP))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from cchc.accounts.actors import SystemActor  # noqa: E402
from cchc.dossiers.demo import PROCEDURES_FILE  # noqa: E402
from cchc.dossiers.importing import import_dossiers  # noqa: E402
from cchc.dossiers.models import Procedure  # noqa: E402
from cchc.dossiers.services import import_procedures  # noqa: E402
from cchc.dossiers.stats import stats, units_for  # noqa: E402
from cchc.org.models import OrgUnit, OrgUnitParent  # noqa: E402
from cchc.workdays.selectors import get_calendar  # noqa: E402

YEAR = 2025
COMMUNES = 100


def setup_org() -> OrgUnit:
    province, _ = OrgUnit.objects.get_or_create(
        code="000.00.00.H99",
        defaults={"name": "Tỉnh Thử Nghiệm", "kind": "Tỉnh", "level": "tinh", "valid_from": date(2000, 1, 1)},
    )
    for i in range(COMMUNES):
        unit, created = OrgUnit.objects.get_or_create(
            code=f"000.{i:02d}.{i // 100:02d}.H99",
            defaults={"name": f"Xã Thử Nghiệm {i + 1}", "kind": "Xã", "level": "xa", "valid_from": date(2000, 1, 1)},
        )
        if created:
            OrgUnitParent.objects.create(unit=unit, parent=province, valid_from=date(2000, 1, 1))
    return province


QD766_HEADER = (
    ",so_lan_bo_sung,phi_le_phi,thanh_toan_truc_tuyen,ket_qua_dien_tu,so_hoa,tai_su_dung,chung_thuc_dien_tu,"
    "luu_kho_du_lieu,xac_thuc_vneid,dong_bo_cong_dvcqg"
)


def _qd766_cells(rng: np.random.Generator, n: int) -> list[str]:
    """The optional QĐ 766 columns of each row (leading comma): supplement count, fee, eight có/không, with a
    tenth of the cells blank (no data)."""
    supplements = rng.choice(np.array(["0", "1", "2", ""]), n, p=[0.8, 0.12, 0.03, 0.05])
    fees = rng.choice(np.array(["0", "50.000", "100.000", "1.200.000", ""]), n, p=[0.5, 0.3, 0.1, 0.05, 0.05])
    flags = rng.choice(np.array(["có", "không", ""]), (8, n), p=[0.6, 0.3, 0.1])
    return [",".join(("", *row)) for row in zip(supplements, fees, *flags, strict=True)]


def generate(path: Path, n: int, seed: int = 7, qd766: bool = False) -> None:
    """Vectorised generation; due dates are left empty on half the rows (the import computes them).
    ``qd766``: with the ten optional columns of the QĐ 766 index."""
    rng = np.random.default_rng(seed)
    cal = get_calendar()
    units = [f"000.{i:02d}.{i // 100:02d}.H99" for i in range(COMMUNES)]
    procs = list(Procedure.objects.values_list("code", "time_unit", "time_value"))
    procs = [p for p in procs if p[1] != "gio"]
    weights = np.array([30 if p[1] == "trong_ngay" else 6 if p[2] <= 5 else 2 for p in procs], dtype=float)
    days_all = np.arange(np.datetime64(f"{YEAR}-01-01"), np.datetime64(f"{YEAR}-12-31") + 1)
    working = cal.is_working_day_many(days_all)
    channel = rng.choice(np.array(["truc_tiep", "truc_tuyen", "buu_chinh"]), n, p=[0.55, 0.4, 0.05])
    online = channel == "truc_tuyen"
    # Counter and post on working days only; online any day (weekends and Tết included).
    wd = days_all[working]
    received = np.where(online, days_all[rng.integers(0, len(days_all), n)], wd[rng.integers(0, len(wd), n)])
    minute = rng.integers(7 * 60, 17 * 60, n)
    pidx = rng.choice(len(procs), n, p=weights / weights.sum())
    pdays = np.array([p[2] if p[1] == "ngay" else 0 for p in procs])[pidx]
    due = cal.add_working_days_many(cal.add_working_days_many(received, 0), np.maximum(pdays, 0))
    due = np.where(pdays > 0, due, cal.add_working_days_many(received, 0))
    luck = rng.random(n)
    shift = np.where(luck < 0.80, -rng.integers(0, 3, n), np.where(luck < 0.92, 0, rng.integers(1, 8, n)))
    returned = cal.add_working_days_many(due, np.where(shift == 0, 0, shift))
    returned = np.where(shift == 0, due, returned)
    returned = np.maximum(returned, received)
    pending = (received > np.datetime64(f"{YEAR}-12-10")) & (rng.random(n) < 0.6) | (rng.random(n) < 0.01)
    apology = (shift > 0) & (rng.random(n) < 0.5)
    unit_idx = rng.integers(0, COMMUNES, n)

    rec_s = np.datetime_as_string(received)
    due_s = np.datetime_as_string(due)
    ret_s = np.datetime_as_string(returned)
    hh = (minute // 60).astype(str)
    mm = np.char.zfill((minute % 60).astype(str), 2)
    pcodes = np.array([p[0] for p in procs])[pidx]
    ucodes = np.array(units)[unit_idx]
    give_due = rng.random(n) < 0.5
    extra = _qd766_cells(rng, n) if qd766 else [""] * n
    with path.open("w", encoding="utf-8") as fh:
        fh.write(
            "ma_ho_so,don_vi,ma_thu_tuc,ten_thu_tuc,linh_vuc,so_ngay_giai_quyet,kenh,muc_do,ngay_tiep_nhan,"
            "ngay_hen_tra,ngay_tra_ket_qua,da_xin_loi,ngay_hen_tra_moi" + (QD766_HEADER if qd766 else "") + "\n"
        )
        lines = []
        for k in range(n):
            r = rec_s[k]
            lines.append(
                f"{ucodes[k]}-{r[2:4]}{r[5:7]}{r[8:10]}-{k:07d},{ucodes[k]},{pcodes[k]},,,,{channel[k]},"
                f"{'toan_trinh' if online[k] else ''},{r[8:10]}/{r[5:7]}/{r[:4]} {hh[k]}:{mm[k]},"
                f"{due_s[k] if give_due[k] else ''},{'' if pending[k] else ret_s[k]},{'có' if apology[k] else ''},"
                f"{extra[k]}\n"
            )
            if len(lines) == 100_000:
                fh.writelines(lines)
                lines = []
        fh.writelines(lines)


def duckdb_figures(path: Path) -> tuple[float, float]:
    import duckdb

    con = duckdb.connect()
    t = time.perf_counter()
    con.execute(f"CREATE TABLE d AS SELECT * FROM read_csv('{path}', header=true, all_varchar=true)")
    load = time.perf_counter() - t
    t = time.perf_counter()
    con.execute("""
        SELECT don_vi, kenh, count(*) AS received,
               count(ngay_tra_ket_qua) AS resolved,
               sum(CASE WHEN da_xin_loi = 'có' THEN 1 ELSE 0 END) AS apologies,
               sum(CASE WHEN kenh = 'truc_tuyen' THEN 1 ELSE 0 END) AS online
        FROM d GROUP BY don_vi, kenh""").fetchall()
    group = time.perf_counter() - t
    return load, group


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--qd766", action="store_true", help="with the ten optional QĐ 766 columns")
    args = parser.parse_args()
    vendor = connection.vendor
    print(f"Cơ sở dữ liệu: {vendor} ({connection.settings_dict['NAME']}); tải máy: {_load()}")
    call_command("migrate", verbosity=0)
    province = setup_org()
    import_procedures(PROCEDURES_FILE, actor=SystemActor("bench"))
    path = TMP / "ho_so.csv"
    t = time.perf_counter()
    generate(path, args.rows, qd766=args.qd766)
    print(f"Sinh dữ liệu: {args.rows:,} dòng, {path.stat().st_size / 1e6:.0f} MB, {time.perf_counter() - t:.1f} s")

    t, cpu = time.perf_counter(), time.process_time()
    result = import_dossiers(path, actor=SystemActor("bench"))
    ours, cpu = time.perf_counter() - t, time.process_time() - cpu
    print(
        f"cchc import:        {ours:6.2f} s  {args.rows / ours:>10,.0f} dòng/s   ({result.summary()})  CPU {cpu:.2f} s"
    )
    t, cpu = time.perf_counter(), time.process_time()
    again = import_dossiers(path, actor=SystemActor("bench"))
    took, cpu = time.perf_counter() - t, time.process_time() - cpu
    print(
        f"cchc import lại:    {took:6.2f} s  {args.rows / took:>10,.0f} dòng/s   ({again.summary()})  CPU {cpu:.2f} s"
    )
    load, group = duckdb_figures(path)
    print(f"DuckDB nạp CSV:     {load:6.2f} s  {args.rows / load:>10,.0f} dòng/s")

    units = units_for(province, date(YEAR, 1, 1), date(YEAR, 12, 31), True)
    for label, start, end in (
        ("năm", date(YEAR, 1, 1), date(YEAR, 12, 31)),
        ("kỳ CCHC 15/12-14/12", date(YEAR - 1, 12, 15), date(YEAR, 12, 14)),
    ):
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            s = stats(units, start, end)
            best = min(best, time.perf_counter() - t)
        print(
            f"cchc thống kê {label}: {best:6.3f} s  (nhận {s['received']:,}, giải quyết {s['resolved']:,}, "
            f"đúng hạn {s['on_time_rate']}%, tồn {s['pending']:,}, quá hạn chưa xin lỗi {s['late_without_apology']:,})"
        )
    print(f"DuckDB group-by:    {group:6.3f} s")
    print(f"Tải máy (loadavg) lúc kết thúc: {_load()}")


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


if __name__ == "__main__":
    main()
