"""Trang chọn đơn vị và trang đầu của một đơn vị."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from cchc.public import selectors


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "public/index.html", {"desks": selectors.published_desks()})


@require_GET
def unit_home(request: HttpRequest, unit_code: str) -> HttpResponse:
    return redirect("public:catalogue", unit_code=unit_code)
