"""Quan hệ giữa các số ở bất kỳ đâu trong văn bản: cùng đại lượng hai số, số mục liệt kê, tình trạng xử lý
cộng lại, "mức độ 3, 4" bằng mức độ 3 + mức độ 4, dấu thập phân lẫn lộn.

Every check here compares places that may be far apart, so each finding names both places; those that are
only likely (the two figures may count slightly different things) are warnings, never errors.
"""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import pairwise

from cchc.checker.checks.base import ERROR, INFO, WARNING, Context, Finding, _counts, _finding, n
from cchc.checker.figures import Figure
from cchc.checker.quantities import Quantity, quantity_of
from cchc.checker.reading import Unit

_BULLET = re.compile(r"^\s*(?:[-+•–*]|[a-zđ]\)|\d{1,2}[.)])\s*\S")


# ---- counts of listed items ------------------------------------------------------------------------
def _is_count(f: Figure) -> bool:
    return f.kind == "number" and not f.label_like and not f.score and not f.rank


def _split_items(text: str) -> tuple[list[str], bool]:
    """Items of a list after a colon; True when they are separated by ";" (a sure list)."""
    text = text.strip().rstrip(".;").strip()
    if ";" in text:
        return [i.strip() for i in text.split(";") if i.strip()], True
    return [i.strip() for i in text.split(",") if i.strip()], False


def _comma_list_ok(items: list[str]) -> bool:
    """A comma list counts only when every item is a short name (capitalised, ≤ 6 words, no digit)."""
    return all(i[:1].isupper() and len(i.split()) <= 6 and not re.search(r"\d", i) for i in items)


def _possible_counts(items: list[str], sure: bool) -> set[int]:
    k = len(items)
    if sure:
        return {k}
    last = items[-1]
    joins = len(re.findall(r"\svà\s+[A-ZĐ]", last))
    return {k, k + joins}


def _announced(ctx: Context, unit: Unit, colon: int) -> Figure | None:
    """The count announced just before a colon: "ban hành 03 văn bản:", "04 bộ phận:"."""
    before = [f for f in ctx.unit_figures(unit) if f.end - unit.start <= colon and _is_count(f)]
    if not before:
        return None
    f = before[-1]
    gap = unit.text[f.end - unit.start : colon]
    if re.search(r"[\d;()]|[.!?]\s", gap) or len(gap.split()) > 15 or not f.noun:
        return None  # the count and the colon must be in one sentence
    if f.noun == "điểm" or f.value != f.value.to_integral_value():
        return None  # points and decimals are amounts, not numbers of items
    if re.search(r"\b(một số|các|những|nhiều|như|với|nội dung)\b", gap, re.IGNORECASE):
        return None  # "19 bài với một số nội dung: …" lists the topics, not the articles
    if re.search(r"\b(gồm|bao gồm|trong đó|cụ thể)\b", gap, re.IGNORECASE) and len(gap.split()) > 10:
        return None
    return f


def _list_count_finding(ctx: Context, unit: Unit, f: Figure, count: int, sure: bool, end: int, what: str) -> Finding:
    severity = ERROR if sure else WARNING
    return _finding(
        ctx,
        severity,
        "so_muc_liet_ke",
        unit,
        f.start,
        end,
        f"Số {f.noun} nêu là {n(f.value)} nhưng {what} {count} mục; {n(f.value)} ≠ {count}.",
        [f.value, count],
    )


def check_list_counts(ctx: Context) -> list[Finding]:
    """ "03 văn bản: A; B; C; D", "03 nhiệm vụ sau:" + four bullet lines, "09 tin … ngày 05/01; 12/01…"."""
    out = []
    units = ctx.doc.units
    for i, unit in enumerate(units):
        if unit.table is not None:
            continue
        for m in re.finditer(r":", unit.text):
            f = _announced(ctx, unit, m.start())
            if f is None or re.search(r"\d{1,2}:\d", unit.text[m.start() - 2 : m.end() + 2]):
                continue
            rest = unit.text[m.end() :]
            if not rest.strip():
                bullets = []
                for nxt in units[i + 1 :]:
                    if nxt.table is not None or nxt.heading or not _BULLET.match(nxt.text):
                        break
                    bullets.append(nxt)
                if len(bullets) >= 2 and len(bullets) != f.value:
                    out.append(
                        _list_count_finding(ctx, unit, f, len(bullets), True, unit.end, "các dòng liệt kê ngay sau có")
                    )
                continue
            sentence_end = re.search(r"\.\s|\.$", rest)
            rest = rest[: sentence_end.start()] if sentence_end else rest
            items, sure = _split_items(rest)
            if len(items) < 2 or (not sure and not _comma_list_ok(items)):
                continue
            if any(
                _is_count(g) for g in ctx.unit_figures(unit) if m.end() <= g.start - unit.start < m.end() + len(rest)
            ):
                continue  # a breakdown with figures: the sums check reads it
            if int(f.value) not in _possible_counts(items, sure):
                out.append(
                    _list_count_finding(
                        ctx, unit, f, len(items), sure, unit.start + m.end() + len(rest), "danh sách ngay sau có"
                    )
                )
    out += _date_lists(ctx)
    return out


def _date_lists(ctx: Context) -> list[Finding]:
    """A count next to the list of the dates it happened on: in one sentence, or one table row."""
    out = []
    for unit in ctx.doc.units:
        figs = ctx.unit_figures(unit)
        dates = [f for f in figs if f.kind in ("date", "bad_date")]
        if len(dates) < 3:
            continue
        if unit.table is None:
            counts = [
                f
                for f in figs
                if _is_count(f) and f.end <= dates[0].start and f.noun and f.sentence == dates[0].sentence
            ]
            if not counts:
                continue
            f = counts[-1]
            between = [g for g in figs if f.end <= g.start < dates[0].start and g.kind != "date"]
            if between:
                continue
            same = [d for d in dates if d.sentence == f.sentence]
            if len(same) != f.value and _dense(unit.text, same):
                out.append(_list_count_finding(ctx, unit, f, len(same), True, same[-1].end, "danh sách ngày có"))
        else:
            out += _row_date_list(ctx, unit, dates)
    return out


def _dense(text_or_unit: str, dates: list[Figure]) -> bool:
    """Dates that follow one another, separated only by ; , or "và"."""
    for a, b in pairwise(dates):
        gap = a.unit.text[a.end - a.unit.start : b.start - b.unit.start]
        if not re.fullmatch(r"\s*(?:[;,]|và)?\s*(?:ngày\s*)?", gap):
            return False
    return True


def _row_date_list(ctx: Context, note: Unit, dates: list[Figure]) -> list[Finding]:
    table = ctx.doc.table(note.table)
    row = table.rows[note.row - 1]
    values = [c for c in row if c is not note and re.fullmatch(r"\s*\d[\d.,]*\s*", c.text or "")]
    if len(values) != 1 or any(_is_count(g) for g in ctx.unit_figures(note)):
        return []
    fs = [f for f in ctx.unit_figures(values[0]) if f.kind == "number"]
    if len(fs) != 1 or not _dense(note.text, dates) or fs[0].value == len(dates):
        return []
    f = fs[0]
    return [
        _finding(
            ctx,
            ERROR,
            "so_muc_liet_ke",
            f.unit,
            row[0].start,
            row[-1].end,
            f"Số liệu {n(f.value)} nhưng cột ghi chú cùng dòng liệt kê {len(dates)} ngày "
            f"({dates[0].text} … {dates[-1].text}); {n(f.value)} ≠ {len(dates)}.",
            [f.value, len(dates)],
        )
    ]


# ---- the same quantity stated twice -------------------------------------------------------------------
def _where(ctx: Context, f: Figure) -> str:
    return f.unit.location_text(ctx.doc.line_word) or "đầu văn bản"


def quantities(ctx: Context) -> list[tuple[Figure, Quantity]]:
    cache = getattr(ctx, "_quantities", None)
    if cache is None:
        cache = [(f, quantity_of(f, ctx.doc)) for f in _counts(ctx.figures) if f.kind == "number"]
        ctx._quantities = cache
    return cache


def check_same_quantity(ctx: Context) -> list[Finding]:
    """The same quantity (noun, action, qualifiers, level) stated with two different figures."""
    groups: dict[tuple, list[Figure]] = {}
    for f, q in quantities(ctx):
        if q.compared or not q.noun or not (q.action or q.qualifiers):
            continue
        if re.match(r"\s*/", f.unit.text[f.end - f.unit.start :]) or _in_breakdown(f):
            continue
        if f.unit.table is not None and not re.fullmatch(r"\s*\d[\d.,]*\s*", f.unit.text):
            continue  # a figure inside a note cell: only the value cells state the quantity
        groups.setdefault(q.key, []).append(f)
    out = []
    for key, figs in groups.items():
        values = {f.value for f in figs}
        in_table = {f.unit.table is not None for f in figs}
        cells = [f for f in figs if f.unit.table is not None]
        if len({f.value for f in cells}) > 1:
            continue  # two rows (or two columns) of a table differ: the table itself tells them apart
        if not key[2] and len(in_table) < 2:
            continue  # "tiếp nhận N hồ sơ" twice in prose may be two bodies; a qualifier or the appendix is needed
        if len(values) != 2 or len({f.sentence for f in figs}) < 2:
            continue  # one value, or three different ones (the key is too coarse to say which is right)
        first = figs[0]
        other = next(f for f in figs if f.value != first.value)
        if other.sentence == first.sentence:
            continue
        q = quantity_of(first, ctx.doc)
        out.append(
            _finding(
                ctx,
                WARNING,
                "cung_dai_luong",
                other.unit,
                other.start,
                other.end,
                f"Cùng một đại lượng ({q.describe()}) được nêu hai số khác nhau: {n(first.value)} ở "
                f"{_where(ctx, first)} (“{_around(first)}”), {n(other.value)} ở {_where(ctx, other)} "
                f"(“{_around(other)}”).",
                [first.value, other.value],
            )
        )
    return out


def _in_breakdown(f: Figure) -> bool:
    """A figure inside brackets with other figures, or after "trong đó/gồm": a part, not the quantity itself.
    A single count in brackets restates the phrase before it ("các phòng chuyên môn (13 phòng)")."""
    text, rel = f.unit.text, f.start - f.unit.start
    sent_start = max(0, f.sentence[0] - f.unit.start)
    sent = text[sent_start:rel]
    if re.search(r"\b(trong đó|gồm|bao gồm)\b[^.;]*$", sent, re.IGNORECASE):
        return True
    if sent.count("(") <= sent.count(")"):
        return False
    opened = sent_start + sent.rfind("(")
    close = text.find(")", rel)
    inside = text[opened + 1 : close if close > 0 else len(text)]
    return not re.fullmatch(r"\s*\d+(?:[.,]\d+)*\s+\w+(?:\s\w+)?\s*", inside)


def _around(f: Figure, width: int = 60) -> str:
    text, rel = f.unit.text, f.start - f.unit.start
    a = max(0, rel - width // 2)
    s = " ".join(text[a : rel + width // 2].split())
    return ("…" if a else "") + s + ("…" if rel + width // 2 < len(text) else "")


# ---- received = resolved + pending ---------------------------------------------------------------------
_RESOLVED = re.compile(r"(đã giải quyết|giải quyết xong|đã xử lý|xử lý xong|đã trả lời)\s*(?:xong\s*)?$", re.IGNORECASE)
_PENDING = re.compile(r"(đang\s+\w+(?:\s+\w+)?|chưa\s+\w+(?:\s+\w+)?|còn lại|còn)\s*$", re.IGNORECASE)


def check_status_sums(ctx: Context) -> list[Finding]:
    """ "tiếp nhận 12 phản ánh; đã giải quyết 08, đang xác minh 03": received = resolved + pending."""
    out = []
    for unit in ctx.doc.units:
        if unit.table is not None:
            continue
        counts = [f for f in _counts(ctx.unit_figures(unit)) if f.kind == "number"]
        for i, total in enumerate(counts):
            if total.measure != "tiếp nhận" or not total.noun:
                continue
            resolved, pending = [], []
            for f in counts[i + 1 :]:
                if f.measure == "tiếp nhận":
                    break
                before = unit.text[max(0, f.start - unit.start - 30) : f.start - unit.start]
                if _RESOLVED.search(before):
                    resolved.append(f)
                elif _PENDING.search(before):
                    pending.append(f)
            if len(resolved) != 1 or not pending:
                continue
            parts = resolved + pending
            s = sum((p.value for p in parts), Decimal(0))
            if s != total.value:
                expr = " + ".join(f"{n(p.value)}" for p in parts)
                out.append(
                    _finding(
                        ctx,
                        WARNING,
                        "tinh_trang_xu_ly",
                        unit,
                        total.start,
                        parts[-1].end,
                        f"Số tiếp nhận không bằng số đã giải quyết cộng số đang xử lý: {expr} = {n(s)} ≠ "
                        f"{n(total.value)} (chênh {n(abs(total.value - s))}, văn bản không nói số này ở đâu).",
                        [total.value] + [p.value for p in parts] + [s],
                    )
                )
    return out


# ---- "mức độ 3, 4" = mức độ 3 + mức độ 4 -----------------------------------------------------------------
_BOTH_LEVELS = re.compile(r"mức độ\s*3\s*(?:,|và|-|&)\s*(?:mức độ\s*)?4", re.IGNORECASE)


def check_service_levels(ctx: Context) -> list[Finding]:
    """A count of level 3 and 4 online services against the level 3 and level 4 counts stated elsewhere."""
    qs = quantities(ctx)
    out = []
    for f, q in qs:
        ctx_text = (
            f.unit.text
            if f.unit.table is None
            else " ".join(c.text for t in ctx.doc.tables if t.index == f.unit.table for c in t.rows[f.unit.row - 1])
        )
        if not _BOTH_LEVELS.search(ctx_text) or q.compared:
            continue
        parts = {}
        for level in ("muc do 3", "muc do 4"):
            cand = [
                g
                for g, p in qs
                if g is not f
                and p.noun == q.noun
                and p.action == q.action
                and p.level == q.level
                and level in p.qualifiers
                and len(p.qualifiers & {"muc do 3", "muc do 4"}) == 1
                and not _BOTH_LEVELS.search(g.unit.text)
            ]
            if len({g.value for g in cand}) != 1:
                break
            parts[level] = cand[0]
        if len(parts) != 2:
            continue
        s = parts["muc do 3"].value + parts["muc do 4"].value
        if s != f.value:
            p3, p4 = parts["muc do 3"], parts["muc do 4"]
            out.append(
                _finding(
                    ctx,
                    WARNING,
                    "cung_dai_luong",
                    f.unit,
                    f.start,
                    f.end,
                    f"Số {q.noun} mức độ 3, 4 là {n(f.value)} nhưng mức độ 3 ({n(p3.value)}, {_where(ctx, p3)}) "
                    f"+ mức độ 4 ({n(p4.value)}, {_where(ctx, p4)}) = {n(s)} ≠ {n(f.value)}.",
                    [f.value, p3.value, p4.value, s],
                )
            )
    return out


# ---- decimal marks ------------------------------------------------------------------------------------
def check_decimal_marks(ctx: Context) -> list[Finding]:
    """One mark used both as the thousands separator and as the decimal mark: a note with the reading."""
    roles: dict[str, dict[str, Figure]] = {",": {}, ".": {}}
    for f in ctx.figures:
        if f.kind not in ("number", "percent", "money") or f.value is None:
            continue
        raw = re.sub(r"[^\d.,]", "", f.text)
        marks = set(re.findall(r"[.,]", raw))
        if len(marks) != 1:
            continue
        mark = marks.pop()
        integral = f.value == f.value.to_integral_value() and re.search(r"[.,]\d{3}$", raw) is not None
        role = "nghìn" if integral else "thập phân"
        roles[mark].setdefault(role, f)
    mixed = [(mark, by_role) for mark, by_role in roles.items() if len(by_role) == 2]
    if not mixed:
        return []
    texts, first, numbers = [], None, []
    for mark, by_role in mixed:
        t, d = by_role["nghìn"], by_role["thập phân"]
        name = "dấu phẩy" if mark == "," else "dấu chấm"
        texts.append(
            f"{name}: “{t.text}” ({_where(ctx, t)}) được đọc là {n(t.value)} ({name} phân cách hàng "
            f"nghìn), còn “{d.text}” ({_where(ctx, d)}) được đọc là {n(d.value)} ({name} là dấu thập phân)"
        )
        for f in (t, d):
            first = f if first is None or f.start < first.start else first
        numbers += [t.value, d.value]
    return [
        _finding(
            ctx,
            INFO,
            "dau_thap_phan",
            first.unit,
            first.start,
            first.end,
            "Văn bản dùng dấu phân cách theo hai cách — "
            + "; ".join(texts)
            + ". Nên viết thống nhất (Nghị định 30): 4.747 và 46,20.",
            numbers,
        )
    ]
