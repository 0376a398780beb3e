"""Tỷ lệ và phân số: phần trăm bên phân số, phân số bên số liệu nêu ở chỗ khác."""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from cchc.checker.checks.base import ERROR, WARNING, Context, Finding, _finding, n
from cchc.checker.figures import Figure
from cchc.checker.reading import Unit
from cchc.core.vnformat import format_number


# ---- 3. percentage vs fraction -------------------------------------------------------------------
def _pct_compare(
    ctx: Context, unit: Unit, frac: Figure, pct_value: Decimal, decimals: int, a: int, b: int, pct_text: str
) -> list[Finding]:
    if not frac.den:
        return []
    exact = frac.num * 100 / frac.den
    q = Decimal(1).scaleb(-decimals)
    right = exact.quantize(q, rounding=ROUND_HALF_UP)
    if right == pct_value.quantize(q):
        return []
    shown = format_number(exact.quantize(Decimal("0.001"), rounding=ROUND_DOWN))
    expr = f"{n(frac.num)}/{n(frac.den)} = {shown}…%"
    right_text = format_number(right, decimals=decimals) + "%"
    stated = format_number(pct_value, decimals=decimals) + "%"
    if abs(exact - pct_value) < q:
        return [
            _finding(
                ctx,
                WARNING,
                "phan_tram_lam_tron",
                unit,
                a,
                b,
                f"Làm tròn sai: {expr}, làm tròn là {right_text}, không phải {stated}.",
                [frac.num, frac.den, pct_value, right],
            )
        ]
    return [
        _finding(
            ctx,
            ERROR,
            "phan_tram_phan_so",
            unit,
            a,
            b,
            f"Tỷ lệ không khớp với phân số: {expr} ≈ {right_text} ≠ {stated}.",
            [frac.num, frac.den, pct_value, right],
        )
    ]


def check_percent_fraction(ctx: Context) -> list[Finding]:
    out = []
    for unit in ctx.doc.units:
        figs = ctx.unit_figures(unit)
        fracs = [f for f in figs if f.kind == "fraction" and not f.score and not f.rank]
        pcts = [f for f in figs if f.kind == "percent"]
        for p in pcts:
            before = [f for f in fracs if f.sentence == p.sentence and f.end <= p.start]
            after = [
                f
                for f in fracs
                if f.start >= p.end and re.fullmatch(r"\s*\(\s*", unit.text[p.end - unit.start : f.start - unit.start])
            ]
            if after:  # "đạt 95% (90/100 hồ sơ)"
                out += _pct_compare(ctx, unit, after[0], p.value, p.decimals, p.start, after[0].end, p.text)
                continue
            if not before:
                continue
            fr = before[-1]
            between = [x for x in pcts if fr.end <= x.start < p.start]
            if between:
                continue
            out += _pct_compare(ctx, unit, fr, p.value, p.decimals, fr.start, p.end, p.text)
    # table rows: a "%" row whose value cell sits next to a note "219/226"
    for table in ctx.doc.tables:
        for row in table.rows:
            texts = [c.text.strip() for c in row]
            if "%" not in texts:
                continue
            idx = texts.index("%")
            value_cells = [c for c in row[idx + 1 :] if re.fullmatch(r"\d+(?:[.,]\d+)?", c.text.strip())]
            if not value_cells:
                continue
            vc = value_cells[0]
            vfig = next((f for f in ctx.unit_figures(vc) if f.kind == "number"), None)
            fracs = [f for c in row for f in ctx.unit_figures(c) if f.kind == "fraction" and not f.score and not f.rank]
            if vfig is None or len(fracs) != 1:
                continue
            out += _pct_compare(ctx, vc, fracs[0], vfig.value, vfig.decimals, row[0].start, row[-1].end, vc.text + "%")
    return out


# ---- 4. fraction vs counts stated elsewhere ------------------------------------------------------
_DOSSIER_MEASURES = {"tiếp nhận", "giải quyết", "đúng hạn", "quá hạn", "trước hạn"}


def _is_dossier(f: Figure) -> bool:
    ctx_text = f.unit.text.lower()
    return f.noun == "hồ sơ" or ("hồ sơ" in ctx_text and f.unit.table is not None)


def check_fraction_counts(ctx: Context) -> list[Finding]:
    facts: dict[tuple, list[Figure]] = {}
    for f in ctx.figures:
        if (
            f.kind == "number"
            and not f.label_like
            and f.measure in _DOSSIER_MEASURES
            and f.level
            and _is_dossier(f)
            and not f.scope
        ):
            facts.setdefault((f.level, f.measure), []).append(f)
    out = []
    for f in ctx.figures:
        if f.kind != "fraction" or f.score or f.rank or not f.level or f.scope:
            continue
        if f.measure not in ("đúng hạn", "quá hạn", "trước hạn") or not _is_dossier(f):
            continue
        num_facts = facts.get((f.level, f.measure), [])
        den_facts = facts.get((f.level, "giải quyết"), [])
        bad = []
        if num_facts and all(x.value != f.num for x in num_facts):
            bad.append((f"{f.measure}", f.num, num_facts))
        if den_facts and all(x.value != f.den for x in den_facts):
            bad.append(("giải quyết", f.den, den_facts))
        if not bad:
            continue
        details = "; ".join(
            f"{what}: {n(v)} trong phân số, nhưng {', '.join(sorted({n(x.value) for x in xs}))} ở "
            f"{xs[0].unit.location_text(ctx.doc.line_word)}"
            for what, v, xs in bad
        )
        out.append(
            _finding(
                ctx,
                WARNING,
                "phan_so_so_lieu",
                f.unit,
                f.start,
                f.end,
                f"Phân số {n(f.num)}/{n(f.den)} (cấp {f.level}) mâu thuẫn với số liệu của cùng "
                f"chỉ tiêu nêu ở chỗ khác — {details}.",
                [f.num, f.den] + [x.value for _, _, xs in bad for x in xs],
            )
        )
    return out
