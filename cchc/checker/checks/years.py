"""Năm không thể đúng (ngoài 1945–2100, năm chữ số, chữ O thay số 0) và kỳ trong tiêu đề khác kỳ trong bài.

The period of a document is read from its title first (and the opening paragraph when the title has none);
the closing sentence ("Trên đây là báo cáo … năm 2023") and the opening one must name the same period.
"""

from __future__ import annotations

import re

from cchc.checker.checks.base import ERROR, WARNING, Context, Finding, _finding, rules
from cchc.checker.reading import Document, Unit

_LETTER_YEAR = re.compile(r"(?<![\w/.,])([12][0-9OoIl]{3})(?![\w/])")
_YEAR_WORD = re.compile(r"\b(?:năm|giai đoạn|niên độ)\s+(\d{4,6})(?![\d/]|[.,]\d)", re.IGNORECASE)
_RANGE = re.compile(r"(?<![\w/.,])(\d{4,5})\s*[-–]\s*(\d{4,5})(?![\w/]|[.,]\d)")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PERIOD = re.compile(
    r"quý\s+(?P<q>IV|I{1,3}|[1-4])\b(?:\s*(?:/|năm)\s*(?P<qy>\d{4}))?|"
    r"(?P<h>6 tháng(?: đầu năm)?)(?:\s+năm)?\s*(?P<hy>\d{4})?|"
    r"(?P<m>9 tháng)(?:\s+năm)?\s*(?P<my>\d{4})?|năm\s+(?P<y>\d{4})",
    re.IGNORECASE,
)


def _bounds() -> tuple[int, int]:
    y = rules()["years"]
    return int(y["min"]), int(y["max"])


def check_years(ctx: Context) -> list[Finding]:
    lo, hi = _bounds()
    out = []
    for unit in ctx.doc.units:
        text = unit.text
        for m in _LETTER_YEAR.finditer(text):
            tok = m.group(1)
            if re.search(r"[OoIl]", tok) and sum(c.isdigit() for c in tok) >= 2:
                fixed = tok.translate(str.maketrans("OoIl", "0011"))
                out.append(
                    _year(ctx, unit, m.start(1), m.end(1), f"Năm “{tok}” có chữ cái thay chữ số (có lẽ là {fixed}).")
                )
        for m in list(_YEAR_WORD.finditer(text)) + list(_RANGE.finditer(text)):
            for g in range(1, (m.lastindex or 1) + 1):
                y = m.group(g)
                if y and not (lo <= int(y) <= hi) and _looks_like_year(text, m, y):
                    out.append(
                        _year(ctx, unit, m.start(g), m.end(g), f"Năm “{y}” không thể đúng: năm phải từ {lo} đến {hi}.")
                    )
    for f in ctx.figures:
        if f.kind == "date" and f.day and not (lo <= f.day.year <= hi):
            out.append(_year(ctx, f.unit, f.start, f.end, f"Ngày “{f.text}” có năm {f.day.year} ngoài {lo}–{hi}."))
    return out


def _looks_like_year(text: str, m: re.Match, y: str) -> bool:
    """A five-digit year, or a four-digit one after "năm" or beside a real year (not "ISO 9001-2015")."""
    if re.search(r"(ISO|TCVN|QCVN)\s*$", text[max(0, m.start() - 8) : m.start()], re.IGNORECASE):
        return False
    if len(y) != 4:
        return True
    return y[0] in "12" and (m.re is _YEAR_WORD or _plausible_range(m))


def _plausible_range(m: re.Match) -> bool:
    """ "2021 - 20255": one side is a real year, so the other is a year too."""
    lo, hi = _bounds()
    return any(lo <= int(g) <= hi for g in m.groups() if g and len(g) == 4)


def _year(ctx: Context, unit: Unit, a: int, b: int, message: str) -> Finding:
    return _finding(ctx, ERROR, "nam_khong_hop_le", unit, unit.start + a, unit.start + b, message, [])


# ---- the period of the title against the period of the text ------------------------------------------------
def header_text(doc: Document) -> str:
    """The title block: the paragraphs before the first section heading (I. / 1.)."""
    lines = []
    for u in doc.units[:25]:
        if u.heading and u.section and u.section[0] in ("I", "1"):
            break
        if u.table is None:
            lines.append(u.text)
    return "\n".join(lines)


def _title(doc: Document) -> str:
    """The lines after "BÁO CÁO"/"KẾ HOẠCH" up to the first paragraph that is a sentence."""
    lines = header_text(doc).split("\n")
    for i, line in enumerate(lines):
        if re.fullmatch(r"\s*(BÁO CÁO|KẾ HOẠCH)\s*", line):
            title = []
            for nxt in lines[i + 1 : i + 4]:
                if re.match(r"\s*(Kính gửi|Căn cứ|Thực hiện|Theo)\b", nxt) or len(nxt) > 200:
                    break
                title.append(nxt)
            return " ".join(title)
    return ""


def parse_period(text: str) -> tuple[str, int | None] | None:
    """The first period named in a text: ("q3", 2021), ("h1", None), ("year", 2024)…"""
    m = _PERIOD.search(text)
    if not m:
        return None
    if m.group("q"):
        year = int(m.group("qy")) if m.group("qy") else _next_year(text, m.end())
        return f"q{_ROMAN[m.group('q').upper()]}", year
    if m.group("h"):
        return "h1", int(m.group("hy")) if m.group("hy") else _next_year(text, m.end())
    if m.group("m"):
        return "m9", int(m.group("my")) if m.group("my") else _next_year(text, m.end())
    return "year", int(m.group("y"))


def _next_year(text: str, pos: int) -> int | None:
    m = re.match(r"[^.;]{0,30}?năm\s+(\d{4})", text[pos:])
    return int(m.group(1)) if m else None


_CLOSING = re.compile(r"Trên đây là (?:báo cáo|kế hoạch)[^.]*", re.IGNORECASE)


def check_title_period(ctx: Context) -> list[Finding]:
    title = _title(ctx.doc)
    mine = parse_period(title) if title else None
    if not mine or re.search(r"khắc phục|chỉ số", title, re.IGNORECASE):
        return []  # a remediation document names the index year, not a reporting period
    out = []
    for unit in ctx.doc.units[-12:]:
        m = _CLOSING.search(unit.text)
        if not m:
            continue
        theirs = parse_period(m.group(0))
        if not theirs:
            continue
        code_differs = theirs[0] != mine[0] and not (mine[0] == "year" or theirs[0] == "year")
        year_differs = None not in (theirs[1], mine[1]) and theirs[1] != mine[1]
        if code_differs or year_differs:
            out.append(
                _finding(
                    ctx,
                    WARNING,
                    "ky_tieu_de",
                    unit,
                    unit.start + m.start(),
                    unit.start + m.end(),
                    f"Kỳ trong câu kết ({_label(theirs)}) khác kỳ ở tiêu đề ({_label(mine)}: “{title}”).",
                    [],
                )
            )
    return out


def _label(p: tuple[str, int | None]) -> str:
    names = {
        "q1": "quý I",
        "q2": "quý II",
        "q3": "quý III",
        "q4": "quý IV",
        "h1": "6 tháng",
        "m9": "9 tháng",
        "year": "năm",
    }
    return names[p[0]] + (f" {p[1]}" if p[1] else "")
