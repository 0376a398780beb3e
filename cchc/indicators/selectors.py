"""Đọc số liệu chỉ tiêu: giá trị của một đơn vị trong một kỳ, kèm nguồn gốc của từng số.

One ``ValueContext`` answers every question about one period: it reads the period's manual entries
and cached computations in two queries and the org graph once, then works in memory. For each
indicator of a unit:

- computed: the registered function over the unit's whole subtree as it stood during the period
  (cached per unit and period, recomputed when ``services.mark_stale`` marked it);
- entered: the unit's own entry, otherwise the roll-up of its children's values (sum, any, all),
  otherwise — for a total with parts — the sum of its parts;
- ratio: always derived at read time from its parts (a ratio of sums at every level).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone

from cchc.core.vnformat import format_date, format_number, format_percent, percent
from cchc.indicators import registry
from cchc.indicators.catalogue import ensure_catalogue
from cchc.indicators.models import (
    CatalogueVersion,
    ComputedValue,
    Indicator,
    IndicatorValue,
    Period,
    Rollup,
    Source,
    ValueType,
)
from cchc.indicators.periods import get_period
from cchc.org.models import OrgUnit
from cchc.org.selectors import OrgGraph, load_graph

MISSING_NO_SOURCE = "chưa có nguồn số liệu"
MISSING_NOT_ENTERED = "chưa nhập"


@dataclass
class ValueWithProvenance:
    """Một số liệu và nguồn gốc của nó."""

    indicator: Indicator
    value: Decimal | None
    source: str  # entered | computed | rollup | sum | ratio | missing | heading
    detail: dict[str, Any] = field(default_factory=dict)
    missing_reason: str = ""
    own: bool = False  # entered or computed for this very unit (not rolled up from its children)

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def is_missing(self) -> bool:
        return self.value is None and self.source != "heading"

    @property
    def display(self) -> str:
        """Số liệu theo cách viết tiếng Việt: 54.647; 96,90%; Có/Không; tên lựa chọn."""
        return format_value(self.indicator, self.value)

    @property
    def source_text(self) -> str:
        d = self.detail
        if self.source == "heading":
            return ""
        if self.source == "entered":
            when = d.get("entered_at")
            text = f"Nhập tay: {d.get('entered_by', '')}"
            if when:
                text += f", {_format_datetime(when)}"
            if d.get("note"):
                text += f" — {d['note']}"
            return text
        if self.source == "computed":
            when = _format_datetime(d.get("computed_at"))
            text = f"Tính từ dữ liệu ({d.get('function')}) lúc {when}, {d.get('unit_count', 0)} đơn vị"
            inputs = d.get("inputs") or {}
            if inputs:
                text += "; " + ", ".join(f"{k}: {_short(v)}" for k, v in inputs.items())
            return text
        if self.source == "rollup":
            return f"Cộng dồn từ {len(d.get('units', []))} đơn vị trực thuộc: " + ", ".join(
                f"{u['name']} ({_plain(u['value'])})" for u in d.get("units", [])
            )
        if self.source == "sum":
            parts = d.get("parts", [])
            return "Tổng các thành phần: " + " + ".join(f"{p['code']} ({_plain(p['value'])})" for p in parts)
        if self.source == "ratio":
            num = " + ".join(f"{p['code']} ({_plain(p['value'])})" for p in d.get("numerator", []))
            den = d.get("denominator", {})
            return f"Tỷ lệ = {num} / {den.get('code')} ({_plain(den.get('value'))})"
        return f"Chưa có số liệu: {self.missing_reason}"

    def as_dict(self) -> dict[str, Any]:
        ind = self.indicator
        return {
            "code": ind.code, "group": ind.group_code, "stt": ind.stt, "name": ind.name, "unit": ind.shown_unit,
            "type": ind.value_type or None, "in_appendix": ind.in_appendix,
            "value": None if self.value is None else _json_number(self.value), "display": self.display,
            "source": self.source, "missing_reason": self.missing_reason or None,
            "provenance": _jsonable(self.detail), "own": self.own,
        }


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _jsonable(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _jsonable(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_jsonable(v) for v in data]
    if isinstance(data, Decimal):
        return _json_number(data)
    if hasattr(data, "isoformat"):
        return data.isoformat()
    return data


def _plain(value: Any) -> str:
    if value is None:
        return "trống"
    return format_number(Decimal(str(value)))


def _short(value: Any) -> str:
    if isinstance(value, int | float | Decimal):
        return format_number(Decimal(str(value)))
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _format_datetime(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        from datetime import datetime

        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if hasattr(value, "hour"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value.hour:02d}:{value.minute:02d} {format_date(value)}"
    return format_date(value)


def format_value(indicator: Indicator, value: Decimal | None) -> str:
    if value is None:
        return ""
    if indicator.value_type == ValueType.PERCENT:
        return format_percent(value)
    if indicator.value_type in (ValueType.BOOLEAN, ValueType.ENUM):
        key = str(int(value)) if value == value.to_integral_value() else str(value)
        label = (indicator.choices or {}).get(key)
        return f"{key} ({label})" if label else key
    return format_number(value)


# ---- the engine -------------------------------------------------------------------------------------
class ValueContext:
    """Mọi số liệu của một kỳ, tính một lần và dùng lại (per request or per analysis pass)."""

    def __init__(self, period: Period, graph: OrgGraph | None = None,
                 indicators: dict[str, Indicator] | None = None) -> None:
        self.period = period
        self.graph = graph or load_graph()
        if indicators is None:
            ensure_catalogue()
            indicators = current_indicators()
        self.indicators = indicators
        self._entered: dict[tuple[int, str], IndicatorValue] = {}
        for row in IndicatorValue.objects.filter(period=period).select_related("indicator", "entered_by"):
            self._entered[(row.unit_id, row.indicator.code)] = row
        self._cache: dict[tuple[int, int], ComputedValue] = {
            (c.unit_id, c.indicator_id): c for c in ComputedValue.objects.filter(period=period)
        }
        self._memo: dict[tuple[int, str], ValueWithProvenance] = {}
        self._pending: list[ComputedValue] = []
        self._guard: set[tuple[int, str]] = set()
        self._shared_inputs: dict = {}  # queries shared by the compute functions (registry.shared)

    def units_with_entries(self) -> set[int]:
        return {unit_id for unit_id, _ in self._entered}

    def has_own(self, unit_id: int, code: str) -> bool:
        """Whether ``code`` has (or may have) a figure of the unit itself, without computing it."""
        ind = self.indicators[code]
        if ind.source == Source.ENTERED:
            return (unit_id, code) in self._entered
        if ind.source == Source.COMPUTED:
            return registry.get_function(ind.function) is not None
        if ind.source == Source.RATIO:
            return any(self.has_own(unit_id, c) for c in [*ind.numerator, ind.denominator])
        return False

    def value(self, unit_id: int, code: str) -> ValueWithProvenance:
        key = (unit_id, code)
        if key in self._memo:
            return self._memo[key]
        if key in self._guard:  # a catalogue loop (a total among its own parts); the loader forbids it
            return ValueWithProvenance(self.indicators[code], None, "missing", missing_reason="vòng lặp thành phần")
        self._guard.add(key)
        try:
            result = self._value(unit_id, self.indicators[code])
        finally:
            self._guard.discard(key)
        self._memo[key] = result
        return result

    def _value(self, unit_id: int, ind: Indicator) -> ValueWithProvenance:
        if ind.source == Source.HEADING:
            return ValueWithProvenance(ind, None, "heading")
        if ind.source == Source.RATIO:
            return self._ratio(unit_id, ind)
        if ind.source == Source.COMPUTED:
            return self._computed(unit_id, ind)
        entry = self._entered.get((unit_id, ind.code))
        if entry is not None:
            return ValueWithProvenance(ind, entry.value, "entered", {
                "entered_by": entry.entered_by.display_name if entry.entered_by else entry.entered_by_label,
                "entered_at": entry.entered_at, "note": entry.note,
            }, own=True)
        if ind.rollup != Rollup.NONE:
            rolled = self._rollup(unit_id, ind)
            if rolled is not None:
                return rolled
        if ind.sum_of:
            parts = [self.value(unit_id, c) for c in ind.sum_of]
            if any(p.value is not None for p in parts):
                total = sum((p.value for p in parts if p.value is not None), Decimal(0))
                return ValueWithProvenance(ind, total, "sum", {
                    "parts": [{"code": p.code, "value": p.value} for p in parts],
                })
        return ValueWithProvenance(ind, None, "missing", missing_reason=MISSING_NOT_ENTERED)

    def _rollup(self, unit_id: int, ind: Indicator) -> ValueWithProvenance | None:
        children = self.graph.children_reporting_to(unit_id, self.period.start, self.period.end)
        found = [(child, self.value(child.pk, ind.code)) for child in children]
        found = [(child, v) for child, v in found if v.value is not None]
        if not found:
            return None
        values = [v.value for _, v in found]
        if ind.rollup == Rollup.SUM:
            total = sum(values, Decimal(0))
        elif ind.rollup == Rollup.ANY:
            total = Decimal(1) if any(v for v in values) else Decimal(0)
        else:  # ALL
            total = Decimal(1) if all(v for v in values) else Decimal(0)
        return ValueWithProvenance(ind, total, "rollup", {
            "rollup": ind.rollup,
            "units": [{"code": c.code, "name": c.name, "value": v.value} for c, v in found],
        })

    def _ratio(self, unit_id: int, ind: Indicator) -> ValueWithProvenance:
        nums = [self.value(unit_id, c) for c in ind.numerator]
        den = self.value(unit_id, ind.denominator)
        detail = {
            "numerator": [{"code": n.code, "value": n.value} for n in nums],
            "denominator": {"code": den.code, "value": den.value},
        }
        own = any(n.own for n in nums) or den.own
        if all(n.value is None for n in nums) or den.value is None:
            missing = [p.code for p in [*nums, den] if p.value is None]
            return ValueWithProvenance(ind, None, "missing", detail, "thiếu thành phần: " + ", ".join(missing), own)
        numerator = sum((n.value for n in nums if n.value is not None), Decimal(0))
        value = percent(numerator, den.value)
        if value is None:
            return ValueWithProvenance(ind, None, "missing", detail, "mẫu số bằng 0", own)
        return ValueWithProvenance(ind, value, "ratio", detail, own=own)

    def _computed(self, unit_id: int, ind: Indicator) -> ValueWithProvenance:
        fn = registry.get_function(ind.function)
        if fn is None:
            return ValueWithProvenance(ind, None, "missing", {"function": ind.function}, MISSING_NO_SOURCE)
        cached = self._cache.get((unit_id, ind.pk))
        if cached is None or cached.stale or cached.function != ind.function:
            cached = self._compute(unit_id, ind, fn)
        detail = {"function": cached.function, "computed_at": cached.computed_at, **cached.inputs}
        if cached.value is None:
            return ValueWithProvenance(ind, None, "missing", detail, "hàm tính không trả về số liệu", own=True)
        return ValueWithProvenance(ind, cached.value, "computed", detail, own=True)

    def _compute(self, unit_id: int, ind: Indicator, fn: registry.ComputeFunction) -> ComputedValue:
        spans = self.graph.subtree_spans(unit_id, self.period.start, self.period.end)
        by_window: dict[tuple[date, date], list[OrgUnit]] = defaultdict(list)
        for uid, windows in spans.items():
            for window in windows:
                by_window[window].append(self.graph.units[uid])
        total: Decimal | None = None
        inputs: dict[str, Any] = {}
        for (start, end), units in sorted(by_window.items()):
            with registry.reading(self._shared_inputs):
                raw = fn(sorted(units, key=lambda u: u.code), registry.Span(start, end, self.period.code))
            if isinstance(raw, registry.Computed):
                for k, v in raw.inputs.items():
                    inputs[k] = inputs.get(k, 0) + v if isinstance(v, int | float | Decimal) else v
                raw = raw.value
            if raw is None:
                continue
            value = Decimal(str(raw))
            if total is None:
                total = value
            elif ind.rollup == Rollup.ANY:
                total = max(total, value)
            elif ind.rollup == Rollup.ALL:
                total = min(total, value)
            else:
                total = total + value
        unit_count = len(spans)
        stored_inputs = {
            "unit_count": unit_count,
            "spans": [[s.isoformat(), e.isoformat(), len(u)] for (s, e), u in sorted(by_window.items())],
            "inputs": inputs,
        }
        obj = ComputedValue(
            unit_id=unit_id, period=self.period, indicator=ind, value=total, function=ind.function,
            inputs=stored_inputs, computed_at=timezone.now(), stale=False,
        )
        self._cache[(unit_id, ind.pk)] = obj
        self._pending.append(obj)
        if len(self._pending) >= 500:
            self.flush()
        return obj

    def flush(self) -> None:
        """Write the values computed so far to the cache table, in one statement."""
        if self._pending:
            ComputedValue.objects.bulk_create(
                self._pending, update_conflicts=True, unique_fields=["unit", "period", "indicator"],
                update_fields=["value", "function", "inputs", "computed_at", "stale"],
            )
            self._pending = []


def current_indicators() -> dict[str, Indicator]:
    """Every indicator of the loaded catalogue that is not retired, in appendix order."""
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


def values_for(unit: OrgUnit | int | str, period: Period | str, *, user: Any = None,
               context: ValueContext | None = None) -> list[ValueWithProvenance]:
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
