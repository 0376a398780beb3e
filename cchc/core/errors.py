"""The product's errors (lỗi nghiệp vụ): one hierarchy, answered once for every door.

A service raises one of these with a Vietnamese message; it never builds an HTTP response or exits. The
answers are made in one place each:

| error              | meaning                                   | page / API   | ``cchc`` command |
| ------------------ | ----------------------------------------- | ------------ | ---------------- |
| ``ValidationFailed`` | dữ liệu không hợp lệ (``field`` names it) | 400          | exit 1           |
| ``Conflict``       | người khác vừa sửa: nothing was saved      | 409          | exit 1           |
| ``NotAllowed``     | không có quyền                            | 403          | exit 1           |
| ``NotFound``       | không tìm thấy (or outside the user's view) | 404          | exit 1           |

Pages: ``ErrorPageMiddleware`` below (settings.MIDDLEWARE). API: the handler in ``cchc/api/api.py``
(``{"detail": message}``). Commands: ``cchc.cli.main`` (``CommandError: message`` on stderr).
A view that wants to show the error inside its own page (a form, an HTMX fragment) still catches it.

``NotAllowed`` and ``NotFound`` are also Django's ``PermissionDenied`` and ``Http404``, so code and tests
that catch those keep working.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404


class CchcError(Exception):
    """Base of the product's errors; ``message`` is Vietnamese and shown as it is."""

    status = 400  # the HTTP answer
    exit_code = 1  # the ``cchc`` command's exit status
    default_message = "Yêu cầu không hợp lệ."

    def __init__(self, message: str = "") -> None:
        self.message = message or self.default_message
        super().__init__(self.message)

    @property
    def messages(self) -> list[str]:
        """Like Django's ``ValidationError.messages``, so a view can join either kind the same way."""
        return [self.message]


class ValidationFailed(CchcError, ValueError):
    """Dữ liệu không hợp lệ. ``field`` names the input field (or "" for the whole form)."""

    status = 400
    default_message = "Dữ liệu không hợp lệ."

    def __init__(self, message: str = "", *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class FieldError(ValidationFailed):
    """``ValidationFailed`` with the field first: ``FieldError("title", "Cần nhập tiêu đề.")`` (the services
    of plans, directives, inspections, news and feedback raise it by this name)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)


class Conflict(CchcError):
    """Người khác đã sửa trước (an optimistic-lock clash): nothing was saved. ``current`` optionally carries
    the record as the other person left it, so the page can show it."""

    status = 409
    default_message = "Người khác vừa sửa dữ liệu này; hãy tải lại trang."

    def __init__(self, message: str = "", current: Any = None) -> None:
        super().__init__(message)
        self.current = current


class NotAllowed(CchcError, PermissionDenied):
    """Không có quyền: the user sees the record but may not do this."""

    status = 403
    default_message = "Tài khoản không có quyền thực hiện thao tác này."


class NotFound(CchcError, Http404):
    """Không tìm thấy — also for records outside what the user may see (their ids reveal nothing)."""

    status = 404
    default_message = "Không tìm thấy."


def add_to_form(form: Any, exc: ValidationFailed) -> None:
    """Show ``exc`` on ``form``: next to its field when the form has it, otherwise above the form."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


# ---- the one page answer -----------------------------------------------------------------------------
_TEMPLATES = {400: "400.html", 403: "403.html", 404: "404.html", 409: "409.html"}


class ErrorPageMiddleware:
    """A ``CchcError`` that leaves a view becomes the product's error page with its status and message
    (an HTMX request gets the message alone, to show where it asked)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        return self.get_response(request)

    def process_exception(self, request: Any, exception: Exception) -> Any:
        if not isinstance(exception, CchcError):
            return None
        return error_response(request, exception)


def error_response(request: Any, exc: CchcError) -> Any:
    """The page (or, for HTMX, the text) answering ``exc``."""
    from django.http import HttpResponse
    from django.shortcuts import render

    if getattr(request, "htmx", False):
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
    template = _TEMPLATES.get(exc.status, "400.html")
    context = {"message": exc.message, "exception": exc.message}
    return render(request, template, context, status=exc.status)
