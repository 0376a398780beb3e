"""Recall and false alarms of the report checker on the made-up corpus (cchc/checker/tests/corpus).

Prints, per document, the planted errors found and the false alarms (any finding that touches no planted
error), then the totals beside the thresholds of issue #16 (recall ≥ 90%, false alarms ≤ 1 per document).

    .venv/bin/python bench/checker_corpus_bench.py [-v]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")

import django

django.setup()

from cchc.checker.tests.corpus_score import score_corpus, totals  # noqa: E402

RECALL_MIN = 0.90
FALSE_ALARMS_MAX = 1


def main() -> int:
    verbose = "-v" in sys.argv
    t0 = time.perf_counter()
    scores = score_corpus()
    elapsed = time.perf_counter() - t0
    print(f"{'Văn bản':34} {'lỗi cài':>7} {'tìm thấy':>8} {'báo động giả':>12}")
    for s in scores:
        print(f"{s.name:34} {s.planted:7} {s.found:8} {len(s.false_alarms):12}")
        if verbose:
            for e in s.missed:
                print(f"    BỎ SÓT {e['kind']}: {e['at'][0]} ({e['why']})")
            for fa in s.false_alarms:
                print(f"    GIẢ {fa}")
    recall, fa_mean, fa_max = totals(scores)
    planted = sum(s.planted for s in scores)
    found = sum(s.found for s in scores)
    print(
        f"\n{len(scores)} văn bản, {planted} lỗi cài, tìm thấy {found}: recall {recall:.1%} (ngưỡng ≥ {RECALL_MIN:.0%})"
    )
    print(f"Báo động giả: trung bình {fa_mean:.2f}, nhiều nhất {fa_max} mỗi văn bản (ngưỡng ≤ {FALSE_ALARMS_MAX})")
    print(f"Thời gian kiểm tra cả bộ: {elapsed:.2f} s")
    ok = recall >= RECALL_MIN and fa_max <= FALSE_ALARMS_MAX
    print("ĐẠT" if ok else "KHÔNG ĐẠT")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
