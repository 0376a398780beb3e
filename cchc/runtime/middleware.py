"""One JSON line per request on the ``cchc.request`` logger: method, path, status, duration, user, client."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

log = logging.getLogger("cchc.request")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.pid = os.getpid()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.monotonic()
        response = self.get_response(request)
        if not request.path.startswith("/static/"):  # static files: nginx or WhiteNoise, not worth a line each
            user = getattr(request, "user", None)
            log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - start) * 1000, 1),
                    "user": user.pk if user is not None and user.is_authenticated else None,
                    "client": request.META.get("REMOTE_ADDR", ""),
                    "pid": self.pid,
                },
            )
        return response
