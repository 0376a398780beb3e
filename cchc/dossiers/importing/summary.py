"""The import's hook into the statistics summary (cchc/dossiers/summary.py, which stays the one place that
knows the summary table): the events of the written rows and the old contribution of the changed ones, the
summary rows computed in a second thread, and the cached indicator values marked stale."""

from __future__ import annotations

from datetime import date

import numpy as np
from django.db import connection

from cchc.dossiers import summary
from cchc.dossiers.importing.values import EPOCH
from cchc.dossiers.models import Dossier
from cchc.indicators.services import mark_stale_since
from cchc.org.selectors import load_graph


def old_events(codes: list[str]) -> summary.StatEvents | None:
    """What the changed dossiers contributed to the summary table before this file."""
    if not codes:
        return None
    table = Dossier._meta.db_table
    rows: list[tuple] = []
    with connection.cursor() as cur:
        for start in range(0, len(codes), 900):
            batch = codes[start : start + 900]
            cur.execute(
                f"SELECT unit_id, field_id, channel, received_on, due_on, closed_on, status, outcome, apology_on "
                f"FROM {table} WHERE code IN ({', '.join(['%s'] * len(batch))})",
                batch,
            )
            rows.extend(cur.fetchall())
    return summary.StatEvents.from_rows(rows)


def stat_rows(
    before: summary.StatEvents | None, after: summary.StatEvents, copy: bool
) -> tuple[list[tuple], str | None]:
    """The summary rows, and their COPY text for PostgreSQL: both built in the second thread."""
    rows = summary.stat_rows(before, after)
    return rows, summary.copy_text(rows) if copy else None


def write(rows: tuple[list[tuple], str | None]) -> None:
    summary.write_rows(*rows)


def mark_figures_stale(after: summary.StatEvents, before: summary.StatEvents | None) -> None:
    """Cached indicator values of the periods the written rows touch are stale: per unit, every period
    ending on or after the earliest receipt day among its new and changed dossiers (a dossier's figures all
    fall on or after its receipt day; a stock moves every later period). One statement per unit."""
    units = after.unit if before is None else np.concatenate([after.unit, before.unit])
    days = after.received if before is None else np.concatenate([after.received, before.received])
    if not len(units):
        return
    order = np.lexsort((days, units))
    units, days = units[order], days[order]
    first = np.ones(len(units), dtype=bool)
    first[1:] = units[1:] != units[:-1]
    graph = load_graph()  # once for the file, not once per unit
    for unit_id, day in zip(units[first].tolist(), days[first].tolist(), strict=True):
        mark_stale_since(int(unit_id), date.fromordinal(int(day) + EPOCH), graph)
