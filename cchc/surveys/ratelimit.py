"""Giới hạn số lần gửi trên các địa chỉ công khai (màn hình đánh giá, đường dẫn đánh giá).

A fixed window counter per client IP in Django's cache. The default cache is per process
(LocMemCache): right for the one-PC commune install; a province install with several app servers
must set ``CCHC_CACHE_URL=redis://…`` so that every server counts in the same place.

The limit is ``CCHC_SURVEY_RATE_LIMIT`` in settings, else in the environment ("requests/seconds",
default 60/60): a busy
counter gives a rating every minute or two, and an offline queue replayed at once stays well under it.
"""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMIT = "60/60"


def _limit() -> tuple[int, int]:
    raw = str(getattr(settings, "CCHC_SURVEY_RATE_LIMIT", None) or os.environ.get("CCHC_SURVEY_RATE_LIMIT")
              or DEFAULT_LIMIT)
    count, _, seconds = raw.partition("/")
    return int(count), int(seconds or 60)


def client_ip(request) -> str:
    """REMOTE_ADDR: behind a reverse proxy, the proxy must pass the real address (e.g. nginx's
    real_ip module); X-Forwarded-For is not trusted here because any client can send it."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def hit(request, scope: str) -> int | None:
    """Count one request; None if allowed, else the seconds until the window ends."""
    limit, seconds = _limit()
    window = int(time.time() // seconds)
    key = f"cchc:surveys:rl:{scope}:{client_ip(request)}:{window}"
    # add() creates the counter only if missing, so concurrent first hits do not reset each other.
    cache.add(key, 0, timeout=seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 5)
        count = 1
    if count > limit:
        return seconds - int(time.time()) % seconds or 1
    return None
