"""Nhật ký thay đổi for people: a page (with an XLSX download) and an API endpoint, for administrators (every
row) and reviewers (rows of the units they see). Filters: unit, user, object, dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.shortcuts import render
from django.views.decorators.http import require_GET
from ninja import Router, Schema
from ninja.errors import HttpError

from cchc.accounts import scope
from cchc.accounts.models import Role
from cchc.api.schemas import ERRORS
from cchc.core.audit import describe
from cchc.core.errors import NotAllowed, ValidationFailed
from cchc.core.models import AuditEvent
from cchc.core.vnformat import VietnameseParseError, parse_date
from cchc.core.xlsx import Column, Kind, xlsx_response
from cchc.org.models import OrgUnit

READERS = {Role.SYSTEM_ADMIN, Role.PROVINCE_REVIEWER, Role.DISTRICT_REVIEWER}
MAX_API_ROWS = 500


def visible_events(user: Any) -> QuerySet[AuditEvent]:
    """Every row for an administrator; a reviewer's rows of the units it sees; others: refused."""
    if not getattr(user, "is_authenticated", False) or (user.role not in READERS and not user.is_superuser):
        raise NotAllowed("Chỉ quản trị hệ thống và người thẩm định xem được nhật ký thay đổi.")
    return scope.scoped(AuditEvent.objects.select_related("unit", "actor"), user, scope.Action.VIEW)


@dataclass
class AuditFilter:
    unit: str = ""
    user: str = ""
    obj: str = ""
    start: date | None = None
    end: date | None = None


def read_filter(params: Any) -> tuple[AuditFilter, list[str]]:
    f, errors = (
        AuditFilter(
            unit=str(params.get("don_vi", "")).strip(),
            user=str(params.get("nguoi", "")).strip(),
            obj=str(params.get("doi_tuong", "")).strip(),
        ),
        [],
    )
    for key, attr in (("tu", "start"), ("den", "end")):
        raw = str(params.get(key, "") or "").strip()
        if raw:
            try:
                setattr(f, attr, parse_date(raw))
            except VietnameseParseError as exc:
                errors.append(str(exc))
    return f, errors


def apply_filter(qs: QuerySet[AuditEvent], f: AuditFilter) -> QuerySet[AuditEvent]:
    if f.unit:
        unit = OrgUnit.objects.filter(code=f.unit).first()
        qs = qs.filter(unit=unit) if unit else qs.none()
    if f.user:
        qs = qs.filter(actor_label__icontains=f.user)
    if f.obj:
        kind, _, pk = f.obj.partition("#")
        qs = qs.filter(Q(object_type__icontains=kind)) if kind else qs
        qs = qs.filter(object_id=pk) if pk else qs
    if f.start:
        qs = qs.filter(at__date__gte=f.start)
    if f.end:
        qs = qs.filter(at__date__lte=f.end)
    return qs


COLUMNS = (
    Column("Thời điểm", Kind.DATE, 18),
    Column("Người thực hiện", width=22),
    Column("Thao tác", width=28),
    Column("Đối tượng", width=28),
    Column("Mã đối tượng", width=14),
    Column("Đơn vị", width=30),
    Column("Chi tiết (cũ → mới)", width=80),
)


def _row(e: AuditEvent) -> tuple:
    return (
        e.at,
        e.actor_label,
        e.verb,
        e.object_type,
        e.object_id,
        e.unit.name if e.unit else "",
        describe(e.data),
    )


@login_required
@require_GET
def audit_page(request):
    """Nhật ký thay đổi: 100 rows a page, newest first; ?dinh_dang=xlsx downloads every filtered row."""
    f, errors = read_filter(request.GET)
    qs = apply_filter(visible_events(request.user), f)
    if request.GET.get("dinh_dang") == "xlsx" and not errors:
        return xlsx_response("nhat-ky-thay-doi.xlsx", "Nhật ký", COLUMNS, (_row(e) for e in qs.iterator()))
    page = Paginator(qs, 100).get_page(request.GET.get("trang"))
    for event in page:
        event.detail = describe(event.data)
    return render(request, "audit/log.html", {"page": page, "f": f, "errors": errors})


# ---- API -------------------------------------------------------------------------------------------------
router = Router(tags=["Nhật ký / audit"])


class AuditOut(Schema):
    at: datetime
    actor: str
    verb: str
    object_type: str
    object_id: str
    unit: str | None
    data: dict


@router.get("/", response={200: list[AuditOut], **ERRORS}, summary="Nhật ký thay đổi (mới nhất trước, tối đa 500 dòng)")
def audit_api(
    request, don_vi: str = "", nguoi: str = "", doi_tuong: str = "", tu: str = "", den: str = ""
) -> list[dict]:
    f, errors = read_filter({"don_vi": don_vi, "nguoi": nguoi, "doi_tuong": doi_tuong, "tu": tu, "den": den})
    if errors:
        raise ValidationFailed(" ".join(errors))
    if not getattr(request.user, "is_authenticated", False):
        raise HttpError(401, "Cần đăng nhập hoặc khóa API.")
    qs = apply_filter(visible_events(request.user), f)[:MAX_API_ROWS]
    return [
        {
            "at": e.at,
            "actor": e.actor_label,
            "verb": e.verb,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "unit": e.unit.code if e.unit else None,
            "data": e.data,
        }
        for e in qs
    ]
