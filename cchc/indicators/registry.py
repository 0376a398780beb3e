"""Đăng ký hàm tính chỉ tiêu: the apps that own the records (dossiers, surveys, plans, documents…)
register one function per computed indicator, by the function code the catalogue names::

    # cchc/dossiers/apps.py
    def ready(self):
        from cchc.indicators.registry import register_computed
        from cchc.dossiers import indicators  # noqa: F401  (the module uses the decorator)

    # cchc/dossiers/indicators.py
    @register_computed("dossiers.commune_received")
    def commune_received(units: list[OrgUnit], span: Span) -> int:
        return Dossier.objects.filter(unit__in=units, received_on__range=(span.start, span.end)).count()

The function receives every unit whose records count and a ``Span`` (start, end, period code): for an
indicator the catalogue declares ``counts: own`` the unit itself and its sections (bộ phận, phòng ban);
for ``counts: area`` the unit and its whole subtree as the tree stood during the period. When the tree
changed during the period the selector calls the function once per stretch of dates and adds the
results, so a function only ever filters its records by unit and by date. It returns a number, or a
``Computed(value, inputs)`` to record what it used (record counts, the query) as provenance.

**No data is not 0.** A function may be registered with ``keeps_records=fn(units, span) -> bool``: whether
those units keep records of that kind for the span at all (a plan exists for the year; the first dossier
was received on or before the span's end). When it says no for every unit, the figure is *missing*
("…"), not 0. ``kept_since(first_days)`` builds the usual predicate from each unit's earliest record date.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Span:
    """The stretch of dates a computation covers (part or all of a period)."""

    start: date
    end: date
    period_code: str = ""


@dataclass(frozen=True)
class Computed:
    """A computed value with what it was computed from (shown as provenance)."""

    value: int | float | Decimal | None
    inputs: dict[str, Any] = field(default_factory=dict)


ComputeFunction = Callable[[list[Any], Span], "int | float | Decimal | Computed | None"]
KeepsRecords = Callable[[list[Any], Span], bool]

_functions: dict[str, ComputeFunction] = {}
_keeps: dict[str, KeepsRecords] = {}


def register_computed(
    code: str, *, keeps_records: KeepsRecords | None = None
) -> Callable[[ComputeFunction], ComputeFunction]:
    """Decorator: bind ``code`` (the catalogue's ``source: {computed: code}``) to a function.

    ``keeps_records(units, span)``: whether the units keep records of this kind for the span (see the
    module docstring); without it the function's answer is always taken as a figure."""

    def decorate(fn: ComputeFunction) -> ComputeFunction:
        existing = _functions.get(code)
        if existing is not None and existing is not fn and _qualname(existing) != _qualname(fn):
            raise ValueError(f"Hàm tính “{code}” đã được đăng ký bởi {_qualname(existing)}.")
        _functions[code] = fn
        if keeps_records is not None:
            _keeps[code] = keeps_records
        else:
            _keeps.pop(code, None)
        return fn

    return decorate


def unregister_computed(code: str) -> None:
    """Remove a registration (tests)."""
    _functions.pop(code, None)
    _keeps.pop(code, None)


def get_function(code: str) -> ComputeFunction | None:
    return _functions.get(code)


def get_keeps_records(code: str) -> KeepsRecords | None:
    return _keeps.get(code)


def first_record_days(model: Any, date_field: str, unit_field: str = "unit_id") -> Callable[[], dict[int, date]]:
    """{unit id: earliest ``date_field``} over every record of ``model`` (one GROUP BY), for ``kept_since``."""
    from django.db.models import Min

    def first_days() -> dict[int, date]:
        rows = model.objects.order_by().values_list(unit_field).annotate(first=Min(date_field))
        return {uid: first for uid, first in rows if first is not None}

    return first_days


def kept_since(first_days: Callable[[], dict[int, date]], key: Hashable) -> KeepsRecords:
    """The usual ``keeps_records``: a unit keeps records of a kind from its earliest record's date on.

    ``first_days()`` returns {unit id: earliest record date} for every unit (one GROUP BY, shared by
    every indicator of the reading under ``key``); a span ending before all of the units' first days —
    or units with no record at all — keep nothing."""

    def keeps(units: list[Any], span: Span) -> bool:
        firsts = shared(("kept_since", key), first_days)
        return any((first := firsts.get(getattr(u, "pk", u))) is not None and first <= span.end for u in units)

    return keeps


def registered_codes() -> list[str]:
    return sorted(_functions)


def _qualname(fn: Callable) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


# ---- inputs shared by several indicators within one reading ----------------------------------------
# Many indicators are parts of one query (received, resolved, early, on time… of the same dossiers).
# While a ValueContext reads one period, the records cannot change under it, so a function may share one
# query between all its indicators for the same units and dates. Outside a reading nothing is kept.
_shared: ContextVar[dict[Hashable, Any] | None] = ContextVar("cchc_indicator_inputs", default=None)
_graph: ContextVar[Any] = ContextVar("cchc_indicator_graph", default=None)


@contextmanager
def reading(store: dict[Hashable, Any], graph: Any = None) -> Iterator[None]:
    """Within a reading: shared inputs live in ``store``; ``graph`` is the org graph the engine walked."""
    token = _shared.set(store)
    graph_token = _graph.set(graph)
    try:
        yield
    finally:
        _shared.reset(token)
        _graph.reset(graph_token)


def owner_of(unit: Any, day: date) -> Any:
    """The unit a section (bộ phận, phòng ban) belongs to on ``day`` — the nearest ancestor that is not a
    section — or the unit itself when it is not a section. Walks the reading's org graph (OrgGraph), so
    a function never reads parent links itself."""
    from cchc.org.models import Level
    from cchc.org.selectors import load_graph

    graph = _graph.get()
    if graph is None:
        graph = shared(("org.graph",), load_graph)
    uid = getattr(unit, "pk", unit)
    current = graph.units[uid]
    if current.level != Level.SECTION:
        return current
    on = day if current.is_valid_on(day) else (current.valid_to or day)
    for ancestor in graph.ancestors_on(uid, on):
        if ancestor.level != Level.SECTION:
            return ancestor
    return current


def shared(key: Hashable, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per ``key`` within the current reading (every time outside one)."""
    store = _shared.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def peek(key: Hashable) -> Any:
    """What a prefetcher left under ``key`` in the current reading (None: nothing; never computes)."""
    store = _shared.get()
    return None if store is None else store.get(key)


# ---- prefetch: one query for many units --------------------------------------------------------------
# A page that reads the same figures of a hundred units (a province's statistics by commune) would otherwise
# run each unit's query in turn. An app may register a prefetcher: given every unit id the page will read and
# the span, it runs ONE query and leaves its rows in the reading's shared inputs (``shared``), where its
# compute functions find them with ``peek``. A compute function must give the same answer with or without.
Prefetcher = Callable[[list[int], "Span"], None]
_prefetchers: list[Prefetcher] = []


def register_prefetch(fn: Prefetcher) -> Prefetcher:
    if fn not in _prefetchers:
        _prefetchers.append(fn)
    return fn


def run_prefetch(unit_ids: list[int], span: Span) -> None:
    """Within a reading: every registered prefetcher for these units and days."""
    for fn in _prefetchers:
        fn(unit_ids, span)
