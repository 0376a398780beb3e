"""/api/org: units and the tree on a date, within the caller's scope (in accounts, above org: org imports
nothing of accounts)."""

from datetime import date

from django.utils import timezone
from ninja import Router, Schema

from cchc.accounts import scope
from cchc.accounts.org_views import visible_tree
from cchc.api.schemas import ERRORS
from cchc.org import selectors

router = Router(tags=["Đơn vị / org units"])


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    level: str
    valid_from: date
    valid_to: date | None


class TreeNodeOut(Schema):
    code: str
    name: str
    level: str
    children: list["TreeNodeOut"]


class UnitDetailOut(UnitOut):
    parents: list[dict]
    successors: list[UnitOut]


def _node(node) -> dict:
    return {
        "code": node.unit.code,
        "name": node.unit.name,
        "level": node.unit.level,
        "children": [_node(c) for c in node.children],
    }


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="Đơn vị tồn tại vào một ngày")
def units(request, on: date | None = None, level: str | None = None):
    day = on or timezone.localdate()
    qs = scope.visible_units(request.user).valid_on(day).order_by("code")
    return list(qs.filter(level=level) if level else qs)


@router.get("/units/{code}", response={200: UnitDetailOut, **ERRORS}, summary="Một đơn vị, cấp trên theo thời kỳ")
def unit(request, code: str):
    found = scope.access_unit(request.user, code)
    profile = selectors.unit_profile(found, timezone.localdate())
    periods = profile["parent_periods"]
    return {
        **UnitOut.from_orm(found).model_dump(),
        "parents": [{"code": p.code, "valid_from": start, "valid_to": end} for p, start, end in periods],
        "successors": profile["current_successors"],
    }


@router.get("/tree", response={200: list[TreeNodeOut], **ERRORS}, summary="Cây đơn vị tại một ngày")
def tree(request, on: date | None = None):
    return [_node(n) for n in visible_tree(request.user, on or timezone.localdate())]
