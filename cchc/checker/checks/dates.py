"""Ngày tháng: ngày không tồn tại, văn bản dẫn sau ngày báo cáo, văn bản ngoài kỳ, khoảng ngày khác kỳ."""

from __future__ import annotations

import calendar
import re
from datetime import date

from cchc.checker.checks.base import ERROR, WARNING, Context, Finding, _finding
from cchc.checker.figures import Figure, sentences
from cchc.checker.reading import Unit
from cchc.core.vnformat import format_date, parse_date

# ---- 7. dates ------------------------------------------------------------------------------------
_PERIOD_PHRASE = re.compile(
    r"trong (?:quý\s+(?:I{1,3}|IV|[1-4])|năm \d{4}|kỳ báo cáo|kỳ|6 tháng đầu năm|9 tháng)|từ đầu năm đến nay|"
    r"tính từ",
    re.IGNORECASE,
)
_RANGE = re.compile(
    r"từ\s+(?:ngày\s+)?(\d{1,2}/\d{1,2}/\d{4})\s+đến\s+(?:ngày\s+)?(\d{1,2}/\d{1,2}/\d{4})", re.IGNORECASE
)
_ISSUER_AFTER = re.compile(
    r"^[^;.]{0,90}?\bcủa\s+(Chính phủ|Thủ tướng|Bộ|Sở|UBND tỉnh|Ủy ban nhân dân tỉnh|"
    r"HĐND tỉnh|Tỉnh ủy|Huyện ủy|UBND huyện|Ủy ban nhân dân huyện)",
    re.IGNORECASE,
)


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
        out.append(
            _finding(
                ctx,
                ERROR,
                "ngay_khong_ton_tai",
                f.unit,
                f.start,
                f.end,
                f"Ngày “{f.text}” không tồn tại: {why}.",
                [d, m] + ([y] if y else []),
            )
        )
    # a cited document dated after the document itself
    if ctx.doc_date:
        for ref, day in _dated_refs(ctx):
            if day > ctx.doc_date and not ref.extra.get("self"):
                out.append(
                    _finding(
                        ctx,
                        ERROR,
                        "ngay_sau_van_ban",
                        ref.unit,
                        ref.start,
                        day_end(ctx, ref),
                        f"Văn bản {ref.text} ghi ngày {format_date(day)}, sau ngày của chính văn bản này "
                        f"({format_date(ctx.doc_date)}).",
                        [],
                    )
                )
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
        for g in figs[i + 1 : i + 3]:
            if g.unit is not f.unit or g.kind != "date" or g.extra.get("no_year"):
                continue
            between = f.unit.text[f.end - f.unit.start : g.start - f.unit.start]
            if g.day and len(between) <= 40 and re.search(r"ngày\s*$", between) and not re.search(r"[;(]", between):
                f.extra["date_end"] = g.end
                out.append((f, g.day))
            break
    return out


def _period_dates(ctx: Context) -> list[Finding]:
    out = _ranges_off_period(ctx)
    refs = dict((id(f), day) for f, day in _dated_refs(ctx))
    units = ctx.doc.units
    for i, unit in enumerate(units):
        if unit.table is not None:
            continue
        for sa, sb in sentences(unit.text):
            for u, a, b in _issued_in_period_scope(units, i, sa, sb):
                out += _refs_off_period(ctx, u, a, b, refs)
    return out


def _ranges_off_period(ctx: Context) -> list[Finding]:
    """Khoảng ngày "từ … đến …" khác kỳ báo cáo."""
    out, p = [], ctx.period
    for unit in ctx.doc.units:
        for m in _RANGE.finditer(unit.text):
            try:
                a, b = parse_date(m.group(1)), parse_date(m.group(2))
            except ValueError:
                continue
            if (a, b) != (p.start, p.end):
                out.append(
                    _finding(
                        ctx,
                        WARNING,
                        "ky_bao_cao",
                        unit,
                        unit.start + m.start(),
                        unit.start + m.end(),
                        f"Khoảng thời gian {format_date(a)}–{format_date(b)} khác kỳ báo cáo "
                        f"{p.label()} theo mốc chốt số liệu.",
                        [],
                    )
                )
    return out


def _issued_in_period_scope(units: list[Unit], i: int, sa: int, sb: int) -> list[tuple[Unit, int, int]]:
    """Where a sentence saying documents were issued in the period ("trong quý … ban hành") names them: the
    rest of the sentence, and the list items that follow a sentence ending with ":". Empty when the sentence
    says no such thing (or gives its own date range)."""
    unit = units[i]
    sent = unit.text[sa:sb]
    if not (_PERIOD_PHRASE.search(sent) and re.search(r"ban hành", sent, re.IGNORECASE)):
        return []
    if _RANGE.search(sent) and not re.search(r"trong (?:quý|năm|kỳ)", sent, re.IGNORECASE):
        return []
    issued_at = sa + re.search(r"ban hành", sent, re.IGNORECASE).start()
    scope = [(unit, issued_at, sb)]
    if sent.rstrip().endswith(":"):
        for nxt in units[i + 1 : i + 12]:
            if nxt.heading or nxt.table is not None:
                break
            if not re.match(r"\s*(?:[-+•]|Ban hành|Kế hoạch|Quyết định|Công văn|Báo cáo|Chỉ thị)", nxt.text):
                break
            scope.append((nxt, 0, len(nxt.text)))
    return scope


def _refs_off_period(ctx: Context, u: Unit, a: int, b: int, refs: dict[int, date]) -> list[Finding]:
    """The dated documents of this unit's span [a, b) our own body issued outside the report period."""
    out, p = [], ctx.period
    for f in ctx.unit_figures(u):
        if f.kind != "docref" or id(f) not in refs or not (a <= f.start - u.start < b):
            continue
        if re.match(r"\d{4}/", f.symbol) or f.extra.get("party"):
            continue  # legal documents of other bodies carry their year
        if _ISSUER_AFTER.match(u.text[f.end - u.start :]):
            continue
        day = refs[id(f)]
        if not (p.start <= day <= p.end):
            out.append(
                _finding(
                    ctx,
                    WARNING,
                    "ngoai_ky",
                    u,
                    f.start,
                    day_end(ctx, f),
                    f"Văn bản {f.text} ngày {format_date(day)} được nêu là ban hành trong kỳ "
                    f"nhưng nằm ngoài kỳ báo cáo {p.label()}.",
                    [],
                )
            )
    return out
