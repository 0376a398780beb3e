"""Màn hình tin, bài tuyên truyền CCHC."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.accounts import scope
from cchc.accounts.middleware import current_unit_of
from cchc.core.errors import add_to_form
from cchc.core.params import parse_int
from cchc.news import selectors, services
from cchc.news.forms import ItemForm, QuotaForm
from cchc.news.models import Channel, NewsKind


def _int(value: str) -> int | None:
    return parse_int(value, maximum=9999)  # a year or a month; junk or 20 digits = not given


@login_required
def index(request):
    unit = current_unit_of(request)
    today = timezone.localdate()
    year = _int(request.GET.get("nam", "")) or today.year
    month = _int(request.GET.get("thang", ""))
    channel, kind, q = request.GET.get("noi", ""), request.GET.get("loai", ""), request.GET.get("q", "").strip()
    items = selectors.items_for(request.user, unit=unit, year=year, month=month, channel=channel, kind=kind, q=q)
    months = selectors.monthly_counts(unit, year, today) if unit is not None else []
    return render(
        request,
        "news/index.html",
        {
            "unit": unit,
            "items": items[:500],
            "total": items.count(),
            "year": year,
            "month": month or "",
            "noi": channel,
            "loai": kind,
            "q": q,
            "months": months,
            "quota": selectors.quota_for(unit, year) if unit else None,
            "channels": Channel.choices,
            "kinds": NewsKind.choices,
            "can_edit": unit is not None and scope.can(request.user, scope.Action.EDIT, unit),
        },
    )


def _data(cd) -> services.ItemData:
    return services.ItemData(
        title=cd["title"],
        published_on=cd["published_on"],
        kind=cd["kind"],
        channel=cd["channel"],
        link=cd["link"] or "",
        author=cd["author"] or "",
    )


@login_required
def create(request):
    unit = current_unit_of(request)
    if unit is None:
        raise Http404("Chưa chọn đơn vị.")
    scope.require(request.user, scope.Action.EDIT, unit)
    form = ItemForm(request.POST or None, initial={"published_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_item(request.user, unit, _data(form.cleaned_data))
        except services.NewsError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Đã ghi tin, bài.")
            return redirect("news:index")
    return render(request, "news/form.html", {"form": form, "unit": unit})


@login_required
def edit(request, item_id: int):
    item = selectors.get_item(request.user, item_id, scope.Action.EDIT)
    initial = {k: getattr(item, k) for k in ("title", "kind", "published_on", "channel", "link", "author")}
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_item(request.user, item.unit, _data(form.cleaned_data), item=item)
        except services.NewsError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Đã lưu.")
            return redirect("news:index")
    return render(request, "news/form.html", {"form": form, "unit": item.unit, "item": item})


@login_required
@require_POST
def delete(request, item_id: int):
    item = selectors.get_item(request.user, item_id, scope.Action.EDIT)
    services.delete_item(request.user, item)
    messages.success(request, "Đã xóa tin, bài.")
    return redirect("news:index")


@login_required
def quota(request):
    unit = current_unit_of(request)
    if unit is None:
        raise Http404("Chưa chọn đơn vị.")
    scope.require(request.user, scope.Action.EDIT, unit)
    year = timezone.localdate().year
    form = QuotaForm(request.POST or None, initial={"year": year, "per_month": selectors.quota_for(unit, year) or 0})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_quota(request.user, unit, **form.cleaned_data)
        except services.NewsError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Đã đặt chỉ tiêu tin, bài.")
            return redirect("news:index")
    return render(request, "news/quota.html", {"form": form, "unit": unit})
