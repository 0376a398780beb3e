"""Bộ chỉ số QĐ 766, the arithmetic: a formula evaluated over a unit's measures (points, the spread of a
component with no data, totals), the result objects it gives, and the points one record would cost.

Pure: nothing here reads the database; the selectors read the measures and hand them in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from cchc.index766 import measures
from cchc.index766.formulas import ComponentSpec, Formula
from cchc.org.models import OrgUnit

_CENT = Decimal("0.01")
_RATIO_PLACES = Decimal("0.0001")
NO_DATA_NOTE = "Chưa có dữ liệu (không tính là 0 điểm)"
SPREAD_NOTE = "Không có dữ liệu: điểm chia cho các thành phần khác của nhóm theo tỷ lệ điểm tối đa"


# ---- results -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ComponentResult:
    """Một thành phần chỉ số: tử số, mẫu số, tỷ lệ (0…1), điểm và điểm tối đa (sau khi chia lại điểm)."""

    code: str
    name: str
    group: str
    numerator: int | None
    denominator: int | None
    ratio: Decimal | None
    points: Decimal | None
    max_points: Decimal
    no_data: bool
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "group": self.group,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "ratio": None if self.ratio is None else float(self.ratio),
            "points": None if self.points is None else float(self.points),
            "max": float(self.max_points),
            "no_data": self.no_data,
            "note": self.note,
        }


@dataclass(frozen=True)
class GroupResult:
    code: str
    name: str
    points: Decimal | None
    max_points: Decimal
    components: tuple[ComponentResult, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "points": None if self.points is None else float(self.points),
            "max": float(self.max_points),
        }


@dataclass(frozen=True)
class IndexResult:
    """Chỉ số của một đơn vị trong khoảng ngày start…end. ``total`` sums the components with data;
    ``max_total`` their maxima (a component with no data is left out, never counted as 0)."""

    unit: OrgUnit
    start: date
    end: date
    version: str
    total: Decimal | None
    max_total: Decimal
    groups: tuple[GroupResult, ...]
    no_data_components: tuple[str, ...]
    as_of: date | None = None  # the day a pending dossier was judged at (the range's last day, or today)
    stored_at: datetime | None = None  # set when read from a stored Result (a closed period's snapshot)
    measures: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def components(self) -> tuple[ComponentResult, ...]:
        return tuple(c for g in self.groups for c in g.components)

    def component(self, code: str) -> ComponentResult:
        return next(c for c in self.components if c.code == code)

    def as_dict(self) -> dict[str, Any]:
        """The keys of the CLI's --json and of the API (the same function serves both)."""
        return {
            "unit": self.unit.code,
            "unit_name": self.unit.name,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "version": self.version,
            "total": None if self.total is None else float(self.total),
            "max_total": float(self.max_total),
            "groups": [g.as_dict() for g in self.groups],
            "components": [c.as_dict() for g in self.groups for c in g.components],
            "no_data_components": list(self.no_data_components),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "stored_at": self.stored_at.isoformat() if self.stored_at else None,
        }


# ---- evaluation of a formula over the measures -----------------------------------------------------------
def _q(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _ratio(num: int, den: int) -> Decimal:
    return Decimal(num) / Decimal(den) if den else Decimal(0)


def _score(spec: ComponentSpec, m: dict[str, int]) -> tuple[Decimal, Decimal]:
    """(ratio, points before any redistribution) of a component with data."""
    ratio = _ratio(m[spec.numerator], m[spec.denominator])
    values = {"ratio": ratio, "max": Decimal(str(spec.max))}
    values.update({name: _ratio(m[a], m[b]) for name, (a, b) in spec.ratios.items()})
    points = spec.score.evaluate(values) or Decimal(0)
    return ratio, min(max(points, Decimal(0)), Decimal(str(spec.max)))


def _component(
    c: ComponentSpec, m: dict[str, int], score: tuple[Decimal, Decimal] | None, spread: Decimal, receivers: Decimal
) -> ComponentResult:
    """One component's figures. ``score``: (ratio, points) or None when it has no data; ``spread``: the
    maxima of the group's no-data components that give their points away, ``receivers``: the maxima of the
    group's components with data, which share them in proportion."""
    full = Decimal(str(c.max))
    base = {
        "code": c.code,
        "name": c.name,
        "group": c.group,
        "numerator": m[c.numerator],
        "denominator": m[c.denominator],
    }
    if score is None:
        moved = c.when_no_data == "spread" and receivers > 0
        return ComponentResult(
            **base,
            ratio=None,
            points=None,
            max_points=Decimal(0) if moved else full,
            no_data=True,
            note=SPREAD_NOTE if moved else NO_DATA_NOTE,
        )
    ratio, points = score
    scale = (full + spread * full / receivers) / full if spread and receivers else Decimal(1)
    return ComponentResult(
        **base,
        ratio=ratio.quantize(_RATIO_PLACES),
        points=_q(points * scale),
        max_points=_q(full * scale),
        no_data=False,
        note=c.note,
    )


def evaluate(formula: Formula, m: dict[str, int]) -> tuple[tuple[GroupResult, ...], Decimal | None, Decimal]:
    """Groups, total and maximum of the formula over the measures ``m`` (pure: used for points at stake)."""
    groups: list[GroupResult] = []
    for group in formula.groups:
        specs = [c for c in formula.components if c.group == group.code]
        known = {c.code: _score(c, m) for c in specs if m[c.denominator]}
        giving = [c for c in specs if c.code not in known and c.when_no_data == "spread"]
        spread = sum((Decimal(str(c.max)) for c in giving), Decimal(0))
        receivers = sum((Decimal(str(c.max)) for c in specs if c.code in known), Decimal(0))
        results = [_component(c, m, known.get(c.code), spread, receivers) for c in specs]
        with_data = [r for r in results if not r.no_data]
        points = _q(sum((r.points for r in with_data), Decimal(0))) if with_data else None
        maximum = _q(sum((r.max_points for r in with_data), Decimal(0)))
        groups.append(GroupResult(group.code, group.name, points, maximum, tuple(results)))
    known_groups = [g for g in groups if g.points is not None]
    total = _q(sum((g.points for g in known_groups), Decimal(0))) if known_groups else None
    return tuple(groups), total, _q(sum((g.max_points for g in groups), Decimal(0)))


def marginal_cost(formula: Formula, m: dict[str, int], good: dict[str, int], bad: dict[str, int]) -> Decimal:
    """Points lost when one record lands as ``bad`` instead of ``good`` (changes added to the measures):
    the whole index recomputed both ways (the spread of a no-data component included), not estimated."""

    def total(changes: dict[str, int]) -> Decimal:
        changed = dict(m)
        for key, delta in changes.items():
            changed[key] = changed.get(key, 0) + delta
        return evaluate(formula, measures.rederive(changed))[1] or Decimal(0)

    return _q(total(good) - total(bad))


# ---- stored figures ---------------------------------------------------------------------------------------
def result_from_figures(unit: OrgUnit, figures: dict[str, Any], stored_at: datetime | None) -> IndexResult:
    """An IndexResult back from ``IndexResult.as_dict()`` (a stored Result)."""

    def dec(value: Any) -> Decimal | None:
        return None if value is None else Decimal(str(value))

    comps = [
        ComponentResult(
            c["code"],
            c["name"],
            c["group"],
            c["numerator"],
            c["denominator"],
            dec(c["ratio"]),
            dec(c["points"]),
            Decimal(str(c["max"])),
            c["no_data"],
            c.get("note", ""),
        )
        for c in figures["components"]
    ]
    groups = tuple(
        GroupResult(
            g["code"],
            g["name"],
            dec(g["points"]),
            Decimal(str(g["max"])),
            tuple(c for c in comps if c.group == g["code"]),
        )
        for g in figures["groups"]
    )
    return IndexResult(
        unit,
        date.fromisoformat(figures["from"]),
        date.fromisoformat(figures["to"]),
        figures["version"],
        dec(figures["total"]),
        Decimal(str(figures["max_total"])),
        groups,
        tuple(figures.get("no_data_components", [])),
        date.fromisoformat(figures["as_of"]) if figures.get("as_of") else None,
        stored_at,
    )
