"""Số liệu tính đã giữ lại: the computed figures a reading keeps for the next one, and reads back.

Two places, one rule (``versions``: a kept figure is read again only while its stamp is current):

- a stored period (a report period, a month, a quarter): the table ``ComputedValue``, one row per (unit,
  period, indicator), with the computing time and inputs people see as the figure's source;
- any other range of days (the statistics page from 1/1 to 31/12): the shared cache (``CCHC_CACHE_URL``),
  one entry per (range, unit) holding that unit's figures, dropped after a week unread.

The cache is an optimisation: when it cannot be read or written the figures are computed, never wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.core.cache import cache

from cchc.indicators.models import ComputedValue, Period
from cchc.indicators.versions import SNAPSHOT_KEY, Snapshot

T = TypeVar("T")

log = logging.getLogger(__name__)
RANGE_TTL = 7 * 24 * 3600  # seconds a range's figures stay in the cache unread
_FLUSH_AT = 500  # figures of a stored period written in one statement


@dataclass
class Kept:
    """A computed figure as kept: built straight from the row's columns or the cache's tuple (building a
    model instance for each of a province's thousand figures cost more than computing them)."""

    unit_id: int
    indicator_id: int
    value: Decimal | None
    function: str
    inputs: dict[str, Any]
    computed_at: Any
    stamp: str = ""
    stale: bool = False

    def row(self, period: Period) -> ComputedValue:
        return ComputedValue(
            unit_id=self.unit_id,
            period=period,
            indicator_id=self.indicator_id,
            value=self.value,
            function=self.function,
            inputs=self.inputs,
            computed_at=self.computed_at,
            stale=False,
            stamp=self.stamp,
        )

    def entry(self) -> tuple:
        return (self.value, self.function, self.inputs, self.computed_at, self.stamp)


class KeptFigures:
    """The kept figures of one period (stored or a range of days) for one reading: loaded per unit on first
    need, the new ones written at ``flush``."""

    def __init__(self, period: Period) -> None:
        self.period = period
        self._found: dict[tuple[int, int], Kept] = {}
        self._units: set[int] = set()
        self._pending: list[Kept] = []

    def get(self, unit_id: int, indicator_id: int) -> Kept | None:
        if unit_id not in self._units:
            self.load([unit_id])
        return self._found.get((unit_id, indicator_id))

    def load(self, unit_ids: list[int]) -> None:
        """The kept figures of these units, in one query (or one cache read)."""
        todo = [uid for uid in unit_ids if uid not in self._units]
        self._units.update(todo)
        if not todo:
            return
        if self.period.pk is not None:
            self._load_rows(todo)
        else:
            self._load_range(todo)

    def _load_rows(self, unit_ids: list[int]) -> None:
        fields = ("unit_id", "indicator_id", "value", "function", "inputs", "computed_at", "stamp", "stale")
        rows = ComputedValue.objects.filter(period=self.period, unit_id__in=unit_ids).values_list(*fields)
        for row in rows:
            kept = Kept(*row)
            self._found.setdefault((kept.unit_id, kept.indicator_id), kept)

    def _range_key(self, unit_id: int) -> str:
        return f"cchc.figures:{self.period.start:%Y%m%d}-{self.period.end:%Y%m%d}:{unit_id}"

    def _load_range(self, unit_ids: list[int]) -> None:
        keys = {self._range_key(uid): uid for uid in unit_ids}
        found = _cached("get_many", list(keys)) or {}
        for key, entries in found.items():
            uid = keys[key]
            for indicator_id, entry in entries.items():
                self._found.setdefault((uid, indicator_id), Kept(uid, indicator_id, *entry))

    def add(self, kept: Kept, *, keep: bool = True) -> None:
        """A figure just computed: read back from now on, written at ``flush`` when ``keep``."""
        self._found[(kept.unit_id, kept.indicator_id)] = kept
        if not keep:
            return
        self._pending.append(kept)
        if self.period.pk is not None and len(self._pending) >= _FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        """Write the figures computed since the last flush."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        if self.period.pk is not None:
            ComputedValue.objects.bulk_create(
                [k.row(self.period) for k in pending],
                update_conflicts=True,
                unique_fields=["unit", "period", "indicator"],
                update_fields=["value", "function", "inputs", "computed_at", "stale", "stamp"],
            )
            return
        # One entry per unit: its figures computed now beside those read (still current or not: a figure's
        # stamp is checked when it is read).
        units = {k.unit_id for k in pending}
        entries: dict[str, dict[int, tuple]] = {self._range_key(uid): {} for uid in units}
        for (uid, indicator_id), kept in self._found.items():
            if uid in units:
                entries[self._range_key(uid)][indicator_id] = kept.entry()
        _cached("set_many", entries, timeout=RANGE_TTL)


def kept_table(inputs: dict, name: str, unit_ids: list[int], start: date, end: date, compute: Callable[[], T]) -> T:
    """A table of the records beside a reading's figures (the statistics page's tables by field and by
    channel: no indicator), kept in the shared cache under the stamp of ``unit_ids`` over start…end taken
    from the reading's snapshot (``inputs``: the reading's shared inputs). Without a snapshot, computed."""
    snapshot: Snapshot | None = inputs.get(SNAPSHOT_KEY)
    if snapshot is None:
        return compute()
    stamp = snapshot.stamp({uid: [(start, end)] for uid in sorted(set(unit_ids))}, {}, end.year)
    key = f"cchc.table:{name}:{stamp}"
    found = _cached("get", key)
    if found is not None:
        return found
    table = compute()
    _cached("set", key, table, timeout=RANGE_TTL)
    return table


def _cached(operation: str, *args: Any, **kwargs: Any) -> Any:
    """``cache.<operation>(...)`` on the shared cache; None when the cache cannot be reached: the figures are
    then computed (and not kept), the page never fails for it."""
    try:
        return getattr(cache, operation)(*args, **kwargs)
    except Exception:  # Redis down, a full disk, a pickled class gone: any of them is a miss, logged
        log.warning("Không dùng được bộ nhớ đệm số liệu (%s)", operation, exc_info=True)
        return None
