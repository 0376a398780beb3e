"""Đọc số liệu chỉ tiêu: giá trị của một đơn vị trong một kỳ, kèm nguồn gốc của từng số.

One ``ValueContext`` answers every question about one period: it reads the period's manual entries
and cached computations in two queries and the org graph once, then works in memory. For each
indicator of a unit:

- computed: the registered function over the unit's whole subtree as it stood during the period
  (kept per unit and period or range of days, read again while no write changed the records it counted:
  ``kept``, ``versions``);
- entered: the unit's own entry, otherwise the roll-up of its children's values (sum, any, all),
  otherwise — for a total with parts — the sum of its parts;
- ratio: always derived at read time from its parts (a ratio of sums at every level).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone

from cchc.core import readonce, tablestamps
from cchc.core.vnformat import percent
from cchc.indicators import registry
from cchc.indicators.display import format_datetime, format_value, json_number, jsonable, plain, scope_text, short
from cchc.indicators.kept import Kept, KeptFigures
from cchc.indicators.models import (
    CatalogueVersion,
    Counts,
    Indicator,
    IndicatorValue,
    Period,
    Rollup,
    Source,
    ValueSource,
)
from cchc.indicators.periods import get_period
from cchc.indicators.versions import SNAPSHOT_KEY, Snapshot, read_snapshot
from cchc.org.models import Level, OrgUnit
from cchc.org.selectors import OrgGraph, load_graph

MISSING_NO_SOURCE = "chưa có nguồn số liệu"
MISSING_NOT_ENTERED = "chưa nhập"
MISSING_NOT_ENTERED_OWN = "chưa nhập (số liệu riêng của đơn vị, không cộng từ đơn vị trực thuộc)"
MISSING_NO_RECORDS = "đơn vị không quản lý loại số liệu này trên phần mềm trong kỳ; cần nhập số liệu"
_UNITS_SHOWN = 30  # unit codes kept in a computed figure's provenance (the count is always kept)


@dataclass
class ValueWithProvenance:
    """Một số liệu và nguồn gốc của nó."""

    indicator: Indicator
    value: Decimal | None
    source: ValueSource
    detail: dict[str, Any] = field(default_factory=dict)
    missing_reason: str = ""
    own: bool = False  # entered or computed for this very unit (not rolled up from its children)

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def is_missing(self) -> bool:
        return self.value is None and self.source != ValueSource.HEADING

    @property
    def display(self) -> str:
        """Số liệu theo cách viết tiếng Việt: 54.647; 96,90%; Có/Không; tên lựa chọn."""
        return format_value(self.indicator, self.value)

    @property
    def source_text(self) -> str:
        d = self.detail
        if self.source == ValueSource.HEADING:
            return ""
        if self.source == ValueSource.ENTERED:
            when = d.get("entered_at")
            text = f"{d.get('origin_text') or 'Nhập tay'}: {d.get('entered_by', '')}"
            if when:
                text += f", {format_datetime(when)}"
            if d.get("note"):
                text += f" — {d['note']}"
            if "computed_value" in d:
                computed = d["computed_value"]
                text += (
                    ("; tính từ dữ liệu nghiệp vụ: " + plain(computed))
                    if computed is not None
                    else ("; không tính được từ dữ liệu nghiệp vụ")
                )
            return text
        if self.source == ValueSource.COMPUTED:
            when = format_datetime(d.get("computed_at"))
            text = f"Tính từ dữ liệu ({d.get('function')}) lúc {when}, {scope_text(d)}"
            inputs = d.get("inputs") or {}
            if inputs:
                text += "; " + ", ".join(f"{k}: {short(v)}" for k, v in inputs.items())
            return text
        if self.source == ValueSource.ROLLUP:
            return f"Cộng dồn từ {len(d.get('units', []))} đơn vị trực thuộc: " + ", ".join(
                f"{u['name']} ({plain(u['value'])})" for u in d.get("units", [])
            )
        if self.source == ValueSource.SUM:
            parts = d.get("parts", [])
            return "Tổng các thành phần: " + " + ".join(f"{p['code']} ({plain(p['value'])})" for p in parts)
        if self.source == ValueSource.RATIO:
            num = " + ".join(f"{p['code']} ({plain(p['value'])})" for p in d.get("numerator", []))
            den = d.get("denominator", {})
            return f"Tỷ lệ = {num} / {den.get('code')} ({plain(den.get('value'))})"
        if self.source == ValueSource.FROZEN:
            return f"Số liệu đã gửi: {d.get('frozen', '')}".rstrip(": ")
        return f"Chưa có số liệu: {self.missing_reason}"

    def as_dict(self) -> dict[str, Any]:
        ind = self.indicator
        return {
            "code": ind.code,
            "group": ind.group_code,
            "stt": ind.stt,
            "name": ind.name,
            "unit": ind.shown_unit,
            "type": ind.value_type or None,
            "in_appendix": ind.in_appendix,
            "value": None if self.value is None else json_number(self.value),
            "display": self.display,
            "source": self.source,
            "missing_reason": self.missing_reason or None,
            "provenance": jsonable(self.detail),
            "own": self.own,
        }


# ---- the engine -------------------------------------------------------------------------------------
def own_spans(graph: OrgGraph, unit_id: int, start: date, end: date) -> dict[int, list[tuple[date, date]]]:
    """The units whose records are the unit's *own* over start…end, with the days they count: the unit
    itself and its sections (bộ phận, phòng ban — level SECTION, nested ones too) for the days they hung
    under it, never its communes or districts; and, like ``OrgGraph.subtree_spans``, a merged predecessor's
    records dated after the merge (they passed to this single successor)."""
    spans: dict[int, list[tuple[date, date]]] = defaultdict(list)
    unit = graph.units[unit_id]
    first, last = max(start, unit.valid_from), min(end, unit.valid_to or end)
    if first > last:
        return {}
    stack = [(unit_id, first, last)]
    while stack:
        uid, s, e = stack.pop()
        spans[uid].append((s, e))
        for child, c_start, c_end in graph.children_during(uid, s, e):
            if child.level == Level.SECTION:
                stack.append((child.pk, c_start, c_end))
    for row in graph.predecessors(unit_id):
        if len(graph.successors(row.from_unit_id)) == 1 and row.date <= last:
            spans[row.from_unit_id].append((max(first, row.date), last))
    return {uid: sorted(set(windows)) for uid, windows in spans.items()}


def _combine(rollup: str, values: list[Decimal]) -> Decimal:
    """Cộng dồn: the one place where figures of several units become one (sum, any, all)."""
    if rollup == Rollup.ANY:
        return Decimal(1) if any(v for v in values) else Decimal(0)
    if rollup == Rollup.ALL:
        return Decimal(1) if all(v for v in values) else Decimal(0)
    return sum(values, Decimal(0))


class ValueContext:
    """Mọi số liệu của một kỳ, tính một lần và dùng lại (per request or per analysis pass).

    ``frozen``: figures fixed elsewhere — {unit id: {code: Decimal | None}}, e.g. the figures a unit
    SUBMITTED in its report — that stand for that unit's value instead of its live figures; a roll-up
    report reads its children's submitted figures through the same roll-up as everything else."""

    def __init__(
        self,
        period: Period,
        graph: OrgGraph | None = None,
        indicators: dict[str, Indicator] | None = None,
        frozen: dict[int, dict[str, Decimal | None]] | None = None,
        frozen_label: str = "",
        inputs: dict | None = None,
    ) -> None:
        self.period = period
        self.graph = graph or load_graph()
        self.indicators = indicators if indicators is not None else current_indicators()
        self.frozen = frozen or {}
        self.frozen_label = frozen_label
        self._entered: dict[tuple[int, str], IndicatorValue] = {}
        self._kept = KeptFigures(period)  # computed figures kept by earlier readings, read per unit on need
        self._stamps: dict[tuple[int, str], str | None] = {}
        # A period known only from the rules (no row: a far year) is read but never cached.
        if period.pk is not None:
            for row in IndicatorValue.objects.filter(period=period).select_related("indicator", "entered_by"):
                self._entered[(row.unit_id, row.indicator.code)] = row
        self._memo: dict[tuple[int, str], ValueWithProvenance] = {}
        self._guard: set[tuple[int, str]] = set()
        self._spans: dict[tuple[int, str], dict[int, list[tuple[date, date]]]] = {}
        self._windows_memo: dict[tuple[int, str], tuple[list[tuple[registry.Span, list[OrgUnit]]], dict]] = {}
        # Queries shared by the compute functions (registry.shared). Their keys name the days they cover, so
        # the readings of several periods in one request may share them (``inputs``: another reading's).
        self._shared_inputs: dict = inputs if inputs is not None else {}
        self._prefetch_ids: list[int] = []

    @property
    def inputs(self) -> dict:
        """The inputs shared by this reading's compute functions, for another reading of the same request."""
        return self._shared_inputs

    def units_with_entries(self) -> set[int]:
        return {unit_id for unit_id, _ in self._entered}

    def units_entered(self) -> set[tuple[int, str]]:
        """(unit id, indicator code) of every figure entered in this period."""
        return set(self._entered)

    def has_own(self, unit_id: int, code: str) -> bool:
        """Whether ``code`` has (or may have) a figure of the unit itself, without computing it."""
        ind = self.indicators[code]
        if ind.source == Source.ENTERED:
            return (unit_id, code) in self._entered
        if ind.source == Source.COMPUTED:
            return registry.get_function(ind.function) is not None or (unit_id, code) in self._entered
        if ind.source == Source.RATIO:
            return any(self.has_own(unit_id, c) for c in [*ind.numerator, ind.denominator])
        return False

    def value(self, unit_id: int, code: str) -> ValueWithProvenance:
        key = (unit_id, code)
        if key in self._memo:
            return self._memo[key]
        if key in self._guard:  # a catalogue loop (a total among its own parts); the loader forbids it
            return ValueWithProvenance(
                self.indicators[code], None, ValueSource.MISSING, missing_reason="vòng lặp thành phần"
            )
        self._guard.add(key)
        try:
            result = self._value(unit_id, self.indicators[code])
        finally:
            self._guard.discard(key)
        self._memo[key] = result
        return result

    def _value(self, unit_id: int, ind: Indicator) -> ValueWithProvenance:
        if ind.source == Source.HEADING:
            return ValueWithProvenance(ind, None, ValueSource.HEADING)
        if ind.source == Source.RATIO:
            return self._ratio(unit_id, ind)
        if unit_id in self.frozen:
            return self._frozen(unit_id, ind)
        entry = self._entered.get((unit_id, ind.code))
        if entry is not None:
            return self._from_entry(unit_id, ind, entry)
        if ind.source == Source.COMPUTED:
            found = self._computed(unit_id, ind)
            if found.value is None and ind.sum_of and any(self.value(unit_id, c).value is not None for c in ind.sum_of):
                pass  # no records kept here, but its parts have figures (entered): their sum, below
            elif found.value is not None or ind.counts != Counts.AREA or ind.rollup == Rollup.NONE:
                return found
            else:
                # Nobody in the area keeps these records here: the children's own figures (entered) add up.
                return self._rollup(unit_id, ind) or found
        if ind.counts == Counts.AREA and ind.rollup != Rollup.NONE:
            rolled = self._rollup(unit_id, ind)
            if rolled is not None:
                return rolled
        if ind.sum_of:
            parts = [self.value(unit_id, c) for c in ind.sum_of]
            if any(p.value is not None for p in parts):
                total = sum((p.value for p in parts if p.value is not None), Decimal(0))
                return ValueWithProvenance(
                    ind,
                    total,
                    ValueSource.SUM,
                    {
                        "parts": [{"code": p.code, "value": p.value} for p in parts],
                        "counts": ind.counts,
                    },
                )
        reason = MISSING_NOT_ENTERED if ind.counts == Counts.AREA else MISSING_NOT_ENTERED_OWN
        return ValueWithProvenance(ind, None, ValueSource.MISSING, {"counts": ind.counts}, missing_reason=reason)

    def _from_entry(self, unit_id: int, ind: Indicator, entry: IndicatorValue) -> ValueWithProvenance:
        """An entered figure wins, for a computed indicator too; the computed one stays in the provenance."""
        detail: dict[str, Any] = {
            "entered_by": entry.entered_by.display_name if entry.entered_by else entry.entered_by_label,
            "entered_at": entry.entered_at,
            "note": entry.note,
            "counts": ind.counts,
            "origin": entry.origin,
            "origin_text": entry.origin_text,
        }
        if ind.source == Source.COMPUTED and registry.get_function(ind.function) is not None:
            computed = self._computed(unit_id, ind)
            detail["computed_value"] = computed.value
            detail["computed_reason"] = computed.missing_reason
        return ValueWithProvenance(ind, entry.value, ValueSource.ENTERED, detail, own=True)

    def _frozen(self, unit_id: int, ind: Indicator) -> ValueWithProvenance:
        value = self.frozen[unit_id].get(ind.code)
        detail = {"frozen": self.frozen_label}
        if value is None:
            return ValueWithProvenance(
                ind, None, ValueSource.MISSING, detail, "không có trong số liệu đã gửi", own=True
            )
        return ValueWithProvenance(ind, value, ValueSource.FROZEN, detail, own=True)

    def children(self, unit_id: int) -> list[OrgUnit]:
        """The children whose figures roll up into ``unit_id`` for this period (the one walk of the tree)."""
        return self.graph.children_reporting_to(unit_id, self.period.start, self.period.end)

    def _rollup(
        self, unit_id: int, ind: Indicator, children: list[OrgUnit] | None = None
    ) -> ValueWithProvenance | None:
        children = self.children(unit_id) if children is None else children
        found = [(child, self.value(child.pk, ind.code)) for child in children]
        found = [(child, v) for child, v in found if v.value is not None]
        if not found:
            return None
        total = _combine(ind.rollup, [v.value for _, v in found])
        return ValueWithProvenance(
            ind,
            total,
            ValueSource.ROLLUP,
            {
                "rollup": ind.rollup,
                "counts": ind.counts,
                "units": [{"code": c.code, "name": c.name, "value": v.value, "source": v.source} for c, v in found],
            },
        )

    def rolled_up(self, unit_id: int, code: str, children: list[OrgUnit] | None = None) -> ValueWithProvenance:
        """The children's figures of ``code`` rolled up, whatever the unit's own figure (a roll-up report);
        the unit's own figure where no child has one. ``children``: who reports (default: the tree's)."""
        ind = self.indicators[code]
        if ind.source == Source.HEADING:
            return ValueWithProvenance(ind, None, ValueSource.HEADING)
        if ind.source == Source.RATIO:
            nums = [self.rolled_up(unit_id, c, children) for c in ind.numerator]
            return self._ratio_of(ind, nums, self.rolled_up(unit_id, ind.denominator, children))
        if ind.rollup == Rollup.NONE or ind.counts == Counts.OWN:  # an own line is never the children's
            return self.value(unit_id, code)
        return self._rollup(unit_id, ind, children) or self.value(unit_id, code)

    def _ratio(self, unit_id: int, ind: Indicator) -> ValueWithProvenance:
        nums = [self.value(unit_id, c) for c in ind.numerator]
        return self._ratio_of(ind, nums, self.value(unit_id, ind.denominator))

    def _ratio_of(
        self, ind: Indicator, nums: list[ValueWithProvenance], den: ValueWithProvenance
    ) -> ValueWithProvenance:
        detail = {
            "numerator": [{"code": n.code, "value": n.value} for n in nums],
            "denominator": {"code": den.code, "value": den.value},
        }
        own = any(n.own for n in nums) or den.own
        if all(n.value is None for n in nums) or den.value is None:
            missing = [p.code for p in [*nums, den] if p.value is None]
            return ValueWithProvenance(
                ind, None, ValueSource.MISSING, detail, "thiếu thành phần: " + ", ".join(missing), own
            )
        numerator = sum((n.value for n in nums if n.value is not None), Decimal(0))
        value = percent(numerator, den.value)
        if value is None:
            return ValueWithProvenance(ind, None, ValueSource.MISSING, detail, "mẫu số bằng 0", own)
        return ValueWithProvenance(ind, value, ValueSource.RATIO, detail, own=own)

    def _computed(self, unit_id: int, ind: Indicator) -> ValueWithProvenance:
        fn = registry.get_function(ind.function)
        if fn is None:
            return ValueWithProvenance(ind, None, ValueSource.MISSING, {"function": ind.function}, MISSING_NO_SOURCE)
        stamp = self._stamp(unit_id, ind.counts)  # first: the versions are read before any record
        cached = self._kept.get(unit_id, ind.pk)
        if (
            cached is None
            or cached.stale
            or stamp is None
            or cached.stamp != stamp
            or cached.function != ind.function
            or cached.inputs.get("counts") != ind.counts
        ):
            cached = self._compute(unit_id, ind, fn, stamp)
        detail = {"function": cached.function, "computed_at": cached.computed_at, **cached.inputs}
        if cached.value is None:
            reason = MISSING_NO_RECORDS if cached.inputs.get("no_records") else "hàm tính không trả về số liệu"
            return ValueWithProvenance(ind, None, ValueSource.MISSING, detail, reason, own=True)
        return ValueWithProvenance(ind, cached.value, ValueSource.COMPUTED, detail, own=True)

    def prefetch(self, unit_ids: Iterable[int]) -> None:
        """Before reading the figures of many units (a province's table by commune): their cached values in
        one query, and the apps' prefetchers (registry.register_prefetch) over the period's days — so a
        hundred communes cost a few queries, not a few hundred. Reading without it gives the same figures."""
        ids = sorted(set(unit_ids))
        self._snapshot()  # before the prefetchers read any record
        self._kept.load(ids)
        self._prefetch_ids = ids  # run at the first figure computed: none when every figure is kept

    def _run_prefetch(self) -> None:
        ids, self._prefetch_ids = self._prefetch_ids, []
        if ids:
            span = registry.Span(self.period.start, self.period.end, self.period.code)
            with registry.reading(self._shared_inputs, self.graph):
                registry.run_prefetch(ids, span)

    def _snapshot(self) -> Snapshot | None:
        """The data versions as they were before this reading (and the readings sharing its inputs) read any
        record; None when the shared inputs were filled before it: nothing computed is then kept."""
        store = self._shared_inputs
        if SNAPSHOT_KEY not in store:
            store[SNAPSHOT_KEY] = None if store else read_snapshot()
        return store[SNAPSHOT_KEY]

    def _stamp(self, unit_id: int, counts: str) -> str | None:
        """The stamp a figure of ``unit_id`` counted ``counts`` gets in this reading (``versions``)."""
        key = (unit_id, counts)
        if key not in self._stamps:
            snapshot = self._snapshot()
            spans = self.spans(unit_id, counts)
            levels = {uid: self.graph.units[uid].level for uid in spans}
            self._stamps[key] = None if snapshot is None else snapshot.stamp(spans, levels, self.period.end.year)
        return self._stamps[key]

    def spans(self, unit_id: int, counts: str) -> dict[int, list[tuple[date, date]]]:
        """The units whose records count for ``unit_id`` in this period, own or area, with their days."""
        key = (unit_id, counts)
        found = self._spans.get(key)
        if found is None:
            if counts == Counts.OWN:
                found = own_spans(self.graph, unit_id, self.period.start, self.period.end)
            else:
                found = self.graph.subtree_spans(unit_id, self.period.start, self.period.end)
            self._spans[key] = found
        return found

    def _windows(self, unit_id: int, counts: str) -> tuple[list[tuple[registry.Span, list[OrgUnit]]], dict]:
        """The stretches of days to compute ``unit_id``'s figures over, each with its units (by code), and the
        scope its provenance records — the same for every indicator of the unit that counts the same way, so
        worked out once per reading (a province's table computes a dozen indicators of a hundred units)."""
        key = (unit_id, counts)
        found = self._windows_memo.get(key)
        if found is None:
            spans = self.spans(unit_id, counts)
            by_window: dict[tuple[date, date], list[OrgUnit]] = defaultdict(list)
            for uid, windows in spans.items():
                for window in windows:
                    by_window[window].append(self.graph.units[uid])
            stretches = [
                (registry.Span(start, end, self.period.code), sorted(units, key=lambda u: u.code))
                for (start, end), units in sorted(by_window.items())
            ]
            codes = sorted(self.graph.units[uid].code for uid in spans)
            scope = {
                "unit_count": len(spans),
                "units": codes[:_UNITS_SHOWN],
                "spans": [[s.start.isoformat(), s.end.isoformat(), len(u)] for s, u in stretches],
            }
            found = self._windows_memo[key] = (stretches, scope)
        return found

    def _compute(self, unit_id: int, ind: Indicator, fn: registry.ComputeFunction, stamp: str | None) -> Kept:
        self._run_prefetch()
        stretches, scope = self._windows(unit_id, ind.counts)
        keeps = registry.get_keeps_records(ind.function)
        total: Decimal | None = None
        inputs: dict[str, Any] = {}
        kept_windows = 0
        with registry.reading(self._shared_inputs, self.graph):
            for span, units in stretches:
                if keeps is not None and not keeps(list(units), span):
                    continue  # these units keep no such records for these days: nothing to count, not 0
                kept_windows += 1
                raw = fn(list(units), span)
                if isinstance(raw, registry.Computed):
                    for k, v in raw.inputs.items():
                        inputs[k] = inputs.get(k, 0) + v if isinstance(v, int | float | Decimal) else v
                    raw = raw.value
                if raw is None:
                    continue
                value = Decimal(str(raw))
                total = value if total is None else _combine(ind.rollup, [total, value])
        stored_inputs = {
            "counts": ind.counts,
            "unit_count": scope["unit_count"],
            "units": list(scope["units"]),
            "spans": [list(s) for s in scope["spans"]],
            "inputs": inputs,
        }
        if keeps is not None and not kept_windows:
            stored_inputs["no_records"] = True
        fresh = Kept(unit_id, ind.pk, total, ind.function, stored_inputs, timezone.now(), stamp or "")
        # Without a snapshot taken first the records read may be older than it: used now, never kept.
        self._kept.add(fresh, keep=stamp is not None)
        return fresh

    def flush(self) -> None:
        """Keep the figures computed so far for the next readings (``kept``)."""
        self._kept.flush()


def current_indicators() -> dict[str, Indicator]:
    """Every indicator of the loaded catalogue that is not retired, in appendix order (read once per GET,
    ``core.readonce``; a new dict each call, the indicators shared)."""
    return dict(readonce.once(("indicators.catalogue",), _read_indicators, tables=tablestamps.CATALOGUE))


def _read_indicators() -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(retired_in__isnull=True).order_by("position")}


def catalogue_version() -> int | None:
    return CatalogueVersion.objects.aggregate(v=Max("version"))["v"]


def _resolve(unit: OrgUnit | int | str, period: Period | str) -> tuple[OrgUnit, Period]:
    if isinstance(unit, str):
        unit = OrgUnit.objects.get(code=unit)
    elif isinstance(unit, int):
        unit = OrgUnit.objects.get(pk=unit)
    if isinstance(period, str):
        period = get_period(period)
    return unit, period


def values_for(
    unit: OrgUnit | int | str, period: Period | str, *, user: Any = None, context: ValueContext | None = None
) -> list[ValueWithProvenance]:
    """Mọi chỉ tiêu của ``unit`` trong kỳ ``period``, theo thứ tự của phụ lục, kèm nguồn gốc.

    With ``user`` the unit must be in the user's view scope (404 otherwise)."""
    unit, period = _resolve(unit, period)
    if user is not None:
        from cchc.accounts import scope

        unit = scope.access_unit(user, unit.pk, scope.Action.VIEW)
    context = context or ValueContext(period)
    values = [context.value(unit.pk, code) for code in context.indicators]
    context.flush()
    return values


def value_of(unit: OrgUnit | int | str, period: Period | str, code: str) -> ValueWithProvenance:
    unit, period = _resolve(unit, period)
    context = ValueContext(period)
    value = context.value(unit.pk, code)
    context.flush()
    return value


def entered_values(unit: OrgUnit, period: Period) -> dict[str, IndicatorValue]:
    rows = IndicatorValue.objects.filter(unit=unit, period=period).select_related("indicator")
    return {v.indicator.code: v for v in rows}
