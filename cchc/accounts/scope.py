"""Phạm vi truy cập: which units a user may touch for an action. Every selector and service asks here.

The reach of a role:
- *subtree*: the home unit, every unit that hung under it at any date, and their predecessors — a
  province reviewer reads the 2021 districts; a merged commune's officer reads its predecessors' records.
- *own*: the home unit and its sections (Bộ phận Một cửa, phòng ban) — where a user writes.
- *all*: everything (system administrator).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.core.params import parse_int
from cchc.org.models import Level, OrgUnit
from cchc.org.selectors import OrgGraph, load_graph

if TYPE_CHECKING:
    from cchc.accounts.models import User


class Action(StrEnum):
    VIEW = "view"  # xem
    EDIT = "edit"  # nhập, sửa hồ sơ và số liệu của đơn vị mình
    REVIEW = "review"  # thẩm định, tiếp nhận, trả lại báo cáo của đơn vị cấp dưới
    SIGN = "sign"  # ký duyệt
    ADMIN = "admin"  # quản trị danh mục, người dùng


ALL, SUBTREE, OWN = "all", "subtree", "own"

ROLE_REACH: dict[str, dict[Action, str]] = {
    Role.SYSTEM_ADMIN: {a: ALL for a in Action},
    Role.PROVINCE_REVIEWER: {Action.VIEW: SUBTREE, Action.REVIEW: SUBTREE, Action.EDIT: OWN},
    Role.DISTRICT_REVIEWER: {Action.VIEW: SUBTREE, Action.REVIEW: SUBTREE, Action.EDIT: OWN},
    Role.COMMUNE_OFFICER: {Action.VIEW: SUBTREE, Action.EDIT: OWN},
    Role.ONE_STOP_CLERK: {Action.VIEW: SUBTREE, Action.EDIT: OWN},
    Role.LEADER: {Action.VIEW: SUBTREE, Action.SIGN: OWN},
}


def governing_unit_id(graph: OrgGraph, unit_id: int) -> int:
    """The unit a user really works for: a section (Sở Nội vụ, Bộ phận Một cửa) works for the
    province or commune it belongs to, on the last day the section existed."""
    unit = graph.units[unit_id]
    day = unit.valid_to or timezone.localdate()
    while unit.level == Level.SECTION:
        parent = graph.parent_on(unit.pk, day)
        if parent is None:
            break
        unit = parent
    return unit.pk


def _subtree(graph: OrgGraph, unit_id: int) -> set[int]:
    units = graph.descendants_ever(unit_id)
    for predecessor in graph.predecessors_ever(unit_id):
        units |= graph.descendants_ever(predecessor)
    return units


def _own(graph: OrgGraph, unit_id: int) -> set[int]:
    """The unit and the sections *inside* it (sections of its sections too), never a unit below nor the
    sections of a unit below: a province's Sở Nội vụ is its own, a commune's Bộ phận Một cửa is not."""
    found, stack = {unit_id}, [unit_id]
    while stack:
        node = stack.pop()
        for child, _start, _end in graph.children_during(node, date.min, date.max):
            if child.level == Level.SECTION and child.pk not in found:
                found.add(child.pk)
                stack.append(child.pk)
    return found


def unit_ids_own(graph: OrgGraph, unit_id: int) -> set[int]:
    """A unit and its sections (Bộ phận Một cửa, phòng ban): where the people working for it sit."""
    return _own(graph, unit_id)


def _writable(graph: OrgGraph, unit_id: int) -> set[int]:
    """Where a user of ``unit_id`` writes: its own units that still exist — an ended unit is read-only
    (the district reviewer of a district that ended on 30/6/2025 writes nothing)."""
    today = timezone.localdate()
    return {
        uid for uid in _own(graph, unit_id) if graph.units[uid].valid_to is None or graph.units[uid].valid_to >= today
    }


def unit_ids(user: User, action: Action, graph: OrgGraph | None = None) -> frozenset[int] | None:
    """The ids of the units ``user`` may touch for ``action``; None means every unit.

    Only a :class:`~cchc.accounts.actors.SystemActor` (a command run on the server, the demo loader) reaches
    every unit: whoever runs ``cchc`` on the server already holds the database. ``None`` and anonymous users
    reach nothing. A plain string such as ``"cchc demo"`` is refused with a TypeError (issue 12, item 7): a
    name typed where a user was meant must never open every unit."""
    if isinstance(user, SystemActor):
        return None
    if isinstance(user, str):
        raise TypeError(
            f"Tác nhân là một chuỗi ({user!r}): truyền người dùng hoặc SystemActor({user!r}) "
            "(cchc.accounts.actors), không truyền tên."
        )
    if user is None:
        return frozenset()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cache: dict[Action, frozenset[int] | None] = user.__dict__.setdefault("_cchc_scope_cache", {})
    if action in cache:
        return cache[action]
    reach = ROLE_REACH.get(user.role, {}).get(action)
    if reach == ALL or (user.is_superuser and user.role == Role.SYSTEM_ADMIN):
        ids: frozenset[int] | None = None
    elif reach is None or user.unit_id is None:
        ids = frozenset()
    else:
        graph = graph or load_graph()
        home = governing_unit_id(graph, user.unit_id)
        ids = frozenset(_subtree(graph, home) if reach == SUBTREE else _writable(graph, home))
    cache[action] = ids
    return ids


def can(user: User, action: Action, unit: OrgUnit | int) -> bool:
    ids = unit_ids(user, action)
    unit_id = unit if isinstance(unit, int) else unit.pk
    return ids is None or unit_id in ids


def visible_units(user: User, action: Action = Action.VIEW) -> QuerySet[OrgUnit]:
    ids = unit_ids(user, action)
    qs = OrgUnit.objects.all()
    return qs if ids is None else qs.filter(pk__in=ids)


def scoped(qs: QuerySet[Any], user: User, action: Action = Action.VIEW, unit_field: str = "unit") -> QuerySet[Any]:
    """Filter any queryset of unit-owned records down to what ``user`` may touch."""
    ids = unit_ids(user, action)
    if ids is None:
        return qs
    if unit_field == "pk":
        return qs.filter(pk__in=ids)
    return qs.filter(**{f"{unit_field}__in": ids})


def access(
    qs: QuerySet[Any], user: User, action: Action = Action.VIEW, unit_field: str = "unit", **lookup: Any
) -> Model:
    """Return the one record matching ``lookup`` if ``user`` may do ``action`` on it.

    A record the user may not even see answers 404 like a missing one, so ids of other units leak
    nothing; one the user sees but may not change answers 403.
    """
    try:
        obj = scoped(qs, user, Action.VIEW, unit_field).get(**lookup)
    except qs.model.DoesNotExist as exc:
        raise Http404("Không tìm thấy.") from exc
    if action != Action.VIEW:
        require(user, action, _unit_id_of(obj, unit_field))
    return obj


def _unit_id_of(obj: Model, unit_field: str) -> int:
    """The unit id behind ``unit_field``, which may follow relations (``plan__unit``)."""
    if unit_field == "pk":
        return obj.pk
    *path, last = unit_field.split("__")
    for name in path:
        obj = getattr(obj, name)
    return getattr(obj, f"{last}_id")


def require(user: User, action: Action, unit: OrgUnit | int) -> None:
    """Raise PermissionDenied (403) when ``user`` may see ``unit`` but not do ``action`` there."""
    if not can(user, action, unit):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này với đơn vị này.")


def access_unit(user: User, unit_id: int | str, action: Action = Action.VIEW) -> OrgUnit:
    """The unit with this id (or code) if the user may see it (404 otherwise) and act on it (403)."""
    # parse_int, not str.isdigit(): "²" is a digit to Python but no integer to int() (a 500 before)
    pk = unit_id if isinstance(unit_id, int) else parse_int(unit_id)
    lookup = {"pk": pk} if pk is not None else {"code": unit_id}
    return access(OrgUnit.objects.all(), user, action, unit_field="pk", **lookup)
