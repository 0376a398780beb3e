"""The two heavy pages of a province, one request at a time: every figure computed, then kept.

On the province that ``bench/load_province.py`` built (``--db``, PostgreSQL on 127.0.0.1), through Django's
test client in this process: the reviewer's statistics of the 100 communes over a calendar year (no stored
period: its figures are kept in the shared cache) and the officer's draft report page (a stored period: kept
in ``ComputedValue``). For each page, alternately: a view after a write that changes every unit's figures
(``mark_stale_functions``: the versions move, nothing kept is read) and a view of the same page again (its
figures kept). Prints the median and spread of ``--rounds`` views of each, with their query counts, and
checks that both views give the same page.

    .venv/bin/python bench/pages_bench.py --db hd_load --rounds 5
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", default="hd_load", help="the load province's PostgreSQL database on 127.0.0.1")
    p.add_argument("--rounds", type=int, default=5)
    return p.parse_args()


ARGS = _args()
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{ARGS.db}"
os.environ.setdefault("CCHC_CACHE_URL", "redis://127.0.0.1:6379/13")
os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.settings"
os.environ.setdefault("CCHC_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("CCHC_REQUEST_LOG", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cchc.accounts.models import User  # noqa: E402
from cchc.indicators.services import mark_stale_functions  # noqa: E402
from cchc.reports.models import Report  # noqa: E402

PROVINCE, DEMO_COMMUNE = "000.00.00.H99", "000.16.21.H42"
_CSRF = re.compile(rb'csrf[^>]*>|X-CSRFToken": "[^"]*"')


def _view(client: Client, url: str) -> tuple[float, int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        ms = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return ms, len(queries), _CSRF.sub(b"", response.content)  # a new CSRF mask in every answer


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _page(label: str, client: Client, url: str) -> None:
    _view(client, url)  # warm: templates, the org graph's first reading
    cold, kept = [], []
    for _ in range(ARGS.rounds):
        mark_stale_functions()  # every version moves: nothing kept is read again
        cold.append(_view(client, url))
        kept.append(_view(client, url))
    same = all(c[2] == k[2] for c, k in zip(cold, kept, strict=True))
    for name, views in (("mọi số tính lại", cold), ("số đã giữ", kept)):
        ms = [v[0] for v in views]
        print(
            f"  {label:<44} {name:<16} trung vị {statistics.median(ms):7.1f} ms "
            f"({min(ms):.0f}–{max(ms):.0f}); {views[0][1]} truy vấn"
        )
    print(f"  {'':<44} hai lần xem cho cùng một trang: {'đúng' if same else 'KHÁC'}")


def main() -> int:
    print(f"Tải máy lúc bắt đầu: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}; {ARGS.rounds} vòng")
    stats_url = f"/ho-so/thong-ke/?don_vi={PROVINCE}&cap_duoi=1&tu=01/01/2025&den=31/12/2025"
    _page("Thống kê 100 xã, 1/1–31/12/2025 (người thẩm định)", _client("sonoivu.h99"), stats_url)
    report = Report.objects.filter(unit__code=DEMO_COMMUNE).order_by("-pk").first()
    _page(f"Báo cáo dự thảo {report.period.code} (công chức xã)", _client("canbo.sontay"), f"/bao-cao/{report.pk}/")
    print(f"Tải máy lúc kết thúc: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
