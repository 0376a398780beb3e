"""Benchmark of the procedure search (``cchc.core.text.FuzzyIndex``) on a national-size catalogue.

Builds 2.000 procedures (the 30 demo names plus synthetic Vietnamese names of 6-16 syllables from ~3.000
distinct syllables, seeded), then replays what a citizen types — every keystroke of several queries, with
and without diacritics, with a slip — and prints the time per keystroke: the matcher alone, and with
``--db`` the whole ``find_procedures`` (fetching the catalogue rows, matching, loading the matched
procedures) on a fresh SQLite database (or DATABASE_URL's, which must be empty: it is migrated).

    .venv/bin/python bench/catalogue_search_bench.py [--db]

Target: well under 50 ms per keystroke for the matcher (the HTMX request is debounced by 300 ms).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cchc.core.text import FuzzyIndex, words  # noqa: E402

N = 2_000
QUERIES = ["dang ky khai sinh", "đăng kí khai sinh", "kahi snh", "chung thuc ban sao", "giay phep xay dung", "1.001193"]
ONSETS = "b c ch d đ g gi h k kh l m n ng nh p ph qu r s t th tr v x".split()
RHYMES = (
    "a ai an ang anh ao at ac ach ăn ăng ăm âm ân âu e em en eo ê ên êu i im in inh ich iêu iên o oa oai oan oang"
    " oc ong ô ôi ông ơ ơi ơn u ui un ung uc uân uyên ư ưa ưng ươc ương ươi y"
).split()
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]  # ngang huyền sắc ngã hỏi nặng


def syllable(rng: random.Random) -> str:
    rhyme = unicodedata.normalize("NFD", rng.choice(RHYMES))
    # The tone mark goes on the rhyme's first vowel (after its own hat or horn, if any).
    at = 2 if len(rhyme) > 1 and unicodedata.category(rhyme[1]) == "Mn" else 1
    return unicodedata.normalize("NFC", rng.choice(ONSETS) + rhyme[:at] + rng.choice(TONES) + rhyme[at:])


def catalogue(rng: random.Random) -> list[tuple[str, str, str]]:
    """(code, name, field name) × N."""
    with open(ROOT / "cchc" / "data" / "dossiers" / "procedures_demo.csv", encoding="utf-8") as f:
        rows = [(r["ma_thu_tuc"], r["ten_thu_tuc"], r["ten_linh_vuc"]) for r in csv.DictReader(f)]
    pool = sorted({syllable(rng) for _ in range(6_000)})
    fields = [" ".join(rng.choice(pool) for _ in range(rng.randint(2, 4))).capitalize() for _ in range(120)]
    real = [w for _, name, _ in rows for w in name.split()]
    while len(rows) < N:
        n = rng.randint(6, 16)
        # Half the words from real names ("đăng ký", "giấy phép"…), as in the national catalogue.
        name = " ".join(rng.choice(real) if rng.random() < 0.5 else rng.choice(pool) for _ in range(n))
        rows.append((f"{rng.randint(1, 3)}.{len(rows):06d}x", "Thủ tục " + name, rng.choice(fields)))
    return rows


def keystrokes(query: str) -> list[str]:
    return [query[:i] for i in range(1, len(query) + 1)]


def replay(search, label: str) -> None:
    times = []
    for q in QUERIES:
        for typed in keystrokes(q):
            t0 = time.perf_counter()
            search(typed)
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95)]
    print(
        f"  {label:<34}: {len(times)} phím, trung bình {statistics.mean(times):.2f} ms, "
        f"p95 {p95:.2f} ms, chậm nhất {times[-1]:.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="store_true", help="also time find_procedures against a database")
    args = parser.parse_args()
    rng = random.Random(2026)
    rows = catalogue(rng)
    vocab = {w for _, name, field in rows for w in words(f"{name} {field}")}
    print(f"{len(rows)} thủ tục, {len(vocab)} từ khác nhau (không dấu)")

    words.cache_clear()
    t0 = time.perf_counter()
    index = FuzzyIndex((code, code, f"{name} {field}") for code, name, field in rows)
    print(f"  dựng chỉ mục (lần đầu, gấp dấu mọi tên): {(time.perf_counter() - t0) * 1000:.1f} ms")
    t0 = time.perf_counter()
    FuzzyIndex((code, code, f"{name} {field}") for code, name, field in rows)
    print(f"  dựng lại chỉ mục (tên đã gấp dấu)       : {(time.perf_counter() - t0) * 1000:.1f} ms")
    replay(lambda q: index.search(q, 50), "tìm, lần đầu gõ các chuỗi này")
    replay(lambda q: index.search(q, 50), "tìm, gõ lại (từ đã nhớ đệm)")
    assert index.search("kahi snh")[0] == "1.001193", index.search("kahi snh")[:3]

    if args.db:
        db_bench(rows)


def db_bench(rows: list[tuple[str, str, str]]) -> None:
    os.environ.setdefault("CCHC_VAR_DIR", tempfile.mkdtemp(prefix="cchc-catalogue-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from cchc.dossiers.models import Field, Procedure
    from cchc.dossiers.selectors import _catalogue_index, find_procedures

    call_command("migrate", verbosity=0)
    fields = {name: Field.objects.create(code=f"F{i}", name=name) for i, name in enumerate({r[2] for r in rows})}
    Procedure.objects.bulk_create(
        Procedure(code=code, name=name, field=fields[field], level="xa") for code, name, field in rows
    )
    today = timezone.localdate()
    print(f"find_procedures trên {connection.vendor} (đọc {len(rows)} dòng danh mục mỗi lần gõ):")
    _catalogue_index.cache_clear()
    replay(lambda q: find_procedures(q, today, level="xa", limit=50), "find_procedures, limit 50")


if __name__ == "__main__":
    main()
