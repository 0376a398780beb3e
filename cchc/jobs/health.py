"""/healthz: does this app server reach the database, the shared cache and the job queue?"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.utils.crypto import get_random_string


def _timed(fn) -> tuple[bool, float, str]:
    start = time.monotonic()
    try:
        fn()
    except Exception as exc:  # a health check reports any failure, it never raises
        return False, round((time.monotonic() - start) * 1000, 1), f"{type(exc).__name__}: {exc}"[:200]
    return True, round((time.monotonic() - start) * 1000, 1), ""


def _database() -> None:
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
        cur.fetchone()


def _cache() -> None:
    key, value = f"cchc:healthz:{get_random_string(8)}", get_random_string(8)
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was written")
    cache.delete(key)


def check() -> dict[str, Any]:
    from cchc.jobs import selectors

    report: dict[str, Any] = {}
    queue: dict[str, Any] = {}

    def _queue() -> None:
        queue.update(selectors.queue_state())

    for name, fn in (("database", _database), ("cache", _cache), ("queue", _queue)):
        ok, ms, error = _timed(fn)
        report[name] = {"ok": ok, "ms": ms, **({"error": error} if error else {})}
    report["queue"].update(queue)
    report["ok"] = all(report[name]["ok"] for name in ("database", "cache", "queue"))
    return report
