"""Kiểm tra khi khởi động: a production server never runs with a public or weak secret key.

The repository's key is public: with it anyone forges session cookies, password-reset links and the signed
rating links of the kiosk (issue 13: a rating token was forged offline and accepted). Debug or demo
installs may use it; production (CCHC_DEBUG and CCHC_DEMO off) may not.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

# The key written in settings.py for demo installs; kept here so that the check recognises it.
REPOSITORY_SECRET_KEY = "cchc-demo-only-insecure-key-change-me-0123456789abcdef"
MIN_LENGTH = 50
MIN_DISTINCT = 5


def secret_key_problem() -> str | None:
    """Why the configured key is unfit for production, or None (always None in debug or demo mode)."""
    if settings.DEBUG or getattr(settings, "CCHC_DEMO_MODE", False):
        return None
    try:
        key = str(settings.SECRET_KEY or "")
    except ImproperlyConfigured:  # Django refuses an empty key itself, in English
        key = ""
    if not key.strip():
        return "CCHC_SECRET_KEY trống."
    if key == REPOSITORY_SECRET_KEY or key.startswith("django-insecure-"):
        return "CCHC_SECRET_KEY chưa đặt: đang dùng khóa công khai trong mã nguồn."
    if len(key) < MIN_LENGTH or len(set(key)) < MIN_DISTINCT:
        return f"CCHC_SECRET_KEY quá ngắn hoặc quá đơn giản (cần ít nhất {MIN_LENGTH} ký tự ngẫu nhiên)."
    return None


HINT = (
    "Tạo khóa: python -c 'import secrets; print(secrets.token_urlsafe(50))' rồi đặt CCHC_SECRET_KEY "
    "trong môi trường của dịch vụ (chỉ máy thử mới dùng CCHC_DEBUG=1 hoặc CCHC_DEMO=1)."
)


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    problem = secret_key_problem()
    return [checks.Error(problem, hint=HINT, id="cchc.E001")] if problem else []


def refuse_insecure_start() -> None:
    """Called when the web application starts (wsgi.py): a production server does not start at all."""
    problem = secret_key_problem()
    if problem:
        raise ImproperlyConfigured(f"{problem} {HINT}")
