"""Tỷ lệ với các thành phần của nó, ở bất kỳ đâu: trước hay sau tỷ lệ, cùng câu, cùng đoạn, đoạn khác, cột bảng.

A rate is compared with every reading the text allows (đúng hạn / giải quyết, (trước hạn + đúng hạn) /
giải quyết, … / tiếp nhận, a count / the sum of the partition), rounded to the digits written; it is
flagged only when no reading gives it. A rate whose parts stand in its own paragraph is an error when off by
at least one unit of its last digit (a warning when only the rounding differs); one whose parts are found
elsewhere in the document is a warning, since the two places may count different things.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from cchc.checker.checks.base import ERROR, WARNING, Context, Finding, _counts, _finding, n
from cchc.checker.figures import Figure
from cchc.checker.quantities import RATE_MEASURES, Rate, prose_rates, table_rates
from cchc.core.vnformat import format_number

_ON_TIME = ("đúng hạn", "trước hạn")


@dataclass
class Reading:
    """One way to compute a rate: numerator and denominator, with the words that name them."""

    num: Decimal
    den: Decimal
    num_text: str
    den_text: str
    places: list[Figure]

    def exact(self) -> Decimal:
        return self.num * 100 / self.den


def _rounded(v: Decimal, decimals: int) -> Decimal:
    return v.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def all_rates(ctx: Context) -> list[Rate]:
    cache = getattr(ctx, "_rates", None)
    if cache is None:
        cache = prose_rates(ctx.figures) + table_rates(ctx.doc, ctx._by_unit())
        ctx._rates = cache
    return cache


def _one(figs: list[Figure]) -> Figure | None:
    """The figure of a measure when the place states one value for it."""
    return figs[0] if figs and len({f.value for f in figs}) == 1 else None


def _readings(by_measure: dict[str, list[Figure]], measure: str) -> list[Reading]:
    """Numerator/denominator pairs for a rate of ``measure`` from the counts of one place, by measure."""
    out = []
    one = {m: _one(fs) for m, fs in by_measure.items()}
    nums: list[tuple[Decimal, str, list[Figure]]] = []
    if one.get(measure):
        f = one[measure]
        nums.append((f.value, f"{measure} {n(f.value)}", [f]))
    if measure in _ON_TIME and one.get("đúng hạn") and one.get("trước hạn"):
        a, b = one["trước hạn"], one["đúng hạn"]
        nums.append((a.value + b.value, f"trước hạn {n(a.value)} + đúng hạn {n(b.value)}", [a, b]))
    dens: list[tuple[Decimal, str, list[Figure]]] = []
    if measure == "giải quyết":
        if one.get("tiếp nhận"):
            dens.append((one["tiếp nhận"].value, "tiếp nhận", [one["tiếp nhận"]]))
    else:
        for m in ("giải quyết", "tiếp nhận", "khảo sát"):
            if one.get(m):
                dens.append((one[m].value, m, [one[m]]))
        parts = [one[m] for m in ("trước hạn", "đúng hạn", "quá hạn") if one.get(m)]
        if measure in ("đúng hạn", "quá hạn", "trước hạn") and len(parts) >= 2:
            s = sum((p.value for p in parts), Decimal(0))
            dens.append((s, "tổng " + " + ".join(n(p.value) for p in parts), parts))
    for nv, nt, nf in nums:
        for dv, dt, df in dens:
            if dv and nv <= dv:
                out.append(Reading(nv, dv, nt, dt, nf + df))
    return out


def _group(figs: list[Figure], level: str) -> dict[str, list[Figure]]:
    out: dict[str, list[Figure]] = {}
    for f in figs:
        if f.measure and f.level == level and not f.scope:
            out.setdefault(f.measure, []).append(f)
    return out


def _sentence_readings(ctx: Context, r: Rate) -> list[Reading]:
    """No measure written with the rate ("…, đạt 96,58%"): it is a rate of a count just before it."""
    figs = [
        f
        for f in _counts(ctx.unit_figures(r.unit))
        if f.kind == "number" and f.sentence == r.fig.sentence and f.end <= r.fig.start and f.noun != "điểm"
    ]
    if not figs:
        return []
    out = []
    by = _group(figs, figs[-1].level)
    for m in {f.measure for f in figs if f.measure in RATE_MEASURES}:
        out += _readings(by, m)
    # a count over another count of the same thing ("11 thí sinh trúng tuyển / 45 thí sinh")
    for a in figs:
        for b in figs:
            if a is not b and a.noun == b.noun and b.value >= a.value > 0 and not a.measure:
                out.append(Reading(a.value, b.value, n(a.value), n(b.value), [a, b]))
    return out


def _readings_for(ctx: Context, r: Rate) -> tuple[list[Reading], bool]:
    """Readings from the rate's own paragraph (sure) or, for a named measure, the whole document."""
    if not r.measure:
        return _sentence_readings(ctx, r), True
    if r.measure not in RATE_MEASURES:
        return [], True
    if r.unit.table is None:
        local = [f for f in _counts(ctx.unit_figures(r.unit)) if f.kind == "number" and f.noun != "điểm"]
        found = _readings(_group(local, r.level), r.measure)
        if found:
            return found, True
    rate_figs = {id(x.fig) for x in all_rates(ctx)}
    figs = [
        f
        for f in _counts(ctx.figures)
        if f.kind == "number" and not f.label_like and f.noun != "điểm" and id(f) not in rate_figs
    ]
    return _readings(_group(figs, r.level), r.measure), False


def _has_fraction(ctx: Context, r: Rate) -> bool:
    if r.unit.table is not None:
        table = ctx.doc.table(r.unit.table)
        cells = table.rows[r.unit.row - 1]
        return any(f.kind == "fraction" for c in cells for f in ctx.unit_figures(c))
    return any(f.kind == "fraction" and f.sentence == r.fig.sentence for f in ctx.unit_figures(r.unit))


def check_rate_parts(ctx: Context) -> list[Finding]:
    out = []
    for r in all_rates(ctx):
        if r.target or r.scoped or _has_fraction(ctx, r):
            continue
        readings, sure = _readings_for(ctx, r)
        if not readings or any(_rounded(x.exact(), r.decimals) == _rounded(r.value, r.decimals) for x in readings):
            continue
        best = min(readings, key=lambda x: abs(x.exact() - r.value))
        out.append(_rate_finding(ctx, r, best, sure))
    return out


def _rate_finding(ctx: Context, r: Rate, x: Reading, sure: bool) -> Finding:
    exact = x.exact()
    q = Decimal(1).scaleb(-r.decimals)
    right = _rounded(exact, r.decimals)
    shown = format_number(exact.quantize(Decimal("0.001"), rounding=ROUND_DOWN))
    stated = format_number(r.value, decimals=r.decimals) + "%"
    where = (
        ""
        if sure
        else " (số liệu ở "
        + ", ".join(sorted({p.unit.location_text(ctx.doc.line_word) or "đầu văn bản" for p in x.places}))
        + ")"
    )
    expr = f"({x.num_text}) / ({x.den_text} {n(x.den)}) = {n(x.num)}/{n(x.den)} = {shown}…%{where}"
    if abs(exact - r.value) < q:
        return _finding(
            ctx,
            WARNING,
            "phan_tram_lam_tron",
            r.unit,
            r.fig.start,
            r.fig.end,
            f"Làm tròn sai: {expr}, làm tròn đến chữ số đã viết là "
            f"{format_number(right, decimals=r.decimals)}%, không phải {stated}.",
            [x.num, x.den, r.value, right],
        )
    severity = ERROR if sure else WARNING
    return _finding(
        ctx,
        severity,
        "ty_le_thanh_phan",
        r.unit,
        r.fig.start,
        r.fig.end,
        f"Tỷ lệ không khớp với các số liệu thành phần: {expr} ≈ "
        f"{format_number(right, decimals=r.decimals)}% ≠ {stated}.",
        [x.num, x.den, r.value, right],
    )


# ---- the same rate written twice with different precision -------------------------------------------------
def check_rate_roundings(ctx: Context) -> list[Finding]:
    """93,70% in one place and 93% in another: 93,70% rounds to 94%."""
    groups: dict[tuple[str, str], list[Rate]] = {}
    for r in all_rates(ctx):
        if r.measure in RATE_MEASURES and not r.scoped and not r.target:
            groups.setdefault((r.measure, r.level), []).append(r)
    out = []
    for rates in groups.values():
        for fine in rates:
            for coarse in rates:
                if coarse.decimals >= fine.decimals:
                    continue
                q = Decimal(1).scaleb(-coarse.decimals)
                right = _rounded(fine.value, coarse.decimals)
                if right == _rounded(coarse.value, coarse.decimals) or abs(fine.value - coarse.value) >= q:
                    continue
                stated = format_number(coarse.value, decimals=coarse.decimals)
                out.append(
                    _finding(
                        ctx,
                        WARNING,
                        "lam_tron",
                        coarse.unit,
                        coarse.fig.start,
                        coarse.fig.end,
                        f"Làm tròn sai: {format_number(fine.value, decimals=fine.decimals)}% (ở "
                        f"{fine.unit.location_text(ctx.doc.line_word)}) làm tròn đến {coarse.decimals} chữ số "
                        "thập phân "
                        f"là {format_number(right, decimals=coarse.decimals)}%, không phải {stated}%.",
                        [fine.value, coarse.value, right],
                    )
                )
    return out


# ---- rate columns of a table ------------------------------------------------------------------------------
def _header_measure(text: str) -> str:
    from cchc.checker.figures import measure_in

    return measure_in(text)


def check_table_rate_columns(ctx: Context) -> list[Finding]:
    """A "Tỷ lệ đúng hạn (%)" column against the "Đúng hạn" and "Tiếp nhận/Giải quyết" columns of each row."""
    out = []
    for table in ctx.doc.tables:
        if len(table.rows) < 2:
            continue
        head = [c.text for c in table.rows[0]]
        rate_cols = [i for i, h in enumerate(head) if re.search(r"tỷ lệ|%", h, re.IGNORECASE)]
        plain = {_header_measure(h): i for i, h in enumerate(head) if i not in rate_cols and _header_measure(h)}
        for rc in rate_cols:
            m = _header_measure(head[rc])
            num_col = plain.get(m)
            den_col = plain.get("giải quyết", plain.get("tiếp nhận")) if m != "giải quyết" else plain.get("tiếp nhận")
            if num_col is None or den_col is None:
                continue
            for row in table.rows[1:]:
                out += _row_rate(ctx, row, rc, num_col, den_col, head)
    return out


def _cell_number(ctx: Context, row: list, i: int) -> Figure | None:
    if i >= len(row):
        return None
    fs = [f for f in ctx.unit_figures(row[i]) if f.kind in ("number", "percent")]
    return fs[0] if len(fs) == 1 else None


def _row_rate(ctx: Context, row: list, rc: int, num_col: int, den_col: int, head: list[str]) -> list[Finding]:
    rate, num, den = (_cell_number(ctx, row, i) for i in (rc, num_col, den_col))
    if rate is None or num is None or den is None or not den.value:
        return []
    text = row[rc].text.strip().rstrip("%")
    decimals = len(re.split(r"[.,]", text)[1]) if re.search(r"[.,]", text) else 0
    exact = num.value * 100 / den.value
    if _rounded(exact, decimals) == _rounded(rate.value, decimals):
        return []
    r = Rate(rate, rate.value, decimals, "", "", False, False)
    x = Reading(num.value, den.value, f"{head[num_col].strip()} {n(num.value)}", head[den_col].strip(), [num, den])
    return [_rate_finding(ctx, r, x, True)]
