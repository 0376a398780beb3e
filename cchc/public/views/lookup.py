"""Tra cứu tiến độ hồ sơ: the dossier code and the mã tra cứu printed on the receipt (form 01).

Dossier codes are guessable, so the code alone shows nothing, and every failure — unknown code, wrong key,
no key — gets one and the same answer. Failed lookups are counted per client address
(``CCHC_LOOKUP_RATE_LIMIT``, default 30 per 15 minutes); past the limit every lookup, even a right one,
is refused without looking at the code until the window ends. Successful lookups cost nothing.

No CSRF token: the page must send ``Referrer-Policy: no-referrer`` (the QR link carries the key), and under
that policy browsers send ``Origin: null`` with the form's POST, which Django's CSRF check refuses (and over
HTTPS it would demand a Referer that is never sent). The token would protect nothing here anyway: the same
lookup is a plain GET by design (the QR link), no session or account is involved, and a foreign page can
neither read the answer (no CORS) nor frame it (X-Frame-Options DENY). The POST only keeps what people type
out of the address bar, the history and the server's access log.
"""

from __future__ import annotations

import math

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cchc.core.ratelimit import FixedWindow
from cchc.dossiers.progress import DossierProgress, lookup_dossier
from cchc.public import selectors
from cchc.public.models import ServiceDesk

RATE_LIMIT_DEFAULT = "30/900"
NOT_FOUND = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này. Ông/bà kiểm tra lại hai mã in trên giấy tiếp nhận."
MAX_TYPED = 100  # longer than any code or key: echoed back into the form, nothing more


def limiter() -> FixedWindow:
    return FixedWindow.from_setting("public:lookup", "CCHC_LOOKUP_RATE_LIMIT", RATE_LIMIT_DEFAULT)


def _desk_of(progress: DossierProgress) -> ServiceDesk | None:
    """The published desk where the result is collected: the dossier's unit's, or its successor's when
    the commune was merged away since."""
    found = selectors.public_unit(progress.unit_code)
    if found.desk is None and found.moved_to is not None:
        return ServiceDesk.objects.filter(unit=found.moved_to, published=True).select_related("unit").first()
    return found.desk


@csrf_exempt
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """The form; a POST, or a GET carrying ``ma`` (the receipt's QR link: ``?ma=…&khoa=…``), looks up."""
    data = request.POST if request.method == "POST" else request.GET
    code = data.get("ma", "").strip()[:MAX_TYPED]
    key = data.get("khoa", "").strip()[:MAX_TYPED]
    context: dict = {"section": "lookup", "code": code, "key": key}
    status = 200
    if request.method == "POST" or "ma" in request.GET:
        window = limiter()
        wait = window.blocked(request)
        if wait is not None:
            minutes = max(1, math.ceil(wait / 60))
            context["throttled"] = (
                f"Ông/bà đã nhập sai quá nhiều lần. Xin thử lại sau {minutes} phút, "
                "hoặc liên hệ Bộ phận Một cửa nơi nộp hồ sơ."
            )
            status = 429
        else:
            progress = lookup_dossier(code, key)
            if progress is None:
                window.hit(request)
                context["not_found"] = NOT_FOUND
            else:
                context.update(progress=progress, desk=_desk_of(progress))
    response = render(request, "public/lookup.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(wait)
    # The page may show a dossier's progress: never kept by a shared browser's or a proxy's cache, never
    # leaked through the Referer (the QR link carries the key), never indexed.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
