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
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db import connection

from cchc.dossiers.models import STAT_COLUMNS, Channel, DossierStat, Outcome, Status

Key = tuple[int, int, str, date]  # unit, field, channel, day

CLOSED_OTHER = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED)
# SQL literals of the summary's CASE columns, from the enums (the values are what the rows store).
_ONLINE, _RETURNED = Channel.ONLINE.value, Status.RETURNED.value
_EARLY, _ON_TIME, _LATE = Outcome.EARLY.value, Outcome.ON_TIME.value, Outcome.LATE.value
# The statistics column each outcome of a returned dossier counts in.
OUTCOME_PART = {Outcome.EARLY: "resolved_early", Outcome.ON_TIME: "resolved_on_time", Outcome.LATE: "resolved_late"}


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
        if d.status == Status.RETURNED:
            add(d.closed_on, "resolved")
            column = OUTCOME_PART[d.outcome]
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
    closed_other = "(" + ", ".join(f"'{s.value}'" for s in CLOSED_OTHER) + ")"
    parts = [
        select(
            "received_on",
            "1=1",
            received="1",
            pending_delta="1",
            received_online=f"CASE WHEN channel = '{_ONLINE}' THEN 1 ELSE 0 END",
        ),
        select("apology_on", "apology_on IS NOT NULL", apologies="1"),
        select(
            "closed_on",
            "closed_on IS NOT NULL",
            pending_delta="-1",
            resolved=f"CASE WHEN status = '{_RETURNED}' THEN 1 ELSE 0 END",
            resolved_early=f"CASE WHEN status = '{_RETURNED}' AND outcome = '{_EARLY}' THEN 1 ELSE 0 END",
            resolved_on_time=f"CASE WHEN status = '{_RETURNED}' AND outcome = '{_ON_TIME}' THEN 1 ELSE 0 END",
            resolved_late=f"CASE WHEN status = '{_RETURNED}' AND outcome = '{_LATE}' THEN 1 ELSE 0 END",
            resolved_late_no_apology=(
                f"CASE WHEN status = '{_RETURNED}' AND outcome = '{_LATE}' AND apology_on IS NULL THEN 1 ELSE 0 END"
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


# ---- many dossiers at once (import) -------------------------------------------------------------------
_CHANNELS = ("", "truc_tiep", "truc_tuyen", "buu_chinh")  # index = the import's channel number
_CHANNEL_RANK = np.argsort(np.argsort(np.array(_CHANNELS)))  # a channel number's place in text order
_COL = {c: i for i, c in enumerate(STAT_COLUMNS)}
_EPOCH = date(1970, 1, 1).toordinal()


def _day_number(value: Any) -> int:
    if value is None:
        return -1
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.toordinal() - _EPOCH


@dataclass
class StatEvents:
    """Dossiers column-wise, for :func:`stat_rows`: day numbers since 1970 (−1 = none), ``channel`` as
    the import numbers it (1 trực tiếp, 2 trực tuyến, 3 bưu chính), ``state`` 0 open, 1 returned early,
    2 on time, 3 late, 4 closed otherwise (refused, withdrawn, stopped)."""

    unit: np.ndarray
    field: np.ndarray
    channel: np.ndarray
    received: np.ndarray
    due: np.ndarray
    closed: np.ndarray
    state: np.ndarray
    apology: np.ndarray

    @classmethod
    def from_rows(cls, rows: list[tuple]) -> StatEvents:
        """From (unit_id, field_id, channel, received_on, due_on, closed_on, status, outcome, apology_on)."""
        outcome = {Outcome.EARLY: 1, Outcome.ON_TIME: 2, Outcome.LATE: 3}
        chan = {c: i for i, c in enumerate(_CHANNELS)}

        def state(status: str, result: str) -> int:
            if status == Status.RETURNED:
                return outcome.get(result, 0)
            return 4 if status in CLOSED_OTHER else 0

        def ints(values: Iterable[int]) -> np.ndarray:
            return np.fromiter(values, dtype=np.int64, count=len(rows))

        return cls(
            unit=ints(r[0] for r in rows),
            field=ints(r[1] for r in rows),
            channel=ints(chan.get(r[2], 0) for r in rows),
            received=ints(_day_number(r[3]) for r in rows),
            due=ints(_day_number(r[4]) for r in rows),
            closed=ints(_day_number(r[5]) for r in rows),
            state=ints(state(r[6], r[7]) for r in rows),
            apology=ints(_day_number(r[8]) for r in rows),
        )

    def events(self, sign: int) -> list[tuple[np.ndarray, np.ndarray, int, np.ndarray]]:
        """(row indices, day, column, value) streams: what :func:`contribution` does, for all rows."""
        out = []
        every = np.arange(len(self.unit))

        def add(mask: np.ndarray | None, day: np.ndarray, column: str, value: np.ndarray | int = 1) -> None:
            rows = every if mask is None else np.flatnonzero(mask)
            if len(rows):
                v = np.broadcast_to(np.asarray(value, dtype=np.int64), (len(every),))[rows] * sign
                out.append((rows, day[rows], _COL[column], v))

        add(None, self.received, "received")
        add(None, self.received, "pending_delta")
        add(self.channel == 2, self.received, "received_online")
        add(self.apology >= 0, self.apology, "apologies")
        closed = self.closed >= 0
        add(closed, self.closed, "pending_delta", -1)
        returned = closed & (self.state >= 1) & (self.state <= 3)
        add(returned, self.closed, "resolved")
        add(closed & (self.state == 1), self.closed, "resolved_early")
        add(closed & (self.state == 2), self.closed, "resolved_on_time")
        add(closed & (self.state == 3), self.closed, "resolved_late")
        add(closed & (self.state == 3) & (self.apology < 0), self.closed, "resolved_late_no_apology")
        add(closed & (self.state == 4), self.closed, "closed_other")
        overdue_from = self.due + 1
        end_na = np.where(
            self.apology < 0, self.closed, np.where(closed, np.minimum(self.closed, self.apology), self.apology)
        )
        for column, end in (("overdue_delta", self.closed), ("overdue_no_apology_delta", end_na)):
            counts = (end < 0) | (end > overdue_from)
            add(counts, overdue_from, column)
            add(counts & (end >= 0), end, column, -1)
        return out


def stat_rows(before: StatEvents | None, after: StatEvents | None) -> list[tuple]:
    """The day and month rows to add (numpy only, no database: the import computes them in a thread
    while SQLite writes the dossiers)."""
    streams = []
    for sign, part in ((-1, before), (1, after)):
        if part is not None and len(part.unit):
            streams.extend((part, *s) for s in part.events(sign))
    if not streams:
        return []
    unit = np.concatenate([p.unit[r] for p, r, _, _, _ in streams])
    field = np.concatenate([p.field[r] for p, r, _, _, _ in streams])
    chan = np.concatenate([p.channel[r] for p, r, _, _, _ in streams])
    day = np.concatenate([d for _, _, d, _, _ in streams])
    col = np.concatenate([np.full(len(r), c, dtype=np.int64) for _, r, _, c, _ in streams])
    val = np.concatenate([v for _, _, _, _, v in streams])
    # Day rows from the events, month rows from the day rows (far fewer than the events).
    d_unit, d_field, d_chan, d_day, d_sums = _grouped(unit, field, chan, day, col, val)
    month = d_day.astype("datetime64[D]").astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    m_unit, m_field, m_chan, m_day, m_sums = _grouped(d_unit, d_field, d_chan, month, None, d_sums)
    rows: list[tuple] = []
    for grain, parts in (
        ("D", (d_unit, d_field, d_chan, d_day, d_sums)),
        ("M", (m_unit, m_field, m_chan, m_day, m_sums)),
    ):
        u, f, c, d, sums = parts
        keep = sums.any(axis=1)  # deltas that cancel out write nothing
        # In the order of the table's key (grain, day, unit, field, channel): the upsert then walks the
        # unique index forwards instead of jumping around it (a third faster for a province-year).
        keep = np.flatnonzero(keep)
        keep = keep[np.lexsort((_CHANNEL_RANK[c[keep]], f[keep], u[keep], d[keep]))]
        u, f, c, d, sums = u[keep], f[keep], c[keep], d[keep], sums[keep]
        days = np.datetime_as_string(d.astype("datetime64[D]")).tolist()
        chans = np.array(_CHANNELS, dtype=object)[c].tolist()
        rows.extend(
            (grain, ui, fi, ci, di, *s)
            for ui, fi, ci, di, s in zip(u.tolist(), f.tolist(), chans, days, sums.tolist(), strict=True)
        )
    return rows


def _grouped(
    unit: np.ndarray, field: np.ndarray, chan: np.ndarray, day: np.ndarray, col: np.ndarray | None, val: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sum ``val`` per (unit, field, channel, day) and column (``col``; None when ``val`` is a rows × columns
    matrix): the keys and a keys × columns matrix of sums."""
    u_keys, u_inv = np.unique(unit, return_inverse=True)
    f_keys, f_inv = np.unique(field, return_inverse=True)
    d0 = int(day.min())
    span = int(day.max()) - d0 + 1
    nc = len(_CHANNELS)
    key = ((u_inv.ravel() * len(f_keys) + f_inv.ravel()) * nc + chan) * span + (day - d0)
    size = len(u_keys) * len(f_keys) * nc * span
    if size <= 4 * len(key) + 1_000_000:
        # Dense key space (the usual case): mark the keys present instead of sorting the events.
        present = np.bincount(key, minlength=size) > 0
        keys = np.flatnonzero(present)
        inv = (np.cumsum(present) - 1)[key]
    else:
        keys, inv = np.unique(key, return_inverse=True)
        inv = inv.ravel()
    ncol = len(STAT_COLUMNS)
    if col is None:  # ``val`` is already a (rows × columns) matrix
        sums = np.stack([np.bincount(inv, weights=val[:, j], minlength=len(keys)) for j in range(ncol)], axis=1)
    else:
        sums = np.bincount(inv * ncol + col, weights=val, minlength=len(keys) * ncol).reshape(len(keys), ncol)
    sums = np.rint(sums).astype(np.int64)
    d = keys % span + d0
    rest = keys // span
    c = rest % nc
    rest //= nc
    return u_keys[rest // len(f_keys)], f_keys[rest % len(f_keys)], c, d, sums


def copy_text(rows: list[tuple]) -> str:
    """The rows as PostgreSQL COPY text (the import builds it in its second thread while the dossiers are
    written, then hands it to :func:`write_rows`)."""
    return "".join("\t".join(map(str, r)) + "\n" for r in rows)


def write_rows(rows: list[tuple], text: str | None = None) -> None:
    """Add the rows' values to the table (insert the keys it does not have yet); ``text``: the rows as
    :func:`copy_text` gives them, when already built."""
    if not rows:
        return
    table = DossierStat._meta.db_table
    key = "grain, unit_id, field_id, channel, day"
    cols_sql = ", ".join(STAT_COLUMNS)
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in STAT_COLUMNS)
    conflict = f"ON CONFLICT ({key}) DO UPDATE SET {updates}"
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                f"CREATE TEMP TABLE dossier_stat_stage ON COMMIT DROP AS SELECT {key}, {cols_sql} FROM {table} "
                "WITH NO DATA"
            )
            with cur.cursor.copy(f"COPY dossier_stat_stage ({key}, {cols_sql}) FROM STDIN") as copy:
                if text is not None:
                    copy.write(text)
                else:
                    for start in range(0, len(rows), 100_000):
                        copy.write(copy_text(rows[start : start + 100_000]))
            cur.execute(
                f"INSERT INTO {table} ({key}, {cols_sql}) SELECT {key}, {cols_sql} FROM dossier_stat_stage {conflict}"
            )
            cur.execute("DROP TABLE dossier_stat_stage")
        return
    marks = ", ".join(["?"] * (5 + len(STAT_COLUMNS)))
    connection.connection.executemany(f"INSERT INTO {table} ({key}, {cols_sql}) VALUES ({marks}) {conflict}", rows)
