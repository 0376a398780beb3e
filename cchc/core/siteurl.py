"""The site's address as citizens reach it, for links printed on paper (the QR code of a receipt)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

FALLBACK = "http://127.0.0.1:8000"


def public_base_url(request: HttpRequest | None = None) -> str:
    """``CCHC_PUBLIC_URL`` when set (the officer's own address may be an intranet name citizens cannot
    reach); else the address of the request that prints; else the demo's local address. No trailing slash."""
    configured = str(getattr(settings, "CCHC_PUBLIC_URL", "") or "").strip().rstrip("/")
    if configured:
        return configured
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return FALLBACK
