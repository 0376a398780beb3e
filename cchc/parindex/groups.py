"""Nhóm xếp hạng: provinces rank communes within groups and publish both the group rank and the overall rank.

A set declares its groups in its data file (``groups:``):

- ``{by: former_district}`` — by the district each commune belonged to on the last day of the set's year,
  read from the dated org tree (``cchc.org.selectors``); for years from 2025 on, a set can still name the
  day with ``on: 2025-06-30`` (the tree before the two-tier reform);
- ``{by: unit_type}`` — by the unit's kind (Xã, Phường, Thị trấn, Đặc khu); ``names`` may relabel a kind;
- ``{by: list, groups: [{name: Nhóm I, units: [code, …]}, …]}`` — the groups the decision lists.

Ranks are competition ranks (1, 2, 2, 4) on the index with two decimals, among the finalised units.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any


class GroupBy(StrEnum):
    FORMER_DISTRICT = "former_district"
    UNIT_TYPE = "unit_type"
    LIST = "list"


GROUP_LABELS = {
    GroupBy.FORMER_DISTRICT: "theo đơn vị hành chính cấp huyện (cũ)",
    GroupBy.UNIT_TYPE: "theo loại hình đơn vị (xã, phường, đặc khu)",
    GroupBy.LIST: "theo nhóm trong quyết định",
}


def parse_groups(raw: Any, error: Callable[[str, Any, str], None]) -> dict:
    """Validate a ``groups:`` declaration; ``error(field, value, message)`` collects the problems."""
    if not raw:
        return {}
    if not isinstance(raw, dict) or raw.get("by") not in set(GroupBy):
        error("groups.by", raw, "nhóm xếp hạng là {by: former_district | unit_type | list}.")
        return {}
    out: dict[str, Any] = {"by": raw["by"]}
    if raw.get("on"):
        try:
            out["on"] = date.fromisoformat(str(raw["on"])).isoformat()
        except ValueError:
            error("groups.on", raw["on"], "ngày theo dạng 2025-06-30.")
    if raw["by"] == GroupBy.UNIT_TYPE and isinstance(raw.get("names"), dict):
        out["names"] = {str(k): str(v) for k, v in raw["names"].items()}
    if raw["by"] == GroupBy.LIST:
        groups = raw.get("groups")
        if not isinstance(groups, list) or not groups:
            error("groups.groups", groups, "cần danh sách nhóm [{name: Nhóm I, units: [mã đơn vị, …]}].")
            return {}
        seen: dict[str, str] = {}
        clean = []
        for i, g in enumerate(groups, 1):
            if not isinstance(g, dict) or not g.get("name") or not isinstance(g.get("units"), list):
                error(f"groups.groups[{i}]", g, "mỗi nhóm có name và units (danh sách mã đơn vị).")
                continue
            for code in g["units"]:
                if str(code) in seen:
                    error(f"groups.groups[{i}].units", code, f"đơn vị đã thuộc nhóm “{seen[str(code)]}”.")
                seen[str(code)] = str(g["name"])
            clean.append({"name": str(g["name"]), "units": [str(c) for c in g["units"]]})
        out["groups"] = clean
    return out


def group_day(framework) -> date:
    on = (framework.groups or {}).get("on")
    return date.fromisoformat(on) if on else date(framework.year, 12, 31)


def group_names(framework, units: Iterable[Any]) -> dict[int, str]:
    """The ranking group of each unit (by pk); units outside every listed group get no entry."""
    spec = framework.groups or {}
    by = spec.get("by")
    units = list(units)
    if by == GroupBy.FORMER_DISTRICT:
        from cchc.org.models import Level
        from cchc.org.selectors import load_graph

        graph = load_graph()
        day = group_day(framework)
        out = {}
        for u in units:
            district = next((a for a in graph.ancestors_on(u.pk, day) if a.level == Level.DISTRICT), None)
            if district is not None:
                out[u.pk] = district.name
        return out
    if by == GroupBy.UNIT_TYPE:
        names = spec.get("names") or {}
        return {u.pk: names.get(u.kind, u.kind) for u in units if u.kind}
    if by == GroupBy.LIST:
        where = {code: g["name"] for g in spec.get("groups", []) for code in g["units"]}
        return {u.pk: where[u.code] for u in units if u.code in where}
    return {}


def competition_ranks(values: list[tuple[Any, Decimal]]) -> dict[Any, int]:
    """Rank keys by value, highest first; equal values share a rank and the next rank skips (1, 2, 2, 4)."""
    ordered = sorted(values, key=lambda kv: kv[1], reverse=True)
    ranks: dict[Any, int] = {}
    for position, (key, value) in enumerate(ordered, 1):
        previous = ordered[position - 2] if position > 1 else None
        ranks[key] = ranks[previous[0]] if previous is not None and previous[1] == value else position
    return ranks
