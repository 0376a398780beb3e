"""Đọc chung cho các trang công khai: đơn vị nào có trang, tìm đơn vị theo mã."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from cchc.org.models import OrgUnit
from cchc.org.selectors import successors_of
from cchc.public.models import ServiceDesk


def published_desks(on: date | None = None) -> QuerySet[ServiceDesk]:
    """The desks citizens can choose from today: published, of units that still exist."""
    on = on or timezone.localdate()
    units = OrgUnit.objects.valid_on(on)
    return ServiceDesk.objects.filter(published=True, unit__in=units).select_related("unit").order_by("unit__name")


@dataclass(frozen=True)
class PublicUnit:
    """Đơn vị trên trang công khai; ``moved_to`` is set when the code is of a unit that was merged away."""

    unit: OrgUnit | None
    desk: ServiceDesk | None
    moved_to: OrgUnit | None = None


def public_unit(code: str, on: date | None = None) -> PublicUnit:
    """The unit behind ``code`` on the public pages.

    A bookmark or a poster may carry the code of a commune merged on 1/7/2025: the page then points to the
    unit that carries it on (``moved_to``) instead of a bare "not found".
    """
    on = on or timezone.localdate()
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        return PublicUnit(None, None)
    if unit.valid_to is not None and unit.valid_to < on:
        successors = successors_of(unit, on)
        return PublicUnit(unit, None, moved_to=successors[0] if len(successors) == 1 else None)
    desk = ServiceDesk.objects.filter(unit=unit, published=True).first()
    return PublicUnit(unit, desk)
