"""Màn hình sổ phản ánh, kiến nghị."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.accounts import scope
from cchc.accounts.middleware import current_unit_of
from cchc.core.downloads import Column, Kind, table_download, wants_xlsx
from cchc.core.errors import add_to_form
from cchc.core.params import parse_int
from cchc.feedback import selectors, services
from cchc.feedback.forms import FeedbackForm
from cchc.feedback.models import STATUS_LABELS


@login_required
def index(request):
    unit = current_unit_of(request)
    today = timezone.localdate()
    status, q = request.GET.get("tt", ""), request.GET.get("q", "").strip()
    year = request.GET.get("nam", "")
    base = selectors.items_for(request.user, unit=unit, year=parse_int(year, minimum=1900, maximum=2200), q=q)
    counts = {key: selectors.filter_status(base, key, today).count() for key in STATUS_LABELS}
    items = selectors.filter_status(base, status, today) if status in STATUS_LABELS else base
    if wants_xlsx(request):
        return _xlsx(items, today, unit)
    rows = [(i, i.status(today), i.status_label(today)) for i in items[:500]]
    return render(
        request,
        "feedback/index.html",
        {
            "unit": unit,
            "rows": rows,
            "total": base.count(),
            "counts": counts,
            "labels": STATUS_LABELS,
            "tt": status,
            "q": q,
            "year": year,
            "can_edit": unit is not None and scope.can(request.user, scope.Action.EDIT, unit),
        },
    )


FEEDBACK_COLUMNS = (
    Column("Ngày tiếp nhận", Kind.DATE, 14),
    Column("Hình thức", width=14),
    Column("Cá nhân, tổ chức", width=24),
    Column("Nội dung phản ánh, kiến nghị", width=60),
    Column("Bộ phận, người xử lý", width=22),
    Column("Hạn xử lý", Kind.DATE, 14),
    Column("Chuyển đến", width=22),
    Column("Ngày chuyển", Kind.DATE, 14),
    Column("Kết quả xử lý, trả lời", width=50),
    Column("Ngày trả lời", Kind.DATE, 14),
    Column("Tình trạng", width=18),
    Column("Cách xử lý", width=20),
    Column("Hài lòng", width=10),
    Column("Mã hồ sơ liên quan", width=28),
)
SATISFIED = {True: "Có", False: "Không", None: ""}


def _xlsx(items, today, unit):
    """Every feedback item of the filtered list (no 500-row cut) as XLSX."""
    rows = (
        (
            i.received_on,
            i.channel_name,
            i.citizen_name,
            i.content,
            i.responsible,
            i.deadline,
            i.forwarded_to,
            i.forwarded_on,
            i.answer,
            i.answered_on,
            i.status_label(today),
            i.get_handling_display(),
            SATISFIED[i.satisfied],
            i.dossier_code,
        )
        for i in items.order_by("-received_on", "-pk").iterator(chunk_size=2000)
    )
    title = f"PHẢN ÁNH, KIẾN NGHỊ — {unit.name}" if unit is not None else "PHẢN ÁNH, KIẾN NGHỊ"
    return table_download("Phản ánh kiến nghị", FEEDBACK_COLUMNS, rows, title=title)


def _data(cd) -> services.FeedbackData:
    return services.FeedbackData(
        **{
            k: (cd[k] if cd[k] is not None else None)
            if k in ("received_on", "deadline", "forwarded_on", "answered_on", "about_admin_rule", "satisfied")
            else (cd[k] or "")
            for k in services.FeedbackData.__dataclass_fields__
        }
    )


@login_required
def create(request):
    unit = current_unit_of(request)
    if unit is None:
        raise Http404("Chưa chọn đơn vị.")
    scope.require(request.user, scope.Action.EDIT, unit)
    form = FeedbackForm(request.POST or None, initial={"received_on": timezone.localdate(), "about_admin_rule": True})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.save_item(request.user, unit, _data(form.cleaned_data))
        except services.FeedbackError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"Đã vào sổ phản ánh, hạn xử lý {item.deadline:%d/%m/%Y}.")
            return redirect("feedback:index")
    return render(request, "feedback/form.html", {"form": form, "unit": unit})


@login_required
def edit(request, item_id: int):
    item = selectors.get_item(request.user, item_id)
    can_edit = scope.can(request.user, scope.Action.EDIT, item.unit)
    initial = {k: getattr(item, k) for k in services.FeedbackData.__dataclass_fields__}
    form = FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST":
        scope.require(request.user, scope.Action.EDIT, item.unit)
        if form.is_valid():
            try:
                services.save_item(request.user, item.unit, _data(form.cleaned_data), item=item)
            except services.FeedbackError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, "Đã lưu.")
                return redirect("feedback:index")
    today = timezone.localdate()
    return render(
        request,
        "feedback/form.html",
        {"form": form, "unit": item.unit, "item": item, "can_edit": can_edit, "status": item.status_label(today)},
    )


@login_required
@require_POST
def delete(request, item_id: int):
    item = selectors.get_item(request.user, item_id, scope.Action.EDIT)
    services.delete_item(request.user, item)
    messages.success(request, "Đã xóa phản ánh.")
    return redirect("feedback:index")
