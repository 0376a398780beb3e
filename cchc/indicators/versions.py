"""Phiên bản dữ liệu: when a computed figure kept in the cache may be read again.

A write of records (a dossier received or returned, a task done, a feedback answered) calls
``services.mark_stale*``, which bumps, in the writer's own transaction, the version of (the records' unit,
the year of the day that changed) — ``models.DataVersion``. A reading (``selectors.ValueContext``) takes a
:class:`Snapshot` of every version *before it reads any record*, and keeps each figure it computes with a
stamp: the versions of the units it counted (years up to its period's end year: a stock at the end of 2025
depends on every earlier day, never on 2026's) and which units and days those were. A kept figure is read
again only while its stamp is the current one.

Why this and not the ``stale`` flag alone: ``mark_stale`` marks the cached rows that exist when the write
runs. A reading that computed a figure from the records *before* a write and stored it *after* the write
stored an old figure as fresh, and nothing marked it again. With the stamp, such a figure carries the
snapshot taken before the write; the write's version commits with its records, so every later reading
computes another stamp and never reads the old figure. Versions only grow, so a stamp never comes back.

The same stamps key the figures of a range of days that is no stored period (the statistics page over a
calendar year), kept in the shared cache (``CCHC_CACHE_URL``): a province's reviewer reads last year's
figures of a hundred communes while their desks receive this year's dossiers, and only a commune whose
records of that year changed is computed again.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import date

from cchc import __version__
from cchc.indicators.models import DataVersion

EVERY_UNIT = 0  # DataVersion.scope of a write that changes every unit's figures (year 0)
SNAPSHOT_KEY: Hashable = ("indicators.versions.snapshot",)


@dataclass(frozen=True)
class Snapshot:
    """Every data version as one reading found them: per unit, the years with a version and the running
    sum of its versions up to each year; and the version of the writes that change every unit."""

    years: Mapping[int, list[int]]
    running: Mapping[int, list[int]]
    everywhere: int

    def total(self, unit_ids: list[int], last_year: int) -> int:
        """The sum of the versions of ``unit_ids`` for every year up to ``last_year``, and of the writes
        that change every unit: it grows with every write a figure over these units may depend on."""
        n = self.everywhere
        for uid in unit_ids:
            years = self.years.get(uid)
            if years:
                i = bisect_right(years, last_year)
                if i:
                    n += self.running[uid][i - 1]
        return n

    def stamp(self, spans: Mapping[int, list[tuple[date, date]]], levels: Mapping[int, str], last_year: int) -> str:
        """The stamp of a figure counted over ``spans`` ({unit id: [(first day, last day)]}, the units'
        ``levels`` beside): the versions' sum, and a digest of the units, their days and levels and the
        product's version — the same sum over other units or days is another stamp."""
        total = self.total(list(spans), last_year)
        shape = repr((__version__, sorted((uid, levels.get(uid, ""), windows) for uid, windows in spans.items())))
        digest = hashlib.blake2b(shape.encode(), digest_size=8).hexdigest()
        return f"{total}-{digest}"


def read_snapshot() -> Snapshot:
    """Every data version, in one query (a row per unit with records and year they changed in)."""
    years: dict[int, list[int]] = {}
    running: dict[int, list[int]] = {}
    everywhere = 0
    rows = DataVersion.objects.order_by("scope", "year").values_list("scope", "year", "version")
    for scope, year, version in rows:
        if scope == EVERY_UNIT:
            everywhere += version
            continue
        years.setdefault(scope, []).append(year)
        sums = running.setdefault(scope, [])
        sums.append((sums[-1] if sums else 0) + version)
    return Snapshot(years, running, everywhere)
