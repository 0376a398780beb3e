"""What the dossier screens share: a date typed in a filter, the unit the counter works for."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied

from cchc.accounts import scope
from cchc.core.vnformat import VietnameseParseError, parse_date
from cchc.org.models import Level, OrgUnit


def query_date(raw: str | None) -> date | None:
    """A date typed in a filter (dd/mm/yyyy); a blank or unreadable one filters nothing."""
    try:
        return parse_date(raw) if raw and raw.strip() else None
    except VietnameseParseError:
        return None


def work_unit(request) -> OrgUnit:
    """The unit the counter works for: the current unit, or the governing unit of a section."""
    unit = getattr(request, "current_unit", None) or request.user.unit
    if unit is None:
        raise PermissionDenied("Tài khoản chưa gắn với đơn vị.")
    if unit.level == Level.SECTION:
        from cchc.org.selectors import load_graph

        unit = OrgUnit.objects.get(pk=scope.governing_unit_id(load_graph(), unit.pk))
    return unit
