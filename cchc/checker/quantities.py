"""Mô hình đọc: mỗi số liệu đếm cái gì (danh từ, hoạt động, phân loại, cấp), nó là tỷ lệ nào, điểm gì.

The figures of ``figures.py`` know their sentence and a few words around them. This module reads more of
their surroundings, independent of one sentence shape:

- ``Quantity``: what a count counts — noun (hồ sơ, lượt, phòng…), action (bồi dưỡng, tiếp nhận…),
  qualifiers (trực tuyến, mức độ 3…) and level (cấp huyện / cấp xã) — taken from the noun phrase after the
  figure, or from the clause before it, or from the table row's label. Two counts with the same key are
  "the same quantity" wherever they stand in the document.
- ``Rate``: a percentage (in prose or a table cell) with the measure it is a rate of (đúng hạn, hài lòng…),
  its level and the written number of decimals.
- ``point_role``: the role of a number of points in a criterion statement (maximum, obtained, deducted,
  lost) from the words before it.

The vocabulary lives in ``cchc/data/checker/rules.yaml`` (``quantity``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from cchc.checker.figures import NOUN_SEARCH, Figure, level_in, measure_in
from cchc.checker.reading import Document, Unit
from cchc.core.text import fold

_CLAUSE_STOP = re.compile(r"[;:.!?\n]\s|[;:\n]")


def clause_start(text: str, pos: int) -> int:
    """Start of the clause that holds ``pos``: after the last ; : or sentence stop before it (commas stay)."""
    cut = 0
    for m in _CLAUSE_STOP.finditer(text, 0, pos):
        if m.end() <= pos:
            cut = m.end()
    return cut


def phrase_after(text: str, pos: int, words: int = 8) -> str:
    """The noun phrase after a figure: up to punctuation, a digit, "và" or ``words`` words."""
    m = re.match(r"[^;:,.()\d\n]*", text[pos:])
    phrase = m.group(0) if m else ""
    phrase = re.split(r"\s(?:và|trong đó|gồm|bao gồm|đạt|chiếm|với|là)\s", phrase, maxsplit=1)[0]
    return " ".join(phrase.split()[:words])


class Role(StrEnum):
    """Vai trò của một số điểm trong câu nói về một tiêu chí."""

    MAX = "tối đa"
    OBTAINED = "đạt"
    SELF = "tự chấm"
    DEDUCTED = "trừ"
    LOST = "mất"
    OTHER = ""


# The closest keyword before a number of points decides its role: order is by position, not by this list.
_ROLE_WORDS = [
    (r"tối đa|trên tổng số|trên tổng|điểm chuẩn|thang điểm|(?<!nêu )trên", Role.MAX),
    (r"điểm trừ|bị trừ|trừ", Role.DEDUCTED),
    (r"bị mất|mất|thiếu|thấp hơn|còn thiếu", Role.LOST),
    (r"tự chấm|tự đánh giá", Role.SELF),
    (r"thẩm định|điểm đạt|đạt|được|chấm|còn", Role.OBTAINED),
    (r"tăng|giảm|so với|phấn đấu|mục tiêu|năm trước|cùng kỳ", Role.OTHER),
]
_ROLE_RX = re.compile("|".join(f"(?P<r{i}>{rx})" for i, (rx, _) in enumerate(_ROLE_WORDS)), re.IGNORECASE)


def point_role(before: str) -> Role:
    """Role of a number of points from the words before it (since the previous number)."""
    found = list(_ROLE_RX.finditer(before))
    if not found:
        return Role.OTHER
    last = found[-1]
    for i, (_, role) in enumerate(_ROLE_WORDS):
        if last.group(f"r{i}"):
            return role
    return Role.OTHER


# ---- quantities -----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _vocabulary() -> dict:
    from cchc.checker.checks.base import rules

    q = rules()["quantity"]
    return {
        "actions": _words_rx([fold(a) for a in q["actions"]]),
        "qualifiers": _words_rx([fold(a) for a in q["qualifiers"]]),
        "noun_rx": [(fold(k), _word_rx(fold(k)), v) for k, v in q["nouns"].items()],
        "nouns": {fold(k): v for k, v in q["nouns"].items()},
        "not_same": re.compile(r"\b(?:" + "|".join(re.escape(fold(w)) for w in q["not_same"]) + r")\b"),
    }


def _word_rx(word: str) -> re.Pattern:
    return re.compile(r"\b" + re.escape(word) + r"\b")


def _words_rx(words: list[str]) -> re.Pattern:
    """One pattern for a list of words: a text is searched once, not once per word."""
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b")


_fold = lru_cache(maxsize=16384)(fold)


@dataclass(frozen=True)
class Quantity:
    """Điều một số đếm: danh từ, hoạt động, phân loại, cấp. ``compared`` khi câu là so sánh/kế hoạch."""

    noun: str
    action: str
    qualifiers: frozenset[str]
    level: str
    compared: bool

    @property
    def key(self) -> tuple:
        return (self.noun, self.action, self.qualifiers, self.level)

    def describe(self) -> str:
        parts = [self.noun, self.action, *sorted(self.qualifiers)]
        if self.level:
            parts.append("cấp " + self.level)
        return " ".join(p for p in parts if p)


def _folded_sentence(doc: Document, span: tuple[int, int]) -> str:
    cache = doc.__dict__.setdefault("_folded", {})
    if span not in cache:
        cache[span] = fold(doc.text[span[0] : span[1]])
    return cache[span]


def row_label(unit: Unit, doc: Document) -> str:
    if unit.table is None:
        return ""
    table = doc.table(unit.table)
    row = table.rows[unit.row - 1]
    return " ".join(c.text for c in row if c.text and not re.fullmatch(r"[\d.,%\s]+", c.text) and c is not unit)


def _long_after(text: str, pos: int, words: int = 10) -> str:
    m = re.match(r"[^;:.()\d\n]*", text[pos:])
    return " ".join((m.group(0) if m else "").split()[:words])


def _column_head(unit: Unit, doc: Document) -> str:
    table = doc.table(unit.table)
    return table.rows[0][unit.cell - 1].text if len(table.rows[0]) >= unit.cell else ""


def quantity_of(fig: Figure, doc: Document) -> Quantity:
    """Read what a count counts (see the module docstring)."""
    voc = _vocabulary()
    text, rel = fig.unit.text, fig.start - fig.unit.start
    short = phrase_after(text, fig.end - fig.unit.start)
    own = _fold(_long_after(text, fig.end - fig.unit.start))
    before = text[clause_start(text, rel) : rel]
    label = row_label(fig.unit, doc)
    if label:
        label += " " + _column_head(fig.unit, doc)
    context = _fold(label) if label else _fold(before)
    noun = fig.noun or ""
    if not noun and label:
        m = NOUN_SEARCH.search(label)
        noun = m.group(1) if m else ""
    noun = fold(noun)
    noun = fold(next((v for k, _, v in voc["noun_rx"] if k == noun), noun))

    def pick(rx: re.Pattern) -> list[str]:
        return [m.group(1) for m in rx.finditer(own)] or [m.group(1) for m in rx.finditer(context)]

    actions = pick(voc["actions"])
    qualifiers = frozenset(pick(voc["qualifiers"]))
    sentence = _folded_sentence(doc, fig.sentence)
    boolean = bool(re.search(r"\w\s*=\s*\d", label))  # "Có = 1 Không = 0": a yes/no cell, not a count
    compared = boolean or bool(
        voc["not_same"].search(fold(before))
        or voc["not_same"].search(own)
        or re.search(r"\b(cung ky|nam truoc|so voi)\b", sentence)
    )
    level = level_in(short) or level_in(before[-30:]) or level_in(label)
    return Quantity(noun, actions[-1] if actions else "", qualifiers, level, compared)


# ---- rates ----------------------------------------------------------------------------------------
RATE_MEASURES = ("đúng hạn", "quá hạn", "trước hạn", "giải quyết", "hài lòng")
# a rate of a narrower set (a field, online, signed…) is not the overall rate of its measure
_NARROW = re.compile(r"lĩnh vực|trực tuyến|điện tử|ký số|bưu chính|mức độ", re.IGNORECASE)
_RATE_OF = re.compile(r"tỷ lệ(?P<what>[^;:%\d]{0,80}?)(?:đạt|là|chiếm|:|bằng|\d)", re.IGNORECASE)
_TARGET = re.compile(
    r"(chỉ tiêu|phấn đấu|mục tiêu|kế hoạch giao|trên|dưới|hơn|từ|khoảng|gần|tăng|giảm|"
    r"so với|bằng)\s*(?:\S+\s*){0,2}$",
    re.IGNORECASE,
)


@dataclass
class Rate:
    """Một tỷ lệ: giá trị, số chữ số thập phân viết ra, tỷ lệ của chỉ tiêu nào (measure), cấp, lĩnh vực."""

    fig: Figure
    value: Decimal
    decimals: int
    measure: str
    level: str
    scoped: bool  # a narrower scope (lĩnh vực đất đai…): not the same rate as the overall one
    target: bool  # a target or a comparison, not a result

    @property
    def unit(self) -> Unit:
        return self.fig.unit


def _rate_measure(text: str) -> str:
    m = list(_RATE_OF.finditer(text))
    return measure_in(m[-1].group("what")) if m else ""


def prose_rates(figures: list[Figure]) -> list[Rate]:
    """Percentages in prose; a rate with no words of its own ("cấp xã đạt 99%") takes the measure of the
    previous rate of the same sentence (a list of rates)."""
    out: list[Rate] = []
    for f in figures:
        if f.kind != "percent" or f.unit.table is not None:
            continue
        text, rel = f.unit.text, f.start - f.unit.start
        sent_start = f.sentence[0] - f.unit.start
        clause = text[max(sent_start, _last_stop(text, rel)) : rel]
        measure = _rate_measure(clause) or ""
        level = level_in(clause)
        if not measure and out and out[-1].fig.sentence == f.sentence and not re.search(r"\d", clause):
            measure = out[-1].measure
        scoped = bool(_NARROW.search(clause))
        window = text[max(sent_start, rel - 45) : rel].replace("(", " ")
        out.append(Rate(f, f.value, f.decimals, measure, level, scoped, bool(_TARGET.search(window))))
    return out


def _last_stop(text: str, pos: int) -> int:
    cut = max(text.rfind(";", 0, pos), text.rfind(",", 0, pos), text.rfind("(", 0, pos))
    return cut + 1


def table_rates(doc: Document, figures_by_unit: dict[int, list[Figure]]) -> list[Rate]:
    """Rate cells of indicator tables: a row whose unit cell is "%" (or a "tỷ lệ" label) and a value."""
    out = []
    for table in doc.tables:
        for row in table.rows:
            texts = [c.text.strip() for c in row]
            if "%" not in texts:
                continue
            label = " ".join(t for t in texts if t and not re.fullmatch(r"[\d.,%\s]+", t))
            if not re.search(r"tỷ lệ", label, re.IGNORECASE):
                continue
            idx = texts.index("%")
            cells = [c for c in row[idx + 1 :] if re.fullmatch(r"\d+(?:[.,]\d+)?", c.text.strip())]
            if not cells:
                continue
            figs = [f for f in figures_by_unit.get(cells[0].index, []) if f.kind == "number"]
            if len(figs) != 1:
                continue
            f = figs[0]
            decimals = len(re.split(r"[.,]", cells[0].text.strip())[1]) if re.search(r"[.,]", cells[0].text) else 0
            scoped = bool(_NARROW.search(label))
            out.append(Rate(f, f.value, decimals, measure_in(label), level_in(label), scoped, False))
    return out
