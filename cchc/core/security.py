"""En-têtes bảo mật: the headers every response carries, set in one place.

- Content-Security-Policy: scripts only from the product's own static files (no inline script, no eval),
  nothing embeds the product from another site (frame-ancestors), forms post only to the product.
- Permissions-Policy: no camera, microphone, location, payment or USB for any page.
HSTS and the secure-proxy header are Django's own settings, turned on by CCHC_HTTPS (settings.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'"
)
DEFAULT_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = _refuse_nul(request) or self.get_response(request)
        csp = getattr(settings, "CCHC_CONTENT_SECURITY_POLICY", DEFAULT_CSP)
        if csp and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = csp
        policy = getattr(settings, "CCHC_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


NUL_REFUSED = "Tham số của yêu cầu chứa ký tự không hợp lệ (NUL)."


def _refuse_nul(request: HttpRequest) -> HttpResponse | None:
    """A NUL character in the path or the query string is never a real value, and PostgreSQL refuses to
    compare a text with one (a 500 where SQLite answers "not found"): 400 before any view reads it."""
    values = [request.path, *request.GET.keys(), *(v for _, vs in request.GET.lists() for v in vs)]
    if not any("\x00" in v for v in values):
        return None
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": NUL_REFUSED}, status=400)
    return HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain; charset=utf-8")


# ---- login: a cap per account, on top of django-axes' cap per (account, address) ---------------------
def _account_window():
    from cchc.core.ratelimit import FixedWindow

    return FixedWindow.from_setting("login:account", "CCHC_LOGIN_ACCOUNT_LIMIT", "20/900")


def _account_key(username: object) -> str:
    from cchc.core.text import fold

    return "acct:" + fold(str(username or ""))[:150].replace(" ", "_")


class AccountThrottleBackend:
    """First authentication backend: once an account has had ``CCHC_LOGIN_ACCOUNT_LIMIT`` failed logins
    (from any addresses) in the window, every further attempt fails until the window ends — 20 addresses
    no longer get 5 guesses each. PermissionDenied stops Django trying the other backends. It has no
    ``get_user`` on purpose: it never logs anyone in, so no session names it as its backend."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, **kwargs: object) -> None:
        if username and _account_window().blocked_key(_account_key(username)):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("Tài khoản tạm khóa do đăng nhập sai nhiều lần.")
        return None


def count_failed_login(sender: object, credentials: dict, request: HttpRequest | None = None, **kwargs: object) -> None:
    """user_login_failed receiver: one more failure for the account (connected in CoreConfig.ready)."""
    username = credentials.get("username")
    if username:
        _account_window().hit(request, _account_key(username))
