"""Bench: 1,000,000 due dates with the working-day engine, beside numpy.busday_offset.

Run:  CCHC_VAR_DIR=/tmp/workdays-var .venv/bin/python bench/workdays_bench.py
(the database needs `cchc migrate`; the shipped notices are loaded by it).

Both compute "the n-th working day after the receipt day" for the same random receipts (2020-2026,
weekends included, as online dossiers arrive) and processing times (1-30 working days). The reference is
numpy's busday_offset with weekmask Mon-Fri and the engine's own holidays: it cannot express a Saturday
worked (a working rest day), so the check compares all rows whose interval contains none, and counts the
rest, where the two must differ.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")

import django

django.setup()

from cchc.core.vnformat import format_number  # noqa: E402
from cchc.workdays.selectors import get_calendar  # noqa: E402

N = 1_000_000


def best_of(fn, repeat: int = 5) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    rng = np.random.default_rng(2025)
    t0 = time.perf_counter()
    cal = get_calendar()
    build = time.perf_counter() - t0
    received = np.datetime64("2020-01-01") + rng.integers(0, 365 * 7 - 60, size=N)
    days = rng.integers(1, 31, size=N)

    mine_s, mine = best_of(lambda: cal.add_working_days_many(received, days))

    busdays = np.busdaycalendar(weekmask="1111100", holidays=cal.holidays_array())

    def reference():
        # "n-th working day after d" in busday terms: offset n from d if d is a business day, else n-1
        # from the next business day.
        rolled = np.busday_offset(received, 0, roll="forward", busdaycal=busdays)
        steps = np.where(rolled == received, days, days - 1)
        return np.busday_offset(rolled, steps, roll="forward", busdaycal=busdays)

    ref_s, ref = best_of(reference)

    extra = cal.extra_working_days_array()
    # A worked Saturday inside (received, due] makes the two differ by design.
    lo = np.searchsorted(extra, received, side="right")
    hi = np.searchsorted(extra, np.maximum(mine, ref), side="right")
    clean = lo == hi
    agree = np.array_equal(mine[clean], ref[clean])
    differ = int((~clean).sum())
    all_differ_by_the_saturday = bool(np.all(mine[~clean] <= ref[~clean]))

    scalar_sample = 20_000
    t0 = time.perf_counter()
    for d, n in zip(received[:scalar_sample].astype(object), days[:scalar_sample].tolist(), strict=True):
        cal.add_working_days(d, n)
    scalar_s = (time.perf_counter() - t0) * N / scalar_sample

    fmt = format_number
    print(f"Lịch làm việc {cal.first_year}-{cal.last_year}; dựng bộ máy lịch: {build * 1000:.1f} ms")
    print(f"{fmt(N)} hạn giải quyết (ngày nhận 2020-2026, 1-30 ngày làm việc), tốt nhất của 5 lần:")
    print(f"  cchc add_working_days_many       : {fmt(mine_s * 1000, 1):>8} ms  {fmt(round(N / mine_s)):>12} hạn/giây")
    print(f"  numpy busday_offset (tham chiếu) : {fmt(ref_s * 1000, 1):>8} ms  {fmt(round(N / ref_s)):>12} hạn/giây")
    print(f"  cchc add_working_days, từng ngày : {fmt(scalar_s * 1000, 0):>8} ms  (ước từ {fmt(scalar_sample)} dòng)")
    print(f"  Khớp với numpy trên {fmt(int(clean.sum()))} dòng: {'CÓ' if agree else 'KHÔNG'}")
    print(
        f"  {fmt(differ)} dòng có thứ Bảy làm bù trong khoảng (numpy không biểu diễn được): "
        + ("cchc ra hạn sớm hơn, đúng" if all_differ_by_the_saturday else "SAI LỆCH BẤT THƯỜNG")
    )
    if not agree or not all_differ_by_the_saturday:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
