"""Giới hạn tần suất trên các địa chỉ công khai (đánh giá, tra cứu hồ sơ): a fixed-window counter per
client IP in Django's cache.

The default cache is per process (LocMemCache): right for the one-PC commune install; a province install
with several app servers must set ``CCHC_CACHE_URL=redis://…`` so that every server counts in the same place.

Limits are written "count/seconds" ("60/60", "30/900") in a setting (itself read from the environment in
settings.py); ``FixedWindow.from_setting`` reads it on every use so that a changed setting applies at once.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def parse_limit(raw: str) -> tuple[int, int]:
    """ "30/900" → (30, 900); the seconds default to 60."""
    count, _, seconds = str(raw).strip().partition("/")
    limit, window = int(count), int(seconds or 60)
    if limit < 1 or window < 1:
        raise ValueError(f"Giới hạn tần suất không hợp lệ: “{raw}” (cần dạng số-lần/số-giây, ví dụ 30/900).")
    return limit, window


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind nginx (CCHC_BEHIND_PROXY=1, deploy/nginx/cchc.conf) the X-Real-IP header that
    nginx sets — only when the request comes from an address in CCHC_TRUSTED_PROXIES (default 127.0.0.1),
    since any client can send the header itself. X-Forwarded-For is never read."""
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    if getattr(settings, "CCHC_BEHIND_PROXY", False) and remote in getattr(settings, "CCHC_TRUSTED_PROXIES", ()):
        real = request.META.get("HTTP_X_REAL_IP", "").strip()
        if real:
            return real
    return remote


@dataclass(frozen=True)
class FixedWindow:
    """``limit`` counted events per client per ``seconds``-long window of the clock, under ``scope``.

    ``hit`` counts; ``blocked`` only looks. A caller that counts every request calls ``hit`` and refuses when
    it answers; one that counts only failures (the dossier lookup) asks ``blocked`` first and ``hit``s on a
    failure, so that successes cost nothing.
    """

    scope: str
    limit: int
    seconds: int

    @classmethod
    def from_setting(cls, scope: str, name: str, default: str) -> FixedWindow:
        raw = getattr(settings, name, None) or os.environ.get(name) or default
        limit, seconds = parse_limit(raw)
        return cls(scope, limit, seconds)

    def _key(self, request: HttpRequest | None, who: str | None = None) -> str:
        window = int(time.time() // self.seconds)
        return f"cchc:rl:{self.scope}:{self.seconds}:{who or client_ip(request)}:{window}"

    def _wait(self) -> int:
        return self.seconds - int(time.time()) % self.seconds or 1

    def count(self, request: HttpRequest | None, who: str | None = None) -> int:
        return int(cache.get(self._key(request, who)) or 0)

    def blocked(self, request: HttpRequest) -> int | None:
        """Seconds until the window ends if the client has used up its ``limit``, else None (nothing counted)."""
        return self._wait() if self.count(request) >= self.limit else None

    def blocked_key(self, who: str) -> int | None:
        """``blocked`` for a count kept under a name (an account) rather than the client address."""
        return self._wait() if self.count(None, who) >= self.limit else None

    def hit(self, request: HttpRequest | None, who: str | None = None) -> int | None:
        """Count one event; None while within the limit, else the seconds until the window ends.

        ``who`` counts under another name than the client address (a kiosk device, a unit)."""
        key = self._key(request, who)
        # add() creates the counter only if missing, so concurrent first hits do not reset each other.
        cache.add(key, 0, timeout=self.seconds + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=self.seconds + 5)
            count = 1
        return self._wait() if count > self.limit else None
