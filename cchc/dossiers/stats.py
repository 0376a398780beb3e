"""Thống kê hồ sơ của một kỳ — từ bảng tổng hợp (nhanh) hoặc trực tiếp từ hồ sơ (đối chiếu).

Definitions (docs/dossiers.md §Thống kê):
- received: received_on in [start, end]; online: of them, channel trực tuyến;
- carried_over: pending at the end of the day before ``start``;
- resolved (+ early / on time / late): returned_on in [start, end];
- on_time_rate: (early + on time) / resolved × 100, two decimals; None when nothing was resolved;
- pending (+ within deadline / overdue): not closed at the end of ``end``; overdue when due_on < end;
- apologies: apology_on in [start, end];
- late_without_apology: resolved late in the period without an apology + pending overdue at ``end``
  without an apology issued by then;
- closed_other: refused, withdrawn or stopped in the period (so that carried_over + received =
  resolved + closed_other + pending).
"""

from __future__ import annotations

import calendar as _cal
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q

from cchc.core.vnformat import percent
from cchc.dossiers.models import Channel, Dossier, DossierStat, Field, Outcome, Status
from cchc.dossiers.summary import CLOSED_OTHER, OUTCOME_PART
from cchc.org.models import OrgUnit

KEYS = (
    "received",
    "carried_over",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "on_time_rate",
    "pending",
    "pending_within_deadline",
    "pending_overdue",
    "online",
    "apologies",
    "late_without_apology",
    "closed_other",
)
# Internal sums a group carries before it is finished into KEYS.
_PARTS = (
    "received",
    "online",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_late_no_apology",
    "closed_other",
    "apologies",
    "pending_s",
    "pending_e",
    "overdue_e",
    "overdue_na_e",
)


def _month_end(d: date) -> date:
    return d.replace(day=_cal.monthrange(d.year, d.month)[1])


def _finish(p: dict[str, int]) -> dict[str, Any]:
    rate = percent(p["resolved_early"] + p["resolved_on_time"], p["resolved"]) if p["resolved"] else None
    return {
        "received": p["received"],
        "carried_over": p["pending_s"],
        "resolved": p["resolved"],
        "resolved_early": p["resolved_early"],
        "resolved_on_time": p["resolved_on_time"],
        "resolved_late": p["resolved_late"],
        "on_time_rate": float(rate) if isinstance(rate, Decimal) else rate,
        "pending": p["pending_e"],
        "pending_within_deadline": p["pending_e"] - p["overdue_e"],
        "pending_overdue": p["overdue_e"],
        "online": p["online"],
        "apologies": p["apologies"],
        "late_without_apology": p["resolved_late_no_apology"] + p["overdue_na_e"],
        "closed_other": p["closed_other"],
    }


def _in(ids: list[int]) -> str:
    return ", ".join(str(int(i)) for i in ids) or "NULL"


def _grouped_from_summary(unit_ids: list[int], start: date, end: date) -> dict[tuple, dict[str, int]]:
    """Sums per (unit, field, channel) from the summary table: whole months from month rows, the
    ragged edges of the period from day rows."""
    table = DossierStat._meta.db_table
    a = start if start.day == 1 else _month_end(start) + timedelta(days=1)
    b = end if end == _month_end(end) else end.replace(day=1) - timedelta(days=1)
    full = a <= b
    before = start - timedelta(days=1)
    # Stock at day t = month rows before month(t + 1) + day rows from that month's first day to t.
    ms_e, ms_s = (end + timedelta(days=1)).replace(day=1), (before + timedelta(days=1)).replace(day=1)

    def flows(cond: str) -> list[str]:
        cols = (
            "received",
            "received_online",
            "resolved",
            "resolved_early",
            "resolved_on_time",
            "resolved_late",
            "resolved_late_no_apology",
            "closed_other",
            "apologies",
        )
        return [f"SUM(CASE WHEN {cond} THEN {c} ELSE 0 END)" for c in cols]

    def stocks(cond_s: str, cond_e: str) -> list[str]:
        return [
            f"SUM(CASE WHEN {cond_s} THEN pending_delta ELSE 0 END)",
            f"SUM(CASE WHEN {cond_e} THEN pending_delta ELSE 0 END)",
            f"SUM(CASE WHEN {cond_e} THEN overdue_delta ELSE 0 END)",
            f"SUM(CASE WHEN {cond_e} THEN overdue_no_apology_delta ELSE 0 END)",
        ]

    p = {"s": start, "e": end, "a": a, "b": b, "mse": ms_e, "mss": ms_s, "bef": before}
    if full:
        d_flow = "((day >= %(s)s AND day < %(a)s) OR (day > %(b)s AND day <= %(e)s))"
        m_flow = "(day >= %(a)s AND day <= %(b)s)"
    else:
        d_flow, m_flow = "(day >= %(s)s AND day <= %(e)s)", "1 = 0"
    stock_s, stock_e = "(day >= %(mss)s AND day <= %(bef)s)", "(day >= %(mse)s AND day <= %(e)s)"
    # Day rows are read only on the days the period needs them (its ragged edges and the months of its
    # two stock dates), through the (grain, day, …) key: each disjoint range of days once.
    wanted = [(start, a - timedelta(days=1)), (b + timedelta(days=1), end)] if full else [(start, end)]
    wanted += [(ms_s, before), (ms_e, end)]
    ranges: list[list[date]] = []
    for lo, hi in sorted(r for r in wanted if r[0] <= r[1]):
        if ranges and lo <= ranges[-1][1] + timedelta(days=1):
            ranges[-1][1] = max(ranges[-1][1], hi)
        else:
            ranges.append([lo, hi])
    d_sums = ", ".join(flows(d_flow) + stocks(stock_s, stock_e))
    d_sqls = [
        (
            f"SELECT unit_id, field_id, channel, {d_sums} FROM {table} "
            f"WHERE grain = 'D' AND day >= %(lo{i})s AND day <= %(hi{i})s AND unit_id IN ({_in(unit_ids)}) "
            f"GROUP BY unit_id, field_id, channel"
        )
        for i in range(len(ranges))
    ]
    for i, (lo, hi) in enumerate(ranges):
        p[f"lo{i}"], p[f"hi{i}"] = lo, hi
    m_sql = (
        f"SELECT unit_id, field_id, channel, {', '.join(flows(m_flow) + stocks('day < %(mss)s', 'day < %(mse)s'))} "
        f"FROM {table} WHERE grain = 'M' AND day <= %(e)s AND unit_id IN ({_in(unit_ids)}) "
        f"GROUP BY unit_id, field_id, channel"
    )
    if connection.vendor == "sqlite":
        p = {k: v.isoformat() for k, v in p.items()}
    out: dict[tuple, dict[str, int]] = {}
    with connection.cursor() as cur:
        for sql in (*d_sqls, m_sql):
            cur.execute(sql, p)
            for unit, field, channel, *values in cur.fetchall():
                acc = out.setdefault((unit, field, channel), dict.fromkeys(_PARTS, 0))
                for name, value in zip(_PARTS, values, strict=True):
                    acc[name] += int(value or 0)
    return out


def _grouped_from_dossiers(unit_ids: list[int], start: date, end: date) -> dict[tuple, dict[str, int]]:
    """The same sums straight from the dossiers (slow; used to check the summary table)."""
    before = start - timedelta(days=1)
    out: dict[tuple, dict[str, int]] = {}
    rows = (
        Dossier.objects.filter(unit_id__in=unit_ids, received_on__lte=end)
        .filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=start) | Q(received_on__gte=start) | Q(apology_on__gte=start)
        )
        .values_list(
            "unit_id", "field_id", "channel", "received_on", "due_on", "closed_on", "status", "outcome", "apology_on"
        )
    )
    for unit, field, channel, rec, due, closed, status, outcome, apology in rows.iterator():
        acc = out.setdefault((unit, field, channel), dict.fromkeys(_PARTS, 0))
        if start <= rec <= end:
            acc["received"] += 1
            acc["online"] += channel == Channel.ONLINE
        if apology and start <= apology <= end:
            acc["apologies"] += 1
        if closed and start <= closed <= end:
            if status == Status.RETURNED:
                acc["resolved"] += 1
                acc[OUTCOME_PART[outcome]] += 1
                acc["resolved_late_no_apology"] += outcome == Outcome.LATE and apology is None
            elif status in CLOSED_OTHER:
                acc["closed_other"] += 1
        if rec <= before and (closed is None or closed > before):
            acc["pending_s"] += 1
        if closed is None or closed > end:
            acc["pending_e"] += 1
            if due < end:
                acc["overdue_e"] += 1
                acc["overdue_na_e"] += apology is None or apology > end
    return out


Names = tuple[dict[int, OrgUnit], dict[int, Field]]
Grouped = dict[tuple, dict[str, int]]  # the sums of a (unit, field, channel)


def names_of(grouped: Iterable[tuple]) -> Names:
    """The units and fields the rows (their (unit, field, channel) keys) name, in two queries (read once for
    a prefetched province)."""
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in={k[0] for k in grouped})}
    return units, {f.pk: f for f in Field.objects.filter(pk__in={k[1] for k in grouped})}


def _summed(rows: list[tuple[int, ...]]) -> dict[str, int]:
    """The column sums of rows of ``_PARTS`` values (``zip`` and ``sum`` add a column in C: a province's
    three thousand rows, four ways, are added in milliseconds, not in a Python loop per value)."""
    return dict(zip(_PARTS, map(sum, zip(*rows, strict=True)), strict=True)) if rows else dict.fromkeys(_PARTS, 0)


def _breakdowns(grouped: dict[tuple, dict[str, int]], names: Names | None = None) -> dict[str, Any]:
    by: dict[str, dict[Any, list[tuple[int, ...]]]] = {"unit": {}, "field": {}, "channel": {}}
    kept = []
    for (unit, field, channel), parts in grouped.items():
        values = tuple(map(parts.__getitem__, _PARTS))
        if not any(values):  # nothing in this period (a day row outside it, or deltas that cancel)
            continue
        kept.append(values)
        by["unit"].setdefault(unit, []).append(values)
        by["field"].setdefault(field, []).append(values)
        by["channel"].setdefault(channel, []).append(values)
    units, fields = names or names_of(grouped)
    result: dict[str, Any] = _finish(_summed(kept))
    result["by_unit"] = [
        {"unit": units[k].code, "name": units[k].name, **_finish(_summed(v))}
        for k, v in sorted(by["unit"].items(), key=lambda kv: units[kv[0]].code)
    ]
    result["by_field"] = [
        {"field": fields[k].code, "name": fields[k].name, **_finish(_summed(v))}
        for k, v in sorted(by["field"].items(), key=lambda kv: fields[kv[0]].name)
    ]
    labels = dict(Channel.choices)
    result["by_channel"] = [
        {"channel": k, "name": labels.get(k, k), **_finish(_summed(v))} for k, v in sorted(by["channel"].items())
    ]
    return result


def stats(units: list[int], start: date, end: date, *, source: str = "summary") -> dict[str, Any]:
    """Số liệu hồ sơ của các đơn vị ``units`` (ids) trong kỳ start…end (both included).

    The plain selector the indicator store registers: ``stats(units, start, end)["resolved"]`` …
    ``source="dossiers"`` computes the same from the dossier rows (for checks and tests)."""
    ids = sorted({int(u) for u in units})
    grouped = (_grouped_from_summary if source == "summary" else _grouped_from_dossiers)(ids, start, end)
    return _breakdowns(grouped)


def grouped_rows(units: list[int], start: date, end: date) -> dict[int, Grouped]:
    """The summary's sums per (unit, field, channel) of ``units``, by unit: what :func:`stats_of_grouped`
    reads. Indexed by unit so that a subset's rows are picked, not searched for among every unit's."""
    by_unit: dict[int, Grouped] = {}
    for key, parts in _grouped_from_summary(sorted({int(u) for u in units}), start, end).items():
        by_unit.setdefault(key[0], {})[key] = parts
    return by_unit


def stats_of_grouped(
    by_unit: dict[int, Grouped], units: list[int], names: Names, *, totals_only: bool = False
) -> dict[str, Any]:
    """``stats(units, …)`` from the rows of :func:`grouped_rows` of a larger set of units (one query for a
    province's hundred communes instead of one each): the rows are per unit, so a subset's sums are exact.
    ``names``: :func:`names_of` the rows. ``totals_only``: the ``KEYS`` without the breakdowns (a province's
    table by commune needs each commune's totals, not its fifteen groups)."""
    rows: Grouped = {}
    for unit in sorted({int(u) for u in units}):
        rows.update(by_unit.get(unit, {}))
    if totals_only:  # rows of zeros add nothing: no need to leave them out as _breakdowns does
        return _finish(_summed([tuple(map(parts.__getitem__, _PARTS)) for parts in rows.values()]))
    return _breakdowns(rows, names)


def units_for(unit: OrgUnit, start: date, end: date, descendants: bool) -> list[int]:
    """The unit alone, or every unit that hung under it (at any day of the period, by the org tree as it
    stood then) with the predecessors whose records pass to it."""
    if not descendants:
        return [unit.pk]
    from cchc.org.selectors import load_graph

    return sorted(load_graph().subtree_spans(unit.pk, start, end))
