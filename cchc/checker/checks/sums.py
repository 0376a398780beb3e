"""Tổng và thành phần: trong cùng câu (ngoặc, "gồm", "trong đó", ":"), và tổng các cấp ngay sau."""

from __future__ import annotations

import re
from decimal import Decimal

from cchc.checker.checks.base import (
    _EXCLUDE_PART,
    ERROR,
    Context,
    Finding,
    _counts,
    _finding,
    _total_value,
    n,
)
from cchc.checker.figures import Figure, sentences
from cchc.checker.reading import Unit


# ---- 1. total vs parts in the same sentence ------------------------------------------------------
def _groups(text: str, lo: int, hi: int) -> list[tuple[int, int, bool]]:
    """Top-level bracket groups in text[lo:hi]: (open, close, balanced)."""
    out, depth, open_at = [], 0, -1
    for i in range(lo, hi):
        c = text[i]
        if c == "(":
            if depth == 0:
                open_at = i
            depth += 1
        elif c == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                out.append((open_at, i, True))
    if depth > 0:
        out.append((open_at, hi, False))
    return out


def _depth_at(text: str, lo: int, pos: int) -> int:
    depth = 0
    for c in text[lo:pos]:
        if c == "(":
            depth += 1
        elif c == ")" and depth:
            depth -= 1
    return depth


def _parts_in(ctx: Context, unit: Unit, figs: list[Figure], a: int, b: int) -> list[Figure] | None:
    """Counts at the top level of text[a:b] (relative to the unit); None if a part is not a plain count."""
    text = unit.text
    parts = []
    for f in figs:
        ra = f.start - unit.start
        if not (a <= ra < b) or _depth_at(text, a, ra) != 0:
            continue
        if f.kind == "percent" or f.kind == "money":
            return None
        if f.kind not in ("number",) or f.label_like:
            continue
        if _EXCLUDE_PART.search(text[max(a, ra - 12) : ra]):
            return None
        parts.append(f)
    return parts


# "gồm:", "bao gồm", "trong đó", "trong đó có", or a colon: a list of parts follows
_LIST_LEAD = re.compile(r"(?:,\s*)?(?:gồm|bao gồm|trong đó(?:\s+có)?)\s*:?\s|:\s", re.IGNORECASE)


def _list_end(text: str, figs: list[Figure], unit: Unit, la: int, sb: int) -> int:
    """Where a list of parts ends: at a percentage, or at the first ";" of a comma-separated list."""
    end = sb
    for f in figs:
        if f.kind == "percent" and la <= f.start - unit.start < end:
            end = f.start - unit.start
    semi = text.find(";", la, end)
    if semi >= 0 and "," in text[la:semi]:
        end = semi
    return end


def _same_noun(total: Figure, parts: list[Figure] | None, named: str = "") -> list[Figure] | None:
    """Parts of a list that count the total's thing. When some parts count the total's noun and others another
    noun ("03 cuộc … tại 05 đơn vị, trong đó 01 cuộc tại 02 đơn vị…"), only the first kind are its parts;
    when none names the total's noun, the parts are kinds of it ("15 đơn thư: 02 khiếu nại, 12 phản ánh")."""
    if not parts or not total.noun:
        return parts
    named = named.lower()
    same = [p for p in parts if p.noun == total.noun]
    other = [p for p in parts if p.noun and p.noun != total.noun and p.noun not in named]
    if same and other:
        # two breakdowns side by side (cuộc and đơn vị) when each has two parts or more; one odd part is a kind
        # of the total written with its own word ("01 phản ánh" among "đơn"): not sure enough to add up
        return same if len(same) >= 2 and len(other) >= 2 else None
    return parts


def _gap_ok(gap: str, max_words: int = 12) -> bool:
    gap = re.sub(r"\([^()]*\)", " ", gap)
    if re.search(r"[\d;%()]", gap):
        return False
    return len(gap.split()) <= max_words


def _sum_message(total: Figure, parts: list[Figure]) -> tuple[str, Decimal]:
    s = sum((p.value for p in parts), Decimal(0))
    expr = " + ".join(n(p.value) for p in parts)
    return f"{expr} = {n(s)} ≠ {n(_total_value(total))}", s


def check_sum_parts(ctx: Context) -> list[Finding]:
    out = []
    for unit in ctx.doc.units:
        figs = ctx.unit_figures(unit)
        counts = _counts(figs)
        if len(counts) < 3:
            continue
        sents = sentences(unit.text)
        for s_idx, (sa, sb) in enumerate(sents):
            done: set[int] = set()  # totals already compared, by start: a later reading of them stays silent
            out += _bracket_sums(ctx, unit, figs, counts, sa, sb, done)
            out += _listed_sums(ctx, unit, figs, counts, sa, sb, done)
            if s_idx + 1 < len(sents):
                out += _next_sentence_sums(ctx, unit, figs, counts, (sa, sb), sents[s_idx + 1])
    return out


def _bracket_sums(
    ctx: Context, unit: Unit, figs: list[Figure], counts: list[Figure], sa: int, sb: int, done: set[int]
) -> list[Finding]:
    """ "15 đơn (02 khiếu nại, 13 phản ánh)", or a list after the bracket: "15 đơn (giảm 25 đơn…): 02 …, 12 …"."""
    out, text = [], unit.text
    for ga, gb, balanced in _groups(text, sa, sb):
        cand = [f for f in counts if sa <= f.end - unit.start <= ga]
        if not cand:
            continue
        total = cand[-1]
        gap = text[total.end - unit.start : ga]
        if not _gap_ok(gap.rstrip(". ")) or _depth_at(text, sa, total.start - unit.start) != 0:
            continue
        parts = _parts_in(ctx, unit, figs, ga + 1, gb) if balanced else None
        if parts is not None and len(parts) >= 2:
            done.add(total.start)
            out += _compare_total(ctx, unit, total, parts, total.start - unit.start, gb + 1)
        elif balanced:
            # "15/15 đơn thư (giảm 25 đơn…): 02 khiếu nại, 12 phản ánh…" — a list after the colon
            rest = text[gb + 1 : sb]
            m = re.match(r"\s*(?::|,?\s*gồm\s*:?)", rest)
            if m:
                la = gb + 1 + m.end()
                parts = _parts_in(ctx, unit, figs, la, sb)
                if parts and len(parts) >= 2:
                    done.add(total.start)
                    out += _compare_total(ctx, unit, total, parts, total.start - unit.start, sb)
    return out


def _listed_sums(
    ctx: Context, unit: Unit, figs: list[Figure], counts: list[Figure], sa: int, sb: int, done: set[int]
) -> list[Finding]:
    """ "10 đơn thuộc thẩm quyền…, gồm: 01 …, 07 …"."""
    out, text = [], unit.text
    for m in _LIST_LEAD.finditer(text[sa:sb]):
        la = sa + m.end()
        cand = [f for f in counts if sa <= f.end - unit.start <= sa + m.start()]
        if not cand or cand[-1].start in done:
            continue
        total = cand[-1]
        gap = text[total.end - unit.start : sa + m.start()]
        if not _gap_ok(gap, 14) or _depth_at(text, sa, total.start - unit.start) != 0:
            continue
        lb = _list_end(text, figs, unit, la, sb)
        parts = _same_noun(total, _parts_in(ctx, unit, figs, la, lb), gap)
        if parts and len(parts) >= 2 and _depth_at(text, sa, la) == 0:
            done.add(total.start)
            out += _compare_total(ctx, unit, total, parts, total.start - unit.start, lb)
    return out


def _next_sentence_sums(
    ctx: Context,
    unit: Unit,
    figs: list[Figure],
    counts: list[Figure],
    sentence: tuple[int, int],
    following: tuple[int, int],
) -> list[Finding]:
    """ "… có 21 chức danh. Trong đó, có 11 …, 10 …"."""
    (sa, sb), (na, nb), text = sentence, following, unit.text
    if not re.match(r"\s*(?:Trong đó|Cụ thể|Bao gồm|Gồm)\b", text[na:nb], re.IGNORECASE):
        return []
    totals = [
        f
        for f in counts
        if sa <= f.start - unit.start < sb and f.kind == "number" and _depth_at(text, sa, f.start - unit.start) == 0
    ]
    parts = _parts_in(ctx, unit, figs, na, nb) or []
    return _compare_by_noun(ctx, unit, totals, parts, sa, nb)


def _compare_total(ctx: Context, unit: Unit, total: Figure, parts: list[Figure], a: int, b: int) -> list[Finding]:
    msg, s = _sum_message(total, parts)
    if s == _total_value(total):
        return []
    what = f" ({total.measure})" if total.measure else ""
    return [
        _finding(
            ctx,
            ERROR,
            "tong_thanh_phan",
            unit,
            unit.start + a,
            unit.start + b,
            f"Tổng{what} không khớp với các thành phần nêu cùng câu: {msg}.",
            [_total_value(total)] + [p.value for p in parts] + [s],
        )
    ]


def _compare_by_noun(
    ctx: Context, unit: Unit, totals: list[Figure], parts: list[Figure], a: int, b: int
) -> list[Finding]:
    if not totals or len(parts) < 2:
        return []
    if len(totals) == 1:
        groups = [(totals[0], parts)]
    else:
        groups = []
        for t in totals:
            same = [p for p in parts if t.noun and p.noun == t.noun]
            if len(same) >= 2:
                groups.append((t, same))
        if sum(len(g[1]) for g in groups) != len(parts):
            return []  # some parts match no total: the sentence is not a clean breakdown
    out = []
    for total, ps in groups:
        out += _compare_total(ctx, unit, total, ps, a, b)
    return out


# ---- 2. total vs sub-totals of the levels (cấp huyện + cấp xã) ----------------------------------
_LEVEL_LEAD = re.compile(r"^\s*[-+•]?\s*(?:UBND\s+|Ủy ban nhân dân\s+)?cấp\s+(tỉnh|huyện|xã)\b", re.IGNORECASE)


def check_level_subtotals(ctx: Context) -> list[Finding]:
    out = []
    units = [u for u in ctx.doc.units if u.table is None]
    for i, unit in enumerate(units):
        if _LEVEL_LEAD.match(unit.text):
            continue
        level_units = []
        for nxt in units[i + 1 : i + 6]:
            m = _LEVEL_LEAD.match(nxt.text)
            if not m:
                break
            level_units.append((m.group(1).lower(), nxt))
        if len({lv for lv, _ in level_units}) < 2:
            continue
        totals = _by_measure([f for f in _counts(ctx.unit_figures(unit)) if f.kind == "number"])
        subs = [
            (lv, u, _by_measure([f for f in _counts(ctx.unit_figures(u)) if f.kind == "number"]))
            for lv, u in level_units
        ]
        for measure, total in totals.items():
            vals = [(lv, u, d.get(measure)) for lv, u, d in subs]
            if any(v is None for _, _, v in vals):
                continue
            s = sum((v.value for _, _, v in vals), Decimal(0))
            if s != total.value:
                expr = " + ".join(f"{n(v.value)} ({'cấp ' + lv})" for lv, _, v in vals)
                out.append(
                    _finding(
                        ctx,
                        ERROR,
                        "tong_cap_duoi",
                        unit,
                        total.start,
                        total.end,
                        f"Số {measure} toàn địa bàn không bằng tổng các cấp nêu ngay sau: {expr} = {n(s)} "
                        f"≠ {n(total.value)}.",
                        [total.value] + [v.value for _, _, v in vals] + [s],
                    )
                )
    return out


def _by_measure(figs: list[Figure]) -> dict[str, Figure]:
    seen: dict[str, list[Figure]] = {}
    for f in figs:
        if f.measure in ("tiếp nhận", "giải quyết", "đúng hạn", "trước hạn", "quá hạn", "trong hạn"):
            seen.setdefault(f.measure, []).append(f)
    return {m: fs[0] for m, fs in seen.items() if len(fs) == 1}
