"""The one way a public view finds its unit."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from cchc.public import selectors


def published_desk(view_name: str) -> Callable:
    """Resolve the ``unit_code`` of the URL to its published desk and call ``view(request, desk, …)``.

    The code of a commune merged away redirects (permanently) to the same page of the unit that carries it
    on; a unit without published pages answers 404 exactly like an unknown code.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, unit_code: str, **kwargs) -> HttpResponse:
            found = selectors.public_unit(unit_code)
            if found.moved_to is not None:
                return redirect(f"public:{view_name}", unit_code=found.moved_to.code, permanent=True, **kwargs)
            if found.desk is None:
                raise Http404("Đơn vị này chưa công khai thông tin.")
            return view(request, found.desk, **kwargs)

        return wrapper

    return decorate
