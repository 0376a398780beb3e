"""Bảng điện tử tại Bộ phận Một cửa: a full-screen page for the TV of the service centre, no login.

The page is loaded once; its content part is fetched again by HTMX every ``CCHC_BOARD_REFRESH_SECONDS``
(30 s; ``?lam-moi=N`` overrides it for one screen). When the network drops the last content stays on the
screen with a small note, and the next successful fetch clears it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cchc.core.siteurl import public_base_url
from cchc.public import figures
from cchc.public.models import ServiceDesk
from cchc.public.views.desk import published_desk

DEFAULT_REFRESH = 30
PAGE_SECONDS = 10  # how long one page of the ready list stays before the next


def refresh_seconds(request: HttpRequest) -> int:
    """Seconds between two fetches: the setting, or ``?lam-moi=N`` (1 s … 1 h) for one screen."""
    default = int(getattr(settings, "CCHC_BOARD_REFRESH_SECONDS", DEFAULT_REFRESH))
    try:
        asked = int(request.GET.get("lam-moi", default))
    except ValueError:
        asked = default
    return min(max(asked, 1), 3600)


def _context(desk: ServiceDesk) -> dict:
    now = timezone.localtime()
    return {"desk": desk, "now": now, **figures.board(desk.unit, now.date())}


@require_GET
@never_cache
@published_desk("board")
def board(request: HttpRequest, desk: ServiceDesk) -> HttpResponse:
    refresh = refresh_seconds(request)
    # Printed on the screen for people to type: the address citizens reach, without the scheme.
    lookup = public_base_url(request).split("://", 1)[-1] + reverse("public:lookup")
    return render(
        request,
        "public/board.html",
        {
            **_context(desk),
            "refresh": refresh,
            "page_seconds": min(PAGE_SECONDS, refresh),
            "lookup_address": lookup,
        },
    )


@require_GET
@never_cache
@published_desk("board_content")
def board_content(request: HttpRequest, desk: ServiceDesk) -> HttpResponse:
    return render(request, "public/_board_content.html", _context(desk))
