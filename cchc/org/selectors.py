"""Reads of the dated org tree. Nothing else in the product walks parent links.

The whole graph (units, dated parent links, lineage) is small — a province has a few thousand rows
over its history — so it is read in three queries and walked in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from cchc.core import readonce, tablestamps
from cchc.org.models import LEVEL_RANK, OrgUnit, OrgUnitParent, UnitLineage

_FAR_FUTURE = date.max


def _overlap(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> tuple[date, date] | None:
    start = max(a_from, b_from)
    end = min(a_to or _FAR_FUTURE, b_to or _FAR_FUTURE)
    return (start, end) if start <= end else None


@dataclass(frozen=True)
class TreeNode:
    unit: OrgUnit
    children: tuple[TreeNode, ...]
    depth: int

    def walk(self) -> Iterator[TreeNode]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class OrgGraph:
    """Units, dated parent links and lineage, loaded once and queried in memory."""

    units: dict[int, OrgUnit]
    links: list[OrgUnitParent]
    lineage: list[UnitLineage]
    _links_by_unit: dict[int, list[OrgUnitParent]] = field(default_factory=dict, repr=False)
    _links_by_parent: dict[int, list[OrgUnitParent]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by_unit: dict[int, list[OrgUnitParent]] = defaultdict(list)
        by_parent: dict[int, list[OrgUnitParent]] = defaultdict(list)
        for link in self.links:
            by_unit[link.unit_id].append(link)
            by_parent[link.parent_id].append(link)
        self._links_by_unit = dict(by_unit)
        self._links_by_parent = dict(by_parent)

    def parent_links(self, unit_id: int) -> list[OrgUnitParent]:
        return sorted(self._links_by_unit.get(unit_id, []), key=lambda link: link.valid_from)

    # ---- one date -------------------------------------------------------------------------------
    def parent_on(self, unit_id: int, day: date) -> OrgUnit | None:
        for link in self._links_by_unit.get(unit_id, ()):
            if link.valid_from <= day and (link.valid_to is None or day <= link.valid_to):
                return self.units[link.parent_id]
        return None

    def children_on(self, unit_id: int, day: date) -> list[OrgUnit]:
        children = [
            self.units[link.unit_id]
            for link in self._links_by_parent.get(unit_id, ())
            if link.valid_from <= day
            and (link.valid_to is None or day <= link.valid_to)
            and self.units[link.unit_id].is_valid_on(day)
        ]
        return sorted(children, key=_sort_key)

    def roots_on(self, day: date) -> list[OrgUnit]:
        return sorted(
            (u for u in self.units.values() if u.is_valid_on(day) and self.parent_on(u.pk, day) is None),
            key=_sort_key,
        )

    def tree_on(self, day: date, root_id: int | None = None) -> list[TreeNode]:
        def build(unit: OrgUnit, depth: int) -> TreeNode:
            kids = tuple(build(c, depth + 1) for c in self.children_on(unit.pk, day))
            return TreeNode(unit, kids, depth)

        if root_id is not None:
            root = self.units[root_id]
            return [build(root, 0)] if root.is_valid_on(day) else []
        return [build(root, 0) for root in self.roots_on(day)]

    def descendants_on(self, unit_id: int, day: date, include_self: bool = True) -> list[OrgUnit]:
        nodes = self.tree_on(day, unit_id)
        found = [n.unit for tree in nodes for n in tree.walk()]
        return found if include_self else found[1:]

    def ancestors_on(self, unit_id: int, day: date) -> list[OrgUnit]:
        """Parent, grandparent… of the unit on ``day``, nearest first."""
        chain: list[OrgUnit] = []
        current = self.parent_on(unit_id, day)
        while current is not None and current not in chain:
            chain.append(current)
            current = self.parent_on(current.pk, day)
        return chain

    # ---- across time ----------------------------------------------------------------------------
    def descendants_ever(self, unit_id: int, include_self: bool = True) -> set[int]:
        """Every unit that hung under ``unit_id`` at some date while the link chain held."""
        root = self.units[unit_id]
        found: set[int] = {unit_id} if include_self else set()
        stack: list[tuple[int, date, date | None]] = [(unit_id, root.valid_from, root.valid_to)]
        seen: set[tuple[int, date, date | None]] = set()
        while stack:
            node, start, end = stack.pop()
            for link in self._links_by_parent.get(node, ()):
                window = _overlap(start, end, link.valid_from, link.valid_to)
                if window is None:
                    continue
                key = (link.unit_id, window[0], window[1])
                if key in seen:
                    continue
                seen.add(key)
                found.add(link.unit_id)
                stack.append((link.unit_id, window[0], None if window[1] == _FAR_FUTURE else window[1]))
        return found

    # ---- over a stretch of dates (added for the indicators app) ------------------------------------
    def children_during(self, unit_id: int, start: date, end: date) -> list[tuple[OrgUnit, date, date]]:
        """Direct children of ``unit_id`` at any day of start…end, each with the days it hung there."""
        found: list[tuple[OrgUnit, date, date]] = []
        for link in self._links_by_parent.get(unit_id, ()):
            child = self.units[link.unit_id]
            window = _overlap(start, end, link.valid_from, link.valid_to)
            window = window and _overlap(window[0], window[1], child.valid_from, child.valid_to)
            if window:
                found.append((child, window[0], window[1]))
        return sorted(found, key=lambda item: (_sort_key(item[0]), item[1]))

    def children_reporting_to(self, unit_id: int, start: date, end: date) -> list[OrgUnit]:
        """Children whose figures for start…end roll up into ``unit_id``: those hanging under it on
        their last day within the stretch. A unit that moved during the stretch (a commune that went
        from its district to the province on 1/7/2025) is thus counted under one parent only."""
        found: dict[int, OrgUnit] = {}
        for child, _, _ in self.children_during(unit_id, start, end):
            last_day = min(end, child.valid_to or end)
            parent = self.parent_on(child.pk, last_day)
            if parent is not None and parent.pk == unit_id:
                found[child.pk] = child
        return sorted(found.values(), key=_sort_key)

    def subtree_spans(
        self, unit_id: int, start: date, end: date, follow_lineage: bool = True
    ) -> dict[int, list[tuple[date, date]]]:
        """For each unit whose records count towards ``unit_id`` over start…end, the days they count.

        A unit counts for the days it existed and hung (directly or lower down) under ``unit_id``, so a
        2025 figure of a district covers its communes until 30/6/2025 only. With ``follow_lineage``,
        records a merged or renamed unit still carries after it ceased (a dossier resolved after the
        merge) count under its single successor from the lineage date; a split unit's are left out.
        """
        spans: dict[int, list[tuple[date, date]]] = defaultdict(list)
        seen: set[tuple[int, date, date]] = set()
        stack = [(unit_id, start, end)]
        while stack:
            uid, s, e = stack.pop()
            unit = self.units[uid]
            window = _overlap(s, e, unit.valid_from, unit.valid_to)
            if window is None or (uid, *window) in seen:
                continue
            seen.add((uid, *window))
            s, e = window
            spans[uid].append((s, e))
            for link in self._links_by_parent.get(uid, ()):
                child_window = _overlap(s, e, link.valid_from, link.valid_to)
                if child_window:
                    stack.append((link.unit_id, *child_window))
            if follow_lineage:
                for row in self.predecessors(uid):
                    if len(self.successors(row.from_unit_id)) != 1:
                        continue
                    after = _overlap(s, e, row.date, None)
                    if after:
                        spans[row.from_unit_id].append(after)
        return {uid: _merge_windows(windows) for uid, windows in spans.items()}

    def successors(self, unit_id: int) -> list[UnitLineage]:
        return [row for row in self.lineage if row.from_unit_id == unit_id]

    def predecessors(self, unit_id: int) -> list[UnitLineage]:
        return [row for row in self.lineage if row.to_unit_id == unit_id]

    def final_successors(self, unit_id: int, on: date | None = None) -> list[OrgUnit]:
        """The unit(s) that carry on ``unit_id`` on ``on`` (today by default), following lineage.

        A unit still valid on ``on`` is its own successor. A split unit has several successors.
        """
        on = on or timezone.localdate()
        result: list[OrgUnit] = []
        visited: set[int] = set()
        frontier = [unit_id]
        while frontier:
            current = frontier.pop(0)
            if current in visited:
                continue
            visited.add(current)
            unit = self.units[current]
            nexts = [row for row in self.successors(current) if row.date <= on]
            if unit.is_valid_on(on) or not nexts:
                if unit.is_valid_on(on) and unit not in result:
                    result.append(unit)
                continue
            frontier.extend(row.to_unit_id for row in nexts)
        return sorted(result, key=_sort_key)

    def predecessors_ever(self, unit_id: int) -> set[int]:
        found: set[int] = set()
        frontier = [unit_id]
        while frontier:
            current = frontier.pop()
            for row in self.predecessors(current):
                if row.from_unit_id not in found:
                    found.add(row.from_unit_id)
                    frontier.append(row.from_unit_id)
        return found


def _merge_windows(windows: list[tuple[date, date]]) -> list[tuple[date, date]]:
    merged: list[tuple[date, date]] = []
    for s, e in sorted(windows):
        if merged and s <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _sort_key(unit: OrgUnit) -> tuple[int, str]:
    return (LEVEL_RANK.get(unit.level, 9), unit.code)


def load_graph() -> OrgGraph:
    """The whole tree in three queries — once per GET, and in a GET the process's copy while the tree's tables
    are unchanged (``core.readonce``, ``core.tablestamps``)."""
    return readonce.once(("org.graph",), _read_graph, tables=tablestamps.ORG)


def _read_graph() -> OrgGraph:
    units = {u.pk: u for u in OrgUnit.objects.all()}
    links = list(OrgUnitParent.objects.all())
    lineage = list(UnitLineage.objects.all())
    return OrgGraph(units=units, links=links, lineage=lineage)


# ---- the public reads -------------------------------------------------------------------------------
def tree_on(day: date, root: OrgUnit | None = None) -> list[TreeNode]:
    """Cây đơn vị tại một ngày: the forest as it stood on ``day`` (or the subtree of ``root``)."""
    return load_graph().tree_on(day, root.pk if root else None)


def descendants_on(unit: OrgUnit, day: date, include_self: bool = True) -> list[OrgUnit]:
    """Đơn vị trực thuộc (mọi cấp) của ``unit`` tại ngày ``day``."""
    return load_graph().descendants_on(unit.pk, day, include_self)


def ancestors_on(unit: OrgUnit, day: date) -> list[OrgUnit]:
    return load_graph().ancestors_on(unit.pk, day)


def ancestor_at_level(unit: OrgUnit, level: str, day: date) -> OrgUnit | None:
    """The unit of ``level`` that ``unit`` belonged to on ``day`` (itself if it is of that level)."""
    if unit.level == level:
        return unit
    return next((a for a in ancestors_on(unit, day) if a.level == level), None)


def successors_of(unit: OrgUnit, on: date | None = None) -> list[OrgUnit]:
    """Đơn vị kế thừa: who carries on a unit that ceased to exist (itself if it still exists)."""
    return load_graph().final_successors(unit.pk, on)


def units_valid_on(day: date, level: str | None = None) -> Iterable[OrgUnit]:
    qs = OrgUnit.objects.valid_on(day)
    return qs.filter(level=level) if level else qs


def get_unit_by_code(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code.strip())


def tree_within(ids: frozenset[int] | None, day: date, graph: OrgGraph | None = None) -> list[TreeNode]:
    """The tree on ``day`` cut down to the units ``ids`` (a user's scope, from ``cchc.accounts.scope``;
    None: every unit): its roots are the highest units in ``ids``. The scope is passed in, so that org
    never imports accounts (org is below it)."""
    forest = (graph or load_graph()).tree_on(day)
    if ids is None:
        return forest
    roots: list[TreeNode] = []

    def collect(node: TreeNode) -> None:
        if node.unit.pk in ids:
            roots.append(_reroot(node, ids, 0))
            return
        for child in node.children:
            collect(child)

    for tree in forest:
        collect(tree)
    return roots


def _reroot(node: TreeNode, ids: frozenset[int], depth: int) -> TreeNode:
    kids = tuple(_reroot(c, ids, depth + 1) for c in node.children if c.unit.pk in ids)
    return TreeNode(node.unit, kids, depth)


def unit_profile(unit: OrgUnit, today: date) -> dict:
    """Everything the unit page shows: parents over time, children today, predecessors, successors."""
    graph = load_graph()
    links = graph.parent_links(unit.pk)
    return {
        "unit": unit,
        "today": today,
        "parent_periods": [(graph.units[link.parent_id], link.valid_from, link.valid_to) for link in links],
        "children": graph.children_on(unit.pk, today) if unit.is_valid_on(today) else [],
        "predecessors": [(graph.units[row.from_unit_id], row) for row in graph.predecessors(unit.pk)],
        "successor_links": [(graph.units[row.to_unit_id], row) for row in graph.successors(unit.pk)],
        "current_successors": [] if unit.is_valid_on(today) else graph.final_successors(unit.pk, today),
        "users": list(unit.users.filter(is_active=True).order_by("role", "username")),
    }
