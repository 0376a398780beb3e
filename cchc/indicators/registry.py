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

The function receives every unit whose records count (a unit and its subtree as the tree stood
during the period) and a ``Span`` (start, end, period code). When the tree changed during the period
the selector calls the function once per stretch of dates and adds the results, so a function only
ever filters its records by unit and by date. It returns a number, or a ``Computed(value, inputs)``
to record what it used (record counts, the query) as provenance.
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

_functions: dict[str, ComputeFunction] = {}


def register_computed(code: str) -> Callable[[ComputeFunction], ComputeFunction]:
    """Decorator: bind ``code`` (the catalogue's ``source: {computed: code}``) to a function."""

    def decorate(fn: ComputeFunction) -> ComputeFunction:
        existing = _functions.get(code)
        if existing is not None and existing is not fn and _qualname(existing) != _qualname(fn):
            raise ValueError(f"Hàm tính “{code}” đã được đăng ký bởi {_qualname(existing)}.")
        _functions[code] = fn
        return fn

    return decorate


def unregister_computed(code: str) -> None:
    """Remove a registration (tests)."""
    _functions.pop(code, None)


def get_function(code: str) -> ComputeFunction | None:
    return _functions.get(code)


def registered_codes() -> list[str]:
    return sorted(_functions)


def _qualname(fn: Callable) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


# ---- inputs shared by several indicators within one reading ----------------------------------------
# Many indicators are parts of one query (received, resolved, early, on time… of the same dossiers).
# While a ValueContext reads one period, the records cannot change under it, so a function may share one
# query between all its indicators for the same units and dates. Outside a reading nothing is kept.
_shared: ContextVar[dict[Hashable, Any] | None] = ContextVar("cchc_indicator_inputs", default=None)


@contextmanager
def reading(store: dict[Hashable, Any]) -> Iterator[None]:
    token = _shared.set(store)
    try:
        yield
    finally:
        _shared.reset(token)


def shared(key: Hashable, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per ``key`` within the current reading (every time outside one)."""
    store = _shared.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]
