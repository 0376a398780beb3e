"""Điểm: đạt + trừ = tối đa (câu và bảng), điểm lĩnh vực và tổng điểm, thứ hạng."""

from __future__ import annotations

import re
from decimal import Decimal

from cchc.checker.checks.base import ERROR, Context, Finding, _finding, n
from cchc.checker.reading import Unit
from cchc.core.vnformat import format_number

# ---- 5. points -----------------------------------------------------------------------------------
_DEDUCT = re.compile(
    r"(?:điểm trừ(?:\s+là)?|bị trừ|trừ|thấp hơn|mất|giảm)\s*:?\s*(\d+(?:[.,]\d+)?)\s*(?:điểm|đ)?", re.IGNORECASE
)


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def check_points(ctx: Context) -> list[Finding]:
    out = []
    for unit in ctx.doc.units:
        figs = ctx.unit_figures(unit)
        text = unit.text
        scores = [
            f
            for f in figs
            if f.kind == "fraction" and not f.rank and (f.score or re.search(r"điểm|\dđ\b", text, re.IGNORECASE))
        ]
        for f in [f for f in figs if f.kind == "fraction" and f.rank]:
            if f.num > f.den or f.num == 0:
                out.append(
                    _finding(
                        ctx,
                        ERROR,
                        "xep_hang",
                        unit,
                        f.start,
                        f.end,
                        f"Thứ hạng {n(f.num)}/{n(f.den)} không thể có: hạng phải từ 1 đến {n(f.den)}.",
                        [f.num, f.den],
                    )
                )
        if len(scores) != 1:
            continue  # several scores in one place: which deduction belongs to which is not said
        f = scores[0]
        rest = text[f.end - unit.start :]
        deductions = [_dec(m.group(1)) for m in _DEDUCT.finditer(rest)]
        if not deductions:
            continue
        if f.num > f.den:
            out.append(
                _finding(
                    ctx,
                    ERROR,
                    "diem",
                    unit,
                    f.start,
                    unit.end,
                    f"Điểm đạt {n(f.num)} lớn hơn điểm tối đa {n(f.den)}.",
                    [f.num, f.den],
                )
            )
            continue
        lost = f.den - f.num
        total = sum(deductions, Decimal(0))
        if lost == total:
            continue
        expr = " + ".join(n(d) for d in deductions)
        msg = (
            f"Điểm không khớp: {n(f.num)} + {expr} (điểm trừ) = {n(f.num + total)} ≠ {n(f.den)} (tối đa); "
            f"{n(f.den)} − {n(f.num)} = {n(lost)}."
        )
        if total and lost == total * 100:
            msg += f" Có thể thiếu dấu thập phân: {format_number(f.num / 100, 2)}/{format_number(f.den / 100, 2)} điểm."
        out.append(_finding(ctx, ERROR, "diem", unit, f.start, unit.end, msg, [f.num, f.den, *deductions, lost]))
    out += _points_tables(ctx)
    return out


def _col(header: list[str], *words: str) -> int | None:
    for i, h in enumerate(header):
        low = h.lower()
        if any(w in low for w in words):
            return i
    return None


def _label(row: list[Unit], code: str = "") -> str:
    if code:
        return f"Tiêu chí {code}"
    texts = [c.text for c in row if c.text and not re.fullmatch(r"[\d.,%\s]*", c.text)]
    return f"Dòng “{texts[0]}”" if texts else "Dòng"


def _cell_value(ctx: Context, row: list[Unit], i: int | None) -> Decimal | None:
    if i is None or i >= len(row):
        return None
    fs = [f for f in ctx.unit_figures(row[i]) if f.kind == "number"]
    return fs[0].value if len(fs) == 1 else None


_PointsRow = tuple[str, list[Unit], Decimal | None, Decimal | None, Decimal | None]  # code, cells, max, got, lost


def _points_tables(ctx: Context) -> list[Finding]:
    out = []
    for table in ctx.doc.tables:
        if len(table.rows) < 2:
            continue
        header = [c.text for c in table.rows[0]]
        c_max = _col(header, "tối đa", "điểm chuẩn")
        c_got = _col(header, "điểm đạt", "đạt", "điểm chấm", "thẩm định")
        c_lost = _col(header, "điểm trừ", "bị trừ", "điểm mất", "mất", "trừ")
        if c_max is None or c_got is None or c_got == c_max:
            continue
        rows: list[_PointsRow] = []
        for row in table.rows[1:]:
            code = row[0].text.strip().rstrip(".")
            rows.append(
                (code, row, _cell_value(ctx, row, c_max), _cell_value(ctx, row, c_got), _cell_value(ctx, row, c_lost))
            )
        out += _row_points(ctx, rows, c_got)
        by_code = {code: r for r in rows for code in [r[0]] if re.fullmatch(r"\d+(?:\.\d+)*", code)}
        out += _criterion_sums(ctx, by_code)
        out += _grand_totals(ctx, rows, [r for k, r in by_code.items() if "." not in k])
    return out


def _row_points(ctx: Context, rows: list[_PointsRow], c_got: int) -> list[Finding]:
    """Each row: đạt + trừ = tối đa."""
    out = []
    for code, row, mx, got, lost in rows:
        if None not in (mx, got, lost) and got + lost != mx:
            out.append(
                _finding(
                    ctx,
                    ERROR,
                    "diem",
                    row[c_got],
                    row[0].start,
                    row[-1].end,
                    f"{_label(row, code)}: {n(got)} (đạt) + {n(lost)} (trừ) = {n(got + lost)} ≠ {n(mx)} (tối đa).",
                    [got, lost, mx],
                )
            )
    return out


def _criterion_sums(ctx: Context, by_code: dict[str, _PointsRow]) -> list[Finding]:
    """A numbered criterion (2, 2.1) with two or more sub-criteria (2.1, 2.1.1): its points are their sum."""
    out = []
    for code, r in by_code.items():
        depth = code.count(".") + 1
        children = [c for k, c in by_code.items() if k.startswith(code + ".") and k.count(".") == depth]
        if len(children) < 2:
            continue
        for pos, label in ((2, "tối đa"), (3, "đạt")):
            if r[pos] is None or any(c[pos] is None for c in children):
                continue
            s = sum((c[pos] for c in children), Decimal(0))
            if s != r[pos]:
                expr = " + ".join(n(c[pos]) for c in children)
                out.append(
                    _finding(
                        ctx,
                        ERROR,
                        "diem_linh_vuc",
                        r[1][0],
                        r[1][0].start,
                        r[1][-1].end,
                        f"Điểm {label} của {code} không bằng tổng các tiêu chí con: {expr} = {n(s)} ≠ {n(r[pos])}.",
                        [r[pos]] + [c[pos] for c in children] + [s],
                    )
                )
    return out


def _grand_totals(ctx: Context, rows: list[_PointsRow], tops: list[_PointsRow]) -> list[Finding]:
    """A "Tổng"/"Cộng" row equals the sum of the top-level fields (when there are two or more)."""
    out = []
    for _code, row, mx, got, _lost in rows:
        label = " ".join(c.text for c in row[:2]).lower()
        if not re.search(r"\btổng\b|\bcộng\b", label) or len(tops) < 2:
            continue
        for pos, name, v in ((2, "tối đa", mx), (3, "đạt", got)):
            if v is None or any(t[pos] is None for t in tops):
                continue
            s = sum((t[pos] for t in tops), Decimal(0))
            if s != v:
                expr = " + ".join(n(t[pos]) for t in tops)
                out.append(
                    _finding(
                        ctx,
                        ERROR,
                        "diem_tong",
                        row[0],
                        row[0].start,
                        row[-1].end,
                        f"Tổng điểm {name} không bằng tổng các lĩnh vực: {expr} = {n(s)} ≠ {n(v)}.",
                        [v] + [t[pos] for t in tops] + [s],
                    )
                )
    return out
