"""Kết quả giải quyết hồ sơ của một đơn vị, theo năm, quý, tháng: bảng và biểu đồ, không cần đăng nhập."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cchc.public import figures
from cchc.public.models import ServiceDesk
from cchc.public.views.desk import published_desk


@require_GET
@published_desk("results")
def results(request: HttpRequest, desk: ServiceDesk) -> HttpResponse:
    today = timezone.localdate()
    unit = desk.unit
    first = min(figures.first_year(unit), today.year)
    error = ""
    try:
        period = figures.choose_period(request.GET.get("nam"), request.GET.get("ky"), today, first)
    except figures.PeriodChoiceError as exc:
        error, period = str(exc), figures.choose_period(None, None, today, first)
    data = figures.results(unit, period)
    return render(
        request,
        "public/results.html",
        {
            "desk": desk,
            "section": "results",
            "period": period,
            "error": error,
            "today": today,
            "years": list(range(today.year, first - 1, -1)),
            "parts": figures.PARTS,
            **data,
        },
    )
