"""Điểm nêu bằng lời: tối đa, đạt, bị trừ, bị mất của một tiêu chí, theo bất kỳ thứ tự nào, có chữ xen giữa;
điểm mất của các tiêu chí cộng lại bằng điểm mất của lĩnh vực và tổng điểm mất mà văn bản nêu.

A statement is the text of one criterion (from "Tiêu chí 1.3" or "lĩnh vực …" to the next such mention, or
the paragraph). Each number of points gets its role from the closest words before it (``point_role``).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from cchc.checker.checks.base import ERROR, Context, Finding, _finding, n, rules
from cchc.checker.checks.points import _col
from cchc.checker.figures import Figure
from cchc.checker.quantities import Role, point_role
from cchc.checker.reading import Unit
from cchc.core.text import fold

# where a statement about one criterion or one field starts: "Tiêu chí 1.3", "lĩnh vực Cải cách…" (not "của 04
# tiêu chí", "các lĩnh vực", which name the whole)
_SPLIT = re.compile(r"(?:tiêu chí|TC)\s*\d|(?<!các )(?<!\d )lĩnh vực\b|(?:^|(?<=[;:.]\s))tiêu chí\b", re.IGNORECASE)
_CODE = re.compile(r"(?:tiêu chí|TC)\s*(\d{1,2}(?:\.\d{1,2})*)|^\s*(\d{1,2}(?:\.\d{1,2})+)\.?\s", re.IGNORECASE)
_TOTAL = re.compile(r"\btổng(?: cộng| số)?\b", re.IGNORECASE)
_LISTED = re.compile(r"nêu trên|trên đây|các tiêu chí|của\s+(\d+)\s+(tiêu chí|lĩnh vực)", re.IGNORECASE)


@dataclass
class Statement:
    """Một câu/đoạn nói về điểm của một tiêu chí, một lĩnh vực hoặc tổng."""

    unit: Unit
    start: int  # offsets in Document.text
    end: int
    text: str
    code: str = ""
    fraction: bool = False  # "0,5/1 điểm": the points check (points.py) already compares this form
    heading: bool = False
    roles: dict[Role, list[Figure]] = field(default_factory=dict)

    def one(self, role: Role) -> Decimal | None:
        vals = {f.value for f in self.roles.get(role, [])}
        return vals.pop() if len(vals) == 1 else None

    def deductions(self) -> list[Figure]:
        """The deductions, a restatement counted once ("bị áp dụng điểm trừ 1 điểm, bị trừ 1 điểm")."""
        out: list[Figure] = []
        for f in self.roles.get(Role.DEDUCTED, []):
            if (
                out
                and out[-1].value == f.value
                and len(self.unit.text[out[-1].end - self.unit.start : f.start - self.unit.start].split()) <= 4
            ):
                continue
            out.append(f)
        return out

    @property
    def penalty(self) -> bool:
        """A penalty criterion (“… (điểm trừ)”): counted outside the 100 points, not in its field's loss."""
        name = re.search(r"“([^”]*)”", self.text)
        return bool(name and re.search(r"điểm trừ|điểm thưởng", name.group(1), re.IGNORECASE))

    def loss(self) -> Decimal | None:
        lost, deducted = self.one(Role.LOST), self.deductions()
        if lost is not None:
            return lost
        return sum((f.value for f in deducted), Decimal(0)) if deducted else None


def _is_points(f: Figure, text: str, scope: str) -> bool:
    """A number of points: followed by "điểm"/"đ", or with no noun right after a role word in a statement that
    speaks of points ("đạt 0,5 trên tối đa 1 điểm")."""
    if f.kind != "number" or f.label_like:
        return False
    rel = f.start - f.unit.start
    after = text[f.end - f.unit.start : f.end - f.unit.start + 8]
    if re.match(r"\s*(?:điểm|đ)\b", after, re.IGNORECASE):
        return True
    before = text[max(0, rel - 14) : rel]
    return not f.noun and "điểm" in scope and bool(re.search(r"(đạt|được|tối đa|trừ|mất|thiếu)\s*$", before))


def _starts_statement(text: str, m: re.Match) -> bool:
    """A mention that opens a statement: not inside a quoted name (“Tỷ lệ hồ sơ lĩnh vực đất đai…”), and
    "lĩnh vực" only at the start of a clause ("1. Lĩnh vực…", "trong đó lĩnh vực…, lĩnh vực…")."""
    before = text[: m.start()]
    if before.count("“") > before.count("”") or before.count('"') % 2:
        return False
    if m.group(0).lower().startswith("lĩnh vực"):
        return bool(re.search(r"(?:^|[;:.,]\s*|trong đó\s+|[-+•]\s*)$", before, re.IGNORECASE))
    return True


def _statements(ctx: Context, unit: Unit) -> list[Statement]:
    text = unit.text
    cuts = [0] + [m.start() for m in _SPLIT.finditer(text) if m.start() > 0 and _starts_statement(text, m)]
    cuts.append(len(text))
    out = []
    figs = ctx.unit_figures(unit)
    for a, b in itertools.pairwise(cuts):
        part = text[a:b]
        fractions = [f for f in figs if f.kind == "fraction" and f.score and a <= f.start - unit.start < b]
        pts = [f for f in figs if a <= f.start - unit.start < b and _is_points(f, text, part)]
        if not pts and not fractions:
            continue
        m = _CODE.search(part)
        code = (m.group(1) or m.group(2)) if m else ""
        st = Statement(unit, unit.start + a, unit.start + b, part, code, bool(fractions), unit.heading and a == 0)
        prev_end, prev_role = a, Role.OTHER
        for f in pts:
            window = text[prev_end : f.start - unit.start]
            role = point_role(window)
            if role == Role.OTHER and prev_role == Role.MAX and re.fullmatch(r"\s*(?:điểm\s*)?là\s*", window):
                role = Role.LOST  # "thấp hơn điểm tối đa 1,5 điểm là 0,5 điểm"
            st.roles.setdefault(role, []).append(f)
            prev_end, prev_role = f.end - unit.start, role
        if len(fractions) == 1:  # "được 0,5/1 điểm": obtained over maximum
            st.roles.setdefault(Role.OBTAINED, []).append(_part(fractions[0], fractions[0].num))
            st.roles.setdefault(Role.MAX, []).append(_part(fractions[0], fractions[0].den))
        out.append(st)
    return out


def _part(f: Figure, value: Decimal) -> Figure:
    from dataclasses import replace

    return replace(f, kind="number", value=value)


def all_statements(ctx: Context) -> list[Statement]:
    cache = getattr(ctx, "_statements", None)
    if cache is None:
        cache = [st for u in ctx.doc.units if u.table is None for st in _statements(ctx, u)]
        ctx._statements = cache
    return cache


def check_point_statements(ctx: Context) -> list[Finding]:
    """obtained + lost = maximum; the deduction stated equals the loss stated."""
    out = []
    for st in all_statements(ctx):
        if st.fraction:
            continue
        mx, got = st.one(Role.MAX), st.one(Role.OBTAINED)
        if got is None and not st.roles.get(Role.OBTAINED):
            got = st.one(Role.SELF)
        lost, deducted = st.one(Role.LOST), st.deductions()
        ded = sum((f.value for f in deducted), Decimal(0)) if deducted else None
        if lost is not None and ded is not None and lost != ded:
            out.append(
                _point(ctx, st, f"Điểm bị trừ {n(ded)} khác điểm bị mất {n(lost)} của cùng tiêu chí.", [ded, lost])
            )
            continue
        loss = st.loss()
        if mx is None or got is None:
            continue
        if got > mx:
            out.append(_point(ctx, st, f"Điểm đạt {n(got)} lớn hơn điểm tối đa {n(mx)}.", [got, mx]))
        elif loss is not None and got + loss != mx:
            what = "mất" if lost is not None else "trừ"
            out.append(
                _point(
                    ctx,
                    st,
                    f"Điểm không khớp: {n(got)} (đạt) + {n(loss)} ({what}) = {n(got + loss)} ≠ "
                    f"{n(mx)} (tối đa); {n(mx)} − {n(got)} = {n(mx - got)}.",
                    [got, loss, mx],
                )
            )
    return out


def _point(ctx: Context, st: Statement, message: str, numbers: list) -> Finding:
    label = f"Tiêu chí {st.code}: " if st.code else ""
    return _finding(ctx, ERROR, "diem", st.unit, st.start, st.end, label + message, numbers)


# ---- losses add up ---------------------------------------------------------------------------------------
@dataclass
class Loss:
    code: str
    value: Decimal
    where: str
    start: int = -1  # offset of a criterion written in prose (table rows: -1)


def _table_losses(ctx: Context) -> list[Loss]:
    out = []
    for table in ctx.doc.tables:
        header = [c.text for c in table.rows[0]]
        c_max = _col(header, "tối đa", "điểm chuẩn")
        c_got = _col(header, "điểm đạt", "đạt", "điểm chấm", "thẩm định")
        c_lost = _col(header, "điểm trừ", "bị trừ", "điểm mất", "mất", "trừ")
        if c_max is None or c_got is None or c_got == c_max:
            continue
        for row in table.rows[1:]:
            vals = [_value(ctx, row, c) for c in (c_max, c_got, c_lost)]
            code = next((m.group(1) for c in row[:3] if (m := re.match(r"\s*(\d{1,2}(?:\.\d{1,2})+)", c.text))), "")
            if re.search(r"\btổng\b|\bcộng\b", " ".join(c.text for c in row[:3]), re.IGNORECASE):
                continue
            loss = vals[2] if vals[2] is not None else (vals[0] - vals[1] if None not in vals[:2] else None)
            if loss is not None:
                out.append(Loss(code, loss, row[0].location_text(ctx.doc.line_word)))
    return out


def _value(ctx: Context, row: list[Unit], i: int | None) -> Decimal | None:
    if i is None or i >= len(row):
        return None
    fs = [f for f in ctx.unit_figures(row[i]) if f.kind == "number"]
    return fs[0].value if len(fs) == 1 else None


def _field_of(text: str) -> str:
    low = fold(text)
    for name, code in rules()["par_fields"].items():
        if fold(name) in low:
            return str(code)
    return ""


@dataclass
class _Totals:
    criteria: list[Loss] = field(default_factory=list)
    fields: list[tuple[Statement, str, Decimal]] = field(default_factory=list)
    grand: list[tuple[Statement, Decimal, int | None]] = field(default_factory=list)


def _collect(ctx: Context) -> _Totals:
    t = _Totals(criteria=_table_losses(ctx))
    for st in all_statements(ctx):
        loss = st.loss()
        if loss is None:
            continue
        head = st.text[:60]
        listed = _LISTED.search(st.text)
        if _TOTAL.search(st.text) and listed and not re.match(r"\s*lĩnh vực", head, re.IGNORECASE):
            t.grand.append((st, loss, int(listed.group(1)) if listed.group(1) else None))
        elif re.match(r"\s*lĩnh vực", head, re.IGNORECASE):
            t.fields.append((st, _field_of(st.text), loss))
        elif st.heading and not st.code:
            # "1. Công tác chỉ đạo, điều hành … (đạt 9,7/12 điểm, bị mất 2,3 điểm)": a field's heading; its
            # criteria are the ones written under it (the heading's number need not be the field's code)
            t.fields.append((st, "", loss))
        elif (re.match(r"\s*tiêu chí", head, re.IGNORECASE) or st.code) and not st.penalty:
            t.criteria.append(Loss(st.code, loss, st.unit.location_text(ctx.doc.line_word), st.start))
    return t


def _once(losses: list[Loss]) -> list[Loss]:
    """A criterion listed in the text and again in the appendix counts once."""
    seen, out = set(), []
    for c in losses:
        if c.code and c.code in seen:
            continue
        seen.add(c.code)
        out.append(c)
    return out


def check_point_totals(ctx: Context) -> list[Finding]:
    """Losses of the criteria against the loss a field states, and against a stated grand total."""
    t = _collect(ctx)
    out = []
    starts = sorted(st.start for st, _, _ in t.fields)
    for st, code, loss in t.fields:
        if code:
            mine = [c for c in t.criteria if c.code.split(".")[0] == code]
        else:
            nxt = next((x for x in starts if x > st.start), None)
            mine = [c for c in t.criteria if c.start > st.start and (nxt is None or c.start < nxt) and c.start >= 0]
        mine = _once(mine)
        if len(mine) >= 2:
            out += _sum_finding(ctx, st, loss, mine, "lĩnh vực")
    criteria = _once(t.criteria)
    for st, loss, count in t.grand:
        stated_fields = [f for f in t.fields if f[0].start < st.start]
        if count is not None and re.search(r"lĩnh vực", st.text, re.IGNORECASE):
            if len(stated_fields) == count:
                parts = [Loss(c, v, s.unit.location_text(ctx.doc.line_word)) for s, c, v in stated_fields]
                out += _sum_finding(ctx, st, loss, parts, "các lĩnh vực")
            continue
        if count is not None and count != len(criteria):
            continue
        if len(criteria) >= 2:
            out += _sum_finding(ctx, st, loss, criteria, "các tiêu chí")
    return out


def _sum_finding(ctx: Context, st: Statement, stated: Decimal, parts: list[Loss], what: str) -> list[Finding]:
    s = sum((p.value for p in parts), Decimal(0))
    if s == stated:
        return []
    expr = " + ".join(f"{n(p.value)}" + (f" ({p.code})" if p.code else "") for p in parts)
    return [
        _finding(
            ctx,
            ERROR,
            "diem_tong_mat",
            st.unit,
            st.start,
            st.end,
            f"Tổng điểm mất nêu là {n(stated)} nhưng điểm mất của {what}: {expr} = {n(s)} ≠ {n(stated)}.",
            [stated] + [p.value for p in parts] + [s],
        )
    ]
