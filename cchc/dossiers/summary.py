"""Bảng tổng hợp ``DossierStat``: kept current by every write path.

A dossier contributes, on given days, to flow columns (received, resolved…) and to stock deltas:

- pending on day t ⇔ received_on ≤ t < closed_on (or never closed): +1 on received_on, −1 on closed_on;
- overdue on day t ⇔ pending and due_on < t: +1 on due_on + 1, −1 on closed_on (when after due_on + 1);
- overdue without apology on day t ⇔ overdue and (no apology or apology_on > t): the same, ending at the
  earlier of closed_on and apology_on.

Services call :func:`apply_change` with the dossier's contribution before and after a change; the import
calls :func:`rebuild_units` (one SQL statement per grain). Both write day rows (grain "D") and month rows
(grain "M", day = first of the month).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import connection

from cchc.dossiers.models import STAT_COLUMNS, DossierStat

Key = tuple[int, int, str, date]  # unit, field, channel, day

CLOSED_OTHER = ("tu_choi", "rut", "dung")


def _min_date(a: date | None, b: date | None) -> date | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def contribution(d: Any) -> dict[Key, dict[str, int]]:
    """What one dossier (a model instance or any object with the same attributes) adds to the table."""
    out: dict[Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    base = (d.unit_id, d.field_id, d.channel)

    def add(day: date, column: str, value: int = 1) -> None:
        out[(*base, day)][column] += value

    add(d.received_on, "received")
    add(d.received_on, "pending_delta")
    if d.channel == "truc_tuyen":
        add(d.received_on, "received_online")
    if d.apology_on:
        add(d.apology_on, "apologies")
    if d.closed_on:
        add(d.closed_on, "pending_delta", -1)
        if d.status == "da_tra":
            add(d.closed_on, "resolved")
            column = {"som": "resolved_early", "dung": "resolved_on_time", "tre": "resolved_late"}[d.outcome]
            add(d.closed_on, column)
            if d.outcome == "tre" and not d.apology_on:
                add(d.closed_on, "resolved_late_no_apology")
        elif d.status in CLOSED_OTHER:
            add(d.closed_on, "closed_other")
    overdue_from = d.due_on + timedelta(days=1)
    for column, end in (
        ("overdue_delta", d.closed_on),
        ("overdue_no_apology_delta", _min_date(d.closed_on, d.apology_on)),
    ):
        if end is None or end > overdue_from:
            add(overdue_from, column)
            if end is not None:
                add(end, column, -1)
    return out


def apply_change(before: dict[Key, dict[str, int]] | None, after: dict[Key, dict[str, int]] | None) -> None:
    """Add ``after`` and subtract ``before`` (each from :func:`contribution`) in the day and month rows."""
    delta: dict[tuple[str, int, int, str, date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for sign, part in ((-1, before or {}), (1, after or {})):
        for (unit, field, channel, day), cols in part.items():
            for grain, when in (("D", day), ("M", day.replace(day=1))):
                row = delta[(grain, unit, field, channel, when)]
                for col, value in cols.items():
                    row[col] += sign * value
    rows = [(key, cols) for key, cols in delta.items() if any(cols.values())]
    if not rows:
        return
    cols_sql = ", ".join(STAT_COLUMNS)
    marks = ", ".join(["%s"] * (5 + len(STAT_COLUMNS)))
    updates = ", ".join(f"{c} = {DossierStat._meta.db_table}.{c} + excluded.{c}" for c in STAT_COLUMNS)
    sql = (
        f"INSERT INTO {DossierStat._meta.db_table} (grain, unit_id, field_id, channel, day, {cols_sql}) "
        f"VALUES ({marks}) ON CONFLICT (grain, unit_id, field_id, channel, day) DO UPDATE SET {updates}"
    )
    params = [[*key, *(cols.get(c, 0) for c in STAT_COLUMNS)] for key, cols in rows]
    with connection.cursor() as cur:
        cur.executemany(sql, params)


# ---- rebuild in SQL (import, repair) -------------------------------------------------------------------
def _plus_one(column: str) -> str:
    return f"date({column}, '+1 day')" if connection.vendor == "sqlite" else f"({column} + 1)"


def _month(column: str) -> str:
    return (
        f"date({column}, 'start of month')" if connection.vendor == "sqlite" else f"date_trunc('month', {column})::date"
    )


def _streams() -> str:
    """One SELECT per kind of contribution, as in :func:`contribution`."""
    zero = dict.fromkeys(STAT_COLUMNS, "0")

    def select(day: str, where: str, **cols: str) -> str:
        values = {**zero, **cols}
        return (
            f"SELECT unit_id, field_id, channel, {day} AS day, "
            + ", ".join(f"{values[c]} AS {c}" for c in STAT_COLUMNS)
            + f" FROM {{src}} WHERE {where}"
        )

    od = _plus_one("due_on")
    end_na = (
        "CASE WHEN apology_on IS NULL THEN closed_on WHEN closed_on IS NULL THEN apology_on "
        "WHEN apology_on < closed_on THEN apology_on ELSE closed_on END"
    )
    closed_other = "(" + ", ".join(f"'{s}'" for s in CLOSED_OTHER) + ")"
    parts = [
        select(
            "received_on",
            "1=1",
            received="1",
            pending_delta="1",
            received_online="CASE WHEN channel = 'truc_tuyen' THEN 1 ELSE 0 END",
        ),
        select("apology_on", "apology_on IS NOT NULL", apologies="1"),
        select(
            "closed_on",
            "closed_on IS NOT NULL",
            pending_delta="-1",
            resolved="CASE WHEN status = 'da_tra' THEN 1 ELSE 0 END",
            resolved_early="CASE WHEN status = 'da_tra' AND outcome = 'som' THEN 1 ELSE 0 END",
            resolved_on_time="CASE WHEN status = 'da_tra' AND outcome = 'dung' THEN 1 ELSE 0 END",
            resolved_late="CASE WHEN status = 'da_tra' AND outcome = 'tre' THEN 1 ELSE 0 END",
            resolved_late_no_apology=(
                "CASE WHEN status = 'da_tra' AND outcome = 'tre' AND apology_on IS NULL THEN 1 ELSE 0 END"
            ),
            closed_other=f"CASE WHEN status IN {closed_other} THEN 1 ELSE 0 END",
        ),
        select(od, f"closed_on IS NULL OR closed_on > {od}", overdue_delta="1"),
        select("closed_on", f"closed_on > {od}", overdue_delta="-1"),
        select(od, f"({end_na}) IS NULL OR ({end_na}) > {od}", overdue_no_apology_delta="1"),
        select(f"({end_na})", f"({end_na}) > {od}", overdue_no_apology_delta="-1"),
    ]
    return " UNION ALL ".join(parts)


def rebuild_units(unit_ids: Iterable[int] | None = None) -> None:
    """Recompute the table for these units (all units when None) from the dossiers."""
    table = DossierStat._meta.db_table
    from cchc.dossiers.models import Dossier

    ids = None if unit_ids is None else sorted(set(unit_ids))
    if ids is not None and not ids:
        return
    where_units = "" if ids is None else f" unit_id IN ({', '.join(str(int(i)) for i in ids)})"
    streams = _streams().replace("{src}", Dossier._meta.db_table)
    if ids is not None:
        streams = " UNION ALL ".join(
            part.replace(" WHERE ", f" WHERE{where_units} AND (", 1) + ")" for part in streams.split(" UNION ALL ")
        )
    sums = ", ".join(f"SUM({c})" for c in STAT_COLUMNS)
    cols = ", ".join(STAT_COLUMNS)
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {table}" + (f" WHERE{where_units}" if ids is not None else ""))
        cur.execute(
            f"INSERT INTO {table} (grain, unit_id, field_id, channel, day, {cols}) "
            f"SELECT 'D', unit_id, field_id, channel, day, {sums} FROM ({streams}) s "
            f"GROUP BY unit_id, field_id, channel, day"
        )
        cur.execute(
            f"INSERT INTO {table} (grain, unit_id, field_id, channel, day, {cols}) "
            f"SELECT 'M', unit_id, field_id, channel, {_month('day')}, {sums} FROM {table} "
            f"WHERE grain = 'D'{' AND' + where_units if ids is not None else ''} "
            f"GROUP BY unit_id, field_id, channel, {_month('day')}"
        )
