"""Các phép kiểm tra: mỗi phép trả về các phát hiện (lỗi / cảnh báo / lưu ý) có kèm phép tính.

Precision over recall: a check only speaks when the text states both sides of the comparison in a shape
it recognises (a total with its parts in brackets, a fraction next to its percentage, a score with its
deduction). Everything else stays silent.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

import yaml
from django.conf import settings

from cchc.checker.figures import Figure, sentences, to_json_number
from cchc.checker.reading import Document, Unit
from cchc.core.vnformat import format_date, format_number, parse_date
from cchc.documents import symbols

RULES_FILE = Path(settings.BASE_DIR) / "data" / "checker" / "rules.yaml"
ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
SEVERITY_LABEL = {ERROR: "Lỗi", WARNING: "Cảnh báo", INFO: "Lưu ý"}


@lru_cache(maxsize=1)
def rules() -> dict:
    with open(RULES_FILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass
class Finding:
    """Một phát hiện: mức độ, phép kiểm tra, vị trí, trích dẫn, lời giải thích và các số liên quan."""

    severity: str
    check: str
    unit: Unit
    start: int
    end: int
    quote: str
    message: str
    numbers: list = field(default_factory=list)

    def as_dict(self, doc: Document) -> dict:
        return {
            "severity": self.severity,
            "check": self.check,
            "location": self.unit.location(),
            "location_text": self.unit.location_text(doc.line_word),
            "quote": self.quote,
            "message": self.message,
            "numbers": [to_json_number(n) if isinstance(n, Decimal) else n for n in self.numbers],
            "start": self.start,
            "end": self.end,
        }


@dataclass
class Period:
    """Kỳ báo cáo suy ra từ tiêu đề."""

    code: str
    name: str
    year: int
    start: date
    end: date

    def label(self) -> str:
        return f"{self.name} {self.year} ({format_date(self.start)}–{format_date(self.end)})"

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "year": self.year,
                "start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass
class Context:
    doc: Document
    figures: list[Figure]
    period: Period | None
    doc_date: date | None
    doc_kind: str  # "báo cáo" | "kế hoạch" | ""

    def unit_figures(self, unit: Unit) -> list[Figure]:
        return self._by_unit().get(unit.index, [])

    def _by_unit(self) -> dict[int, list[Figure]]:
        if not hasattr(self, "_cache"):
            cache: dict[int, list[Figure]] = {}
            for f in self.figures:
                cache.setdefault(f.unit.index, []).append(f)
            self._cache = cache
        return self._cache


def n(v: Decimal) -> str:
    return format_number(v)


def _quote(doc: Document, a: int, b: int, width: int = 160) -> str:
    text = " ".join(doc.text[a:b].split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _finding(ctx: Context, severity: str, check: str, unit: Unit, a: int, b: int, message: str,
             numbers: list) -> Finding:
    return Finding(severity, check, unit, a, b, _quote(ctx.doc, a, b), message, numbers)


def _counts(figs: list[Figure]) -> list[Figure]:
    return [f for f in figs if f.kind in ("number", "fraction") and not f.label_like and not f.score
            and not f.rank]


def _total_value(f: Figure) -> Decimal:
    return f.num if f.kind == "fraction" else f.value


_EXCLUDE_PART = re.compile(r"(giảm|tăng|so với|cùng kỳ|khoảng|gần|hơn|trên|dưới|tối đa|tối thiểu)\s*$",
                           re.IGNORECASE)


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
        if _EXCLUDE_PART.search(text[max(a, ra - 12): ra]):
            return None
        parts.append(f)
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
        text = unit.text
        sents = sentences(text)
        for s_idx, (sa, sb) in enumerate(sents):
            done: set[int] = set()
            for ga, gb, balanced in _groups(text, sa, sb):
                cand = [f for f in counts if sa <= f.end - unit.start <= ga]
                if not cand:
                    continue
                total = cand[-1]
                gap = text[total.end - unit.start: ga]
                if not _gap_ok(gap.rstrip(". ")) or _depth_at(text, sa, total.start - unit.start) != 0:
                    continue
                parts = _parts_in(ctx, unit, figs, ga + 1, gb) if balanced else None
                if parts is not None and len(parts) >= 2:
                    done.add(total.start)
                    out += _compare_total(ctx, unit, total, parts, total.start - unit.start, gb + 1)
                elif balanced:
                    # "15/15 đơn thư (giảm 25 đơn…): 02 khiếu nại, 12 phản ánh…" — a list after the colon
                    rest = text[gb + 1: sb]
                    m = re.match(r"\s*(?::|,?\s*gồm\s*:?)", rest)
                    if m:
                        la = gb + 1 + m.end()
                        parts = _parts_in(ctx, unit, figs, la, sb)
                        if parts and len(parts) >= 2:
                            done.add(total.start)
                            out += _compare_total(ctx, unit, total, parts, total.start - unit.start, sb)
            # "10 đơn thuộc thẩm quyền…, gồm: 01 …, 07 …"
            for m in re.finditer(r"(?:,\s*)?(?:gồm|bao gồm)\s*:|:\s", text[sa:sb]):
                la = sa + m.end()
                cand = [f for f in counts if sa <= f.end - unit.start <= sa + m.start()]
                if not cand or cand[-1].start in done:
                    continue
                total = cand[-1]
                gap = text[total.end - unit.start: sa + m.start()]
                if not _gap_ok(gap, 14) or _depth_at(text, sa, total.start - unit.start) != 0:
                    continue
                parts = _parts_in(ctx, unit, figs, la, sb)
                if parts and len(parts) >= 2 and _depth_at(text, sa, la) == 0:
                    done.add(total.start)
                    out += _compare_total(ctx, unit, total, parts, total.start - unit.start, sb)
            # "… có 21 chức danh. Trong đó, có 11 …, 10 …"
            if s_idx + 1 < len(sents):
                na, nb = sents[s_idx + 1]
                if re.match(r"\s*Trong đó\b", text[na:nb], re.IGNORECASE):
                    totals = [f for f in counts if sa <= f.start - unit.start < sb and f.kind == "number"
                              and _depth_at(text, sa, f.start - unit.start) == 0]
                    parts = _parts_in(ctx, unit, figs, na, nb) or []
                    out += _compare_by_noun(ctx, unit, totals, parts, sa, nb)
    return out


def _compare_total(ctx: Context, unit: Unit, total: Figure, parts: list[Figure], a: int, b: int) -> list[Finding]:
    msg, s = _sum_message(total, parts)
    if s == _total_value(total):
        return []
    what = f" ({total.measure})" if total.measure else ""
    return [_finding(ctx, ERROR, "tong_thanh_phan", unit, unit.start + a, unit.start + b,
                     f"Tổng{what} không khớp với các thành phần nêu cùng câu: {msg}.",
                     [_total_value(total)] + [p.value for p in parts] + [s])]


def _compare_by_noun(ctx: Context, unit: Unit, totals: list[Figure], parts: list[Figure], a: int,
                     b: int) -> list[Finding]:
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
        for nxt in units[i + 1: i + 6]:
            m = _LEVEL_LEAD.match(nxt.text)
            if not m:
                break
            level_units.append((m.group(1).lower(), nxt))
        if len({lv for lv, _ in level_units}) < 2:
            continue
        totals = _by_measure([f for f in _counts(ctx.unit_figures(unit)) if f.kind == "number"])
        subs = [(lv, u, _by_measure([f for f in _counts(ctx.unit_figures(u)) if f.kind == "number"]))
                for lv, u in level_units]
        for measure, total in totals.items():
            vals = [(lv, u, d.get(measure)) for lv, u, d in subs]
            if any(v is None for _, _, v in vals):
                continue
            s = sum((v.value for _, _, v in vals), Decimal(0))
            if s != total.value:
                expr = " + ".join(f"{n(v.value)} ({'cấp ' + lv})" for lv, _, v in vals)
                out.append(_finding(
                    ctx, ERROR, "tong_cap_duoi", unit, total.start, total.end,
                    f"Số {measure} toàn địa bàn không bằng tổng các cấp nêu ngay sau: {expr} = {n(s)} "
                    f"≠ {n(total.value)}.",
                    [total.value] + [v.value for _, _, v in vals] + [s]))
    return out


def _by_measure(figs: list[Figure]) -> dict[str, Figure]:
    seen: dict[str, list[Figure]] = {}
    for f in figs:
        if f.measure in ("tiếp nhận", "giải quyết", "đúng hạn", "trước hạn", "quá hạn", "trong hạn"):
            seen.setdefault(f.measure, []).append(f)
    return {m: fs[0] for m, fs in seen.items() if len(fs) == 1}


# ---- 3. percentage vs fraction -------------------------------------------------------------------
def _pct_compare(ctx: Context, unit: Unit, frac: Figure, pct_value: Decimal, decimals: int, a: int, b: int,
                 pct_text: str) -> list[Finding]:
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
        return [_finding(ctx, WARNING, "phan_tram_lam_tron", unit, a, b,
                         f"Làm tròn sai: {expr}, làm tròn là {right_text}, không phải {stated}.",
                         [frac.num, frac.den, pct_value, right])]
    return [_finding(ctx, ERROR, "phan_tram_phan_so", unit, a, b,
                     f"Tỷ lệ không khớp với phân số: {expr} ≈ {right_text} ≠ {stated}.",
                     [frac.num, frac.den, pct_value, right])]


def check_percent_fraction(ctx: Context) -> list[Finding]:
    out = []
    for unit in ctx.doc.units:
        figs = ctx.unit_figures(unit)
        fracs = [f for f in figs if f.kind == "fraction" and not f.score and not f.rank]
        pcts = [f for f in figs if f.kind == "percent"]
        for p in pcts:
            before = [f for f in fracs if f.sentence == p.sentence and f.end <= p.start]
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
            value_cells = [c for c in row[idx + 1:] if re.fullmatch(r"\d+(?:[.,]\d+)?", c.text.strip())]
            if not value_cells:
                continue
            vc = value_cells[0]
            vfig = next((f for f in ctx.unit_figures(vc) if f.kind == "number"), None)
            fracs = [f for c in row for f in ctx.unit_figures(c)
                     if f.kind == "fraction" and not f.score and not f.rank]
            if vfig is None or len(fracs) != 1:
                continue
            out += _pct_compare(ctx, vc, fracs[0], vfig.value, vfig.decimals, row[0].start, row[-1].end,
                                vc.text + "%")
    return out


# ---- 4. fraction vs counts stated elsewhere ------------------------------------------------------
_DOSSIER_MEASURES = {"tiếp nhận", "giải quyết", "đúng hạn", "quá hạn", "trước hạn"}


def _is_dossier(f: Figure) -> bool:
    ctx_text = f.unit.text.lower()
    return f.noun == "hồ sơ" or ("hồ sơ" in ctx_text and f.unit.table is not None)


def check_fraction_counts(ctx: Context) -> list[Finding]:
    facts: dict[tuple, list[Figure]] = {}
    for f in ctx.figures:
        if f.kind == "number" and not f.label_like and f.measure in _DOSSIER_MEASURES and f.level \
                and _is_dossier(f) and not f.scope:
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
            f"{xs[0].unit.location_text(ctx.doc.line_word)}" for what, v, xs in bad)
        out.append(_finding(ctx, WARNING, "phan_so_so_lieu", f.unit, f.start, f.end,
                            f"Phân số {n(f.num)}/{n(f.den)} (cấp {f.level}) mâu thuẫn với số liệu của cùng "
                            f"chỉ tiêu nêu ở chỗ khác — {details}.",
                            [f.num, f.den] + [x.value for _, _, xs in bad for x in xs]))
    return out


# ---- 5. points -----------------------------------------------------------------------------------
_DEDUCT = re.compile(r"(?:điểm trừ(?:\s+là)?|bị trừ|trừ|thấp hơn|mất|giảm)\s*:?\s*(\d+(?:[.,]\d+)?)\s*(?:điểm|đ)?",
                     re.IGNORECASE)


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def check_points(ctx: Context) -> list[Finding]:
    out = []
    for unit in ctx.doc.units:
        figs = ctx.unit_figures(unit)
        text = unit.text
        scores = [f for f in figs if f.kind == "fraction" and not f.rank
                  and (f.score or re.search(r"điểm|\dđ\b", text, re.IGNORECASE))]
        for f in [f for f in figs if f.kind == "fraction" and f.rank]:
            if f.num > f.den or f.num == 0:
                out.append(_finding(ctx, ERROR, "xep_hang", unit, f.start, f.end,
                                    f"Thứ hạng {n(f.num)}/{n(f.den)} không thể có: hạng phải từ 1 đến {n(f.den)}.",
                                    [f.num, f.den]))
        if len(scores) != 1:
            continue  # several scores in one place: which deduction belongs to which is not said
        f = scores[0]
        rest = text[f.end - unit.start:]
        deductions = [_dec(m.group(1)) for m in _DEDUCT.finditer(rest)]
        if not deductions:
            continue
        if f.num > f.den:
            out.append(_finding(ctx, ERROR, "diem", unit, f.start, unit.end,
                                f"Điểm đạt {n(f.num)} lớn hơn điểm tối đa {n(f.den)}.", [f.num, f.den]))
            continue
        lost = f.den - f.num
        total = sum(deductions, Decimal(0))
        if lost == total:
            continue
        expr = " + ".join(n(d) for d in deductions)
        msg = (f"Điểm không khớp: {n(f.num)} + {expr} (điểm trừ) = {n(f.num + total)} ≠ {n(f.den)} (tối đa); "
               f"{n(f.den)} − {n(f.num)} = {n(lost)}.")
        if total and lost == total * 100:
            msg += (f" Có thể thiếu dấu thập phân: {format_number(f.num / 100, 2)}/"
                    f"{format_number(f.den / 100, 2)} điểm.")
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
        rows = []
        for row in table.rows[1:]:
            code = row[0].text.strip().rstrip(".")
            rows.append((code, row, _cell_value(ctx, row, c_max), _cell_value(ctx, row, c_got),
                         _cell_value(ctx, row, c_lost)))
        for code, row, mx, got, lost in rows:
            if None not in (mx, got, lost) and got + lost != mx:
                out.append(_finding(ctx, ERROR, "diem", row[c_got], row[0].start, row[-1].end,
                                    f"{_label(row, code)}: {n(got)} (đạt) + {n(lost)} (trừ) = {n(got + lost)} ≠ "
                                    f"{n(mx)} (tối đa).", [got, lost, mx]))
        by_code = {code: r for r in rows for code in [r[0]] if re.fullmatch(r"\d+(?:\.\d+)*", code)}
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
                    out.append(_finding(ctx, ERROR, "diem_linh_vuc", r[1][0], r[1][0].start, r[1][-1].end,
                                        f"Điểm {label} của {code} không bằng tổng các tiêu chí con: {expr} = {n(s)} "
                                        f"≠ {n(r[pos])}.", [r[pos]] + [c[pos] for c in children] + [s]))
        tops = [r for k, r in by_code.items() if "." not in k]
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
                    out.append(_finding(ctx, ERROR, "diem_tong", row[0], row[0].start, row[-1].end,
                                        f"Tổng điểm {name} không bằng tổng các lĩnh vực: {expr} = {n(s)} ≠ {n(v)}.",
                                        [v] + [t[pos] for t in tops] + [s]))
    return out


# ---- 6. table totals ------------------------------------------------------------------------------
_TOTAL_LABEL = re.compile(r"^\s*(tổng cộng|tổng số|tổng|cộng|toàn (?:huyện|tỉnh|xã))\b", re.IGNORECASE)


def check_table_totals(ctx: Context) -> list[Finding]:
    """A "Tổng cộng" row against the rows above it; a "Tổng số X" row against its "- …" sub-rows."""
    out = []
    for table in ctx.doc.tables:
        rows = table.rows
        if _col([c.text for c in rows[0]], "tối đa", "điểm chuẩn") is not None:
            continue  # a score table: the points checks handle its totals
        # label column: the first column that holds text in most rows
        for r_i, row in enumerate(rows):
            label_cells = [c for c in row if c.text and not re.fullmatch(r"[\d.,%\s]*", c.text)]
            if not label_cells or not _TOTAL_LABEL.match(label_cells[0].text):
                continue
            label = label_cells[0]
            nums = _row_numbers(ctx, row)
            if not nums:
                continue
            # sub-rows: following rows whose label starts with "-" or "+"
            subs = []
            for nxt in rows[r_i + 1:]:
                lc = [c for c in nxt if c.text and not re.fullmatch(r"[\d.,%\s]*", c.text)]
                if lc and re.match(r"^[-+]\s", lc[0].text):
                    if any(c.text.strip() == "%" for c in nxt) or re.search(r"tỷ lệ", lc[0].text, re.IGNORECASE):
                        subs = []  # a rate under a count is not one of its parts
                        break
                    subs.append(nxt)
                else:
                    break
            if len(subs) >= 2:
                parts_rows = subs
                where = "các dòng chi tiết ngay dưới"
            else:
                # a "Tổng cộng" row at the bottom: the data rows above it, back to the header
                above = []
                for prev in reversed(rows[:r_i]):
                    pn = _row_numbers(ctx, prev)
                    lc = [c for c in prev if c.text and not re.fullmatch(r"[\d.,%\s]*", c.text)]
                    if not pn or (lc and _TOTAL_LABEL.match(lc[0].text)):
                        break
                    above.append(prev)
                if r_i != len(rows) - 1 and not re.match(r"\s*(tổng cộng|cộng)\b", label.text, re.IGNORECASE):
                    continue
                parts_rows = list(reversed(above))
                codes = [pr[0].text.strip().rstrip(".") for pr in parts_rows]
                if any(re.fullmatch(r"\d+(?:\.\d+)+", c) for c in codes):
                    # 1, 1.1, 1.2, 2…: the total adds up the top level only
                    parts_rows = [pr for pr, c in zip(parts_rows, codes, strict=True) if re.fullmatch(r"\d+", c)]
                where = "các dòng phía trên"
                if len(parts_rows) < 2:
                    continue
            for col, total in nums.items():
                if _is_percent_col(table, col):
                    continue
                vals = [_row_numbers(ctx, pr).get(col) for pr in parts_rows]
                if any(v is None for v in vals):
                    continue
                s = sum((v.value for v in vals), Decimal(0))
                if s != total.value:
                    expr = " + ".join(n(v.value) for v in vals)
                    head = rows[0][col].text if col < len(rows[0]) else ""
                    head = "" if re.fullmatch(r"[\d.,\s]*", head) else head
                    out.append(_finding(ctx, ERROR, "tong_bang", total.unit, row[0].start, row[-1].end,
                                        f"Dòng “{label.text}”{(' cột “' + head + '”') if head else ''} không bằng "
                                        f"tổng {where}: {expr} = {n(s)} ≠ {n(total.value)}.",
                                        [total.value] + [v.value for v in vals] + [s]))
    return out


def _is_percent_col(table, col: int) -> bool:
    head = " ".join(r[col].text for r in table.rows[:2] if col < len(r)).lower()
    return "%" in head or "tỷ lệ" in head


def _row_numbers(ctx: Context, row: list[Unit]) -> dict[int, Figure]:
    out = {}
    for i, cell in enumerate(row):
        if not re.fullmatch(r"\s*\d[\d.,]*\s*", cell.text or ""):
            continue
        fs = [f for f in ctx.unit_figures(cell) if f.kind == "number"]
        if len(fs) == 1 and i > 0:
            out[i] = fs[0]
    return out


# ---- 7. dates ------------------------------------------------------------------------------------
_PERIOD_PHRASE = re.compile(
    r"trong (?:quý\s+(?:I{1,3}|IV|[1-4])|năm \d{4}|kỳ báo cáo|kỳ|6 tháng đầu năm|9 tháng)|từ đầu năm đến nay|"
    r"tính từ", re.IGNORECASE)
_RANGE = re.compile(r"từ\s+(?:ngày\s+)?(\d{1,2}/\d{1,2}/\d{4})\s+đến\s+(?:ngày\s+)?(\d{1,2}/\d{1,2}/\d{4})",
                    re.IGNORECASE)
_ISSUER_AFTER = re.compile(r"^[^;.]{0,90}?\bcủa\s+(Chính phủ|Thủ tướng|Bộ|Sở|UBND tỉnh|Ủy ban nhân dân tỉnh|"
                           r"HĐND tỉnh|Tỉnh ủy|Huyện ủy|UBND huyện|Ủy ban nhân dân huyện)", re.IGNORECASE)


def check_dates(ctx: Context) -> list[Finding]:
    out = []
    for f in ctx.figures:
        if f.kind != "bad_date":
            continue
        d, m, y = f.extra["d"], f.extra["m"], f.extra["y"]
        if y is not None and (y > 9999 or y < 1900):
            why = f"năm {y} không hợp lệ"
        elif not 1 <= m <= 12:
            why = f"không có tháng {m}"
        else:
            last = calendar.monthrange(y or 2024, m)[1]
            why = f"tháng {m}{' năm ' + str(y) if y else ''} chỉ có {last} ngày"
        out.append(_finding(ctx, ERROR, "ngay_khong_ton_tai", f.unit, f.start, f.end,
                            f"Ngày “{f.text}” không tồn tại: {why}.", [d, m] + ([y] if y else [])))
    # a cited document dated after the document itself
    if ctx.doc_date:
        for ref, day in _dated_refs(ctx):
            if day > ctx.doc_date and not ref.extra.get("self"):
                out.append(_finding(ctx, ERROR, "ngay_sau_van_ban", ref.unit, ref.start, day_end(ctx, ref),
                                    f"Văn bản {ref.text} ghi ngày {format_date(day)}, sau ngày của chính văn bản này "
                                    f"({format_date(ctx.doc_date)}).", []))
    if ctx.period:
        out += _period_dates(ctx)
    return out


def day_end(ctx: Context, ref: Figure) -> int:
    return ref.extra.get("date_end", ref.end)


def _dated_refs(ctx: Context) -> list[tuple[Figure, date]]:
    """Document numbers followed (within a few words) by "ngày dd/mm/yyyy"."""
    out = []
    figs = ctx.figures
    for i, f in enumerate(figs):
        if f.kind != "docref":
            continue
        for g in figs[i + 1: i + 3]:
            if g.unit is not f.unit or g.kind != "date" or g.extra.get("no_year"):
                continue
            between = f.unit.text[f.end - f.unit.start: g.start - f.unit.start]
            if g.day and len(between) <= 40 and re.search(r"ngày\s*$", between) and not re.search(r"[;(]", between):
                f.extra["date_end"] = g.end
                out.append((f, g.day))
            break
    return out


def _period_dates(ctx: Context) -> list[Finding]:
    out, p = [], ctx.period
    for unit in ctx.doc.units:
        for m in _RANGE.finditer(unit.text):
            try:
                a, b = parse_date(m.group(1)), parse_date(m.group(2))
            except ValueError:
                continue
            if (a, b) != (p.start, p.end):
                out.append(_finding(ctx, WARNING, "ky_bao_cao", unit, unit.start + m.start(), unit.start + m.end(),
                                    f"Khoảng thời gian {format_date(a)}–{format_date(b)} khác kỳ báo cáo "
                                    f"{p.label()} theo mốc chốt số liệu.", []))
    refs = dict((id(f), day) for f, day in _dated_refs(ctx))
    units = ctx.doc.units
    for i, unit in enumerate(units):
        if unit.table is not None:
            continue
        for sa, sb in sentences(unit.text):
            sent = unit.text[sa:sb]
            if not (_PERIOD_PHRASE.search(sent) and re.search(r"ban hành", sent, re.IGNORECASE)):
                continue
            if _RANGE.search(sent) and not re.search(r"trong (?:quý|năm|kỳ)", sent, re.IGNORECASE):
                continue
            issued_at = sa + re.search(r"ban hành", sent, re.IGNORECASE).start()
            scope = [(unit, issued_at, sb)]
            if sent.rstrip().endswith(":"):
                for nxt in units[i + 1: i + 12]:
                    if nxt.heading or nxt.table is not None:
                        break
                    if not re.match(r"\s*(?:[-+•]|Ban hành|Kế hoạch|Quyết định|Công văn|Báo cáo|Chỉ thị)", nxt.text):
                        break
                    scope.append((nxt, 0, len(nxt.text)))
            for u, a, b in scope:
                for f in ctx.unit_figures(u):
                    if f.kind != "docref" or id(f) not in refs or not (a <= f.start - u.start < b):
                        continue
                    if re.match(r"\d{4}/", f.symbol) or f.extra.get("party"):
                        continue  # legal documents of other bodies carry their year
                    if _ISSUER_AFTER.match(u.text[f.end - u.start:]):
                        continue
                    day = refs[id(f)]
                    if not (p.start <= day <= p.end):
                        out.append(_finding(ctx, WARNING, "ngoai_ky", u, f.start, day_end(ctx, f),
                                            f"Văn bản {f.text} ngày {format_date(day)} được nêu là ban hành trong kỳ "
                                            f"nhưng nằm ngoài kỳ báo cáo {p.label()}.", []))
    return out


# ---- 8. document numbers (Nghị định 30) ----------------------------------------------------------
def check_doc_numbers(ctx: Context) -> list[Finding]:
    r = rules()
    codes_by_name = symbols.codes_by_name()  # the one list of ND 30 type codes, cchc/data/documents/types.yaml
    all_codes = {c for v in codes_by_name.values() for c in v} | {c.upper() for v in codes_by_name.values() for c in v}
    letter_names = {x.lower() for x in r["letter_names"]}
    out = []
    full_symbols: dict[str, set[str]] = {}
    for f in ctx.figures:
        if f.kind == "docref" and f.symbol:
            full_symbols.setdefault(f.text.split("/")[0].strip(), set()).add(f.symbol)
    for f in ctx.figures:
        if f.kind != "docref":
            continue
        if f.extra.get("short"):
            out.append(_finding(ctx, INFO, "so_ky_hieu", f.unit, f.start, f.end,
                                f"“{f.doc_type} số {f.text}” thiếu ký hiệu: theo Nghị định 30 ghi đủ "
                                f"<số>/<năm>/<loại>-<cơ quan ban hành>, ví dụ {f.text}/NĐ-CP.", []))
            continue
        if f.extra.get("party"):
            if "/" not in f.symbol:
                out.append(_finding(ctx, INFO, "so_ky_hieu", f.unit, f.start, f.end,
                                    f"Ký hiệu văn bản của Đảng “{f.text}” viết sai dạng: đúng là "
                                    f"{f.text.split('-')[0]}-{f.symbol.replace('-', '/', 1)}.", []))
            continue
        parts = re.sub(r"^\d{4}/", "", f.symbol).split("-")
        head = parts[0]
        named = f.doc_type.lower()
        if head in all_codes:
            if len(parts) < 2:
                out.append(_finding(ctx, WARNING, "so_ky_hieu", f.unit, f.start, f.end,
                                    f"Số ký hiệu “{f.text}” thiếu chữ viết tắt tên cơ quan ban hành "
                                    f"(dạng <số>/{head}-<cơ quan>).", []))
            elif named in codes_by_name and head not in codes_by_name[named] and named not in letter_names:
                expected = "/".join(sorted(codes_by_name[named]))
                out.append(_finding(ctx, WARNING, "so_ky_hieu", f.unit, f.start, f.end,
                                    f"“{f.doc_type}” nhưng ký hiệu “{f.text}” mang loại {head} "
                                    f"(loại {f.doc_type.lower()} viết tắt là {expected}).", []))
            continue
        # no type code: a letter (công văn) <số>/<cơ quan>-<đơn vị>
        if named in codes_by_name:
            expected = "/".join(sorted(codes_by_name[named]))
            out.append(_finding(ctx, WARNING, "so_ky_hieu", f.unit, f.start, f.end,
                                f"“{f.doc_type}” nhưng ký hiệu “{f.text}” không có chữ viết tắt tên loại "
                                f"{expected} (Nghị định 30: <số>/{expected}-<cơ quan>).", []))
            continue
        if head in ("CV", "CVăn", "CVAN"):
            out.append(_finding(ctx, WARNING, "so_ky_hieu", f.unit, f.start, f.end,
                                f"Số ký hiệu công văn “{f.text}” sai thể thức: công văn không có chữ viết tắt tên "
                                f"loại; theo Nghị định 30 ghi <số>/<cơ quan>-<đơn vị soạn thảo>, "
                                f"ví dụ {f.text.split('/')[0]}/{'-'.join(parts[1:]) or 'UBND'}-VP.", []))
            continue
        if len(parts) == 1:
            others = sorted(s for s in full_symbols.get(f.text.split("/")[0].strip(), ()) if s != f.symbol)
            hint = f" Ở chỗ khác văn bản này được ghi là {f.text.split('/')[0]}/{others[0]}." if others else ""
            out.append(_finding(ctx, WARNING, "so_ky_hieu", f.unit, f.start, f.end,
                                f"Số ký hiệu công văn “{f.text}” thiếu chữ viết tắt tên đơn vị soạn thảo "
                                f"(Nghị định 30: <số>/<cơ quan>-<đơn vị>).{hint}", []))
    return out


ALL_CHECKS = [
    check_sum_parts, check_level_subtotals, check_table_totals, check_percent_fraction,
    check_fraction_counts, check_points, check_dates, check_doc_numbers,
]
