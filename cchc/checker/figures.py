"""Số liệu trong báo cáo: số, phần trăm, phân số, tiền, điểm, ngày, số ký hiệu văn bản.

Every figure keeps its sentence and, when the sentence says it, what it counts (tiếp nhận, giải quyết,
đúng hạn…), the unit level (cấp huyện, cấp xã) and the noun after it (hồ sơ, văn bản…). The tokenising
here is the checker's own; plain numbers and dates are read with ``cchc.core.vnformat``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cchc.checker.reading import Document, Unit
from cchc.core.vnformat import VietnameseParseError, parse_number


@dataclass
class Figure:
    """Một số liệu trích từ văn bản."""

    kind: str  # number | percent | fraction | money | date | bad_date | docref
    text: str
    start: int  # offsets in Document.text
    end: int
    unit: Unit
    sentence: tuple[int, int]  # offsets of the sentence in Document.text
    value: Decimal | None = None
    num: Decimal | None = None
    den: Decimal | None = None
    decimals: int = 0
    day: date | None = None
    measure: str = ""
    level: str = ""
    scope: str = ""
    noun: str = ""
    label_like: bool = False  # "mức độ 3", "đối tượng 4", "năm 2021": a name, not a count
    score: bool = False  # "0,5/1 điểm"
    rank: bool = False  # "xếp thứ 19/25"
    symbol: str = ""  # docref: the symbol after the number ("QĐ-UBND")
    doc_type: str = ""  # docref: the document type named before it ("Quyết định")
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = {
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "location": self.unit.location(),
        }
        for key in ("value", "num", "den"):
            v = getattr(self, key)
            if v is not None:
                out[key] = to_json_number(v)
        if self.kind == "percent":
            out["decimals"] = self.decimals
        if self.day:
            out["date"] = self.day.isoformat()
        for key in ("measure", "level", "scope", "noun", "symbol", "doc_type"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.score:
            out["score"] = True
        if self.rank:
            out["rank"] = True
        return out


def to_json_number(v: Decimal) -> int | float:
    return int(v) if v == v.to_integral_value() else float(v)


# ---- vocabulary ----------------------------------------------------------------------------------
MEASURES = [
    ("đúng hạn và trước hạn", "đúng hạn"),
    ("trước hạn và đúng hạn", "đúng hạn"),
    ("trước hạn", "trước hạn"),
    ("đúng hạn", "đúng hạn"),
    ("quá hạn", "quá hạn"),
    ("trễ hạn", "quá hạn"),
    ("trễ hẹn", "quá hạn"),
    ("trong hạn", "trong hạn"),
    ("tiếp nhận", "tiếp nhận"),
    ("giải quyết", "giải quyết"),
    ("hài lòng", "hài lòng"),
    ("khảo sát", "khảo sát"),
    ("nhiệm vụ", "nhiệm vụ"),
    ("văn bản", "văn bản"),
]
_MEASURE_RX = re.compile("|".join(re.escape(k) for k, _ in MEASURES), re.IGNORECASE)
_MEASURE_MAP = {k: v for k, v in MEASURES}
NOUNS = [
    "hồ sơ",
    "văn bản",
    "nhiệm vụ",
    "phần việc",
    "điểm",
    "phiếu",
    "đánh giá",
    "đơn vị",
    "đơn thư",
    "đơn",
    "người",
    "lượt",
    "cuộc",
    "cán bộ",
    "đồng chí",
    "trường hợp",
    "tin",
    "bài",
    "thủ tục",
    "TTHC",
    "xã",
    "trường",
    "ý kiến",
    "chức danh",
    "phòng",
    "quyết định",
    "kế hoạch",
    "cơ quan",
    "vấn đề",
    "bộ phận",
    "phản ánh",
    "kiến nghị",
    "dịch vụ công",
    "dịch vụ",
    "thôn",
    "lớp",
    "hội nghị",
    "buổi",
    "tiêu chí",
    "thí sinh",
    "công chức",
    "lĩnh vực",
    "sáng kiến",
    "chương trình",
    "máy",
]
_NOUN_RX = re.compile(
    r"\s*(" + "|".join(re.escape(n) for n in sorted(NOUNS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
NOUN_SEARCH = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(n) for n in sorted(NOUNS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
_LEVEL_RX = re.compile(r"cấp\s+(tỉnh|huyện|xã)", re.IGNORECASE)
_SCOPE_RX = re.compile(r"lĩnh vực\s+(\w+(?:\s+\w+)?)", re.IGNORECASE)
_LABEL_BEFORE = re.compile(
    r"(?<!\w)(?:mức độ|mức|đối tượng|khóa|khoá|lần thứ|lần|năm|quý|tháng|ngày|điều|khoản|giai đoạn|covid|thứ|"
    r"(?<!tổng )số|"
    r"tiêu chí|chỉ số|phụ lục|bảng|mục|iso|tcvn|nhóm|loại|hạng|cấp độ|kỳ|lớp|khu|tổ|ấp|thôn|phường|"
    r"nghị quyết|nghị định|quyết định|chỉ thị|kế hoạch|công văn|stt|tt)\s*[:.-]?\s*$",
    re.IGNORECASE,
)
SCORE_AFTER = re.compile(r"^\s*(?:điểm|đ)\b", re.IGNORECASE)
SCORE_BEFORE = re.compile(r"(?:điểm(?: chấm| tự chấm| đạt)?|chấm|đạt)\s*:?\s*$", re.IGNORECASE)
RANK_BEFORE = re.compile(r"(?:xếp thứ|xếp hạng|thứ hạng|hạng)\s*:?\s*$", re.IGNORECASE)

# ---- token patterns ------------------------------------------------------------------------------
_NUM = r"\d+(?:[.,]\d+)*"
MASKS = [
    re.compile(r"https?://\S+|[\w.]+@[\w.]+\.\w+(?:\.\w+)?"),
    re.compile(r"(?<!\d)0\d{2,3}[.\s]\d{3}[.\s]\d{3,4}(?!\d)"),  # phone numbers
    re.compile(r"(?<![\d/])\d+:\d+(?![\d/])"),  # ISO 9001:2015, 15:00
    re.compile(r"(?<!\w)\d{4}\s?[-–]\s?\d{4}(?!\w)"),  # 2021-2030
    re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})+\.?(?=\s)"),  # a criterion code opening a cell: "4.1. Thực hiện…"
    # A code of three levels or more ("1.4.2", "7.1.2.2") is never a quantity: a thousands group has three
    # digits, a decimal has one mark.
    re.compile(r"(?<![\w.,/])\d{1,2}(?:\.\d{1,2}){2,}(?![\w/%]|[.,]\d)"),
]
# Codes listed after a criterion label: "các tiêu chí bị trừ điểm: 3.4, 1.6 và 7.1.2.2", "TCTP 1.4.2; 3.4.2".
# The label may be followed by a few words (not digits) before the list; each listed code is masked.
_CODE = r"\d{1,2}(?:\.\d{1,2})+"
CODE_LIST = re.compile(
    r"(?<!\w)(?:tiêu chí(?: thành phần)?|tiêu chuẩn|TCTP|TC|chỉ số(?: thành phần)?|nội dung|mục|lĩnh vực)"
    r"(?:\s+[^\d\s;.,()]+){0,5}\s*:?\s*"
    r"(" + _CODE + r"(?:\s*(?:,|;|và|/|-|–)\s*" + _CODE + r")*)(?![\w/%]|[.,]\d)",
    re.IGNORECASE,
)
_ONE_CODE = re.compile(_CODE)
PARTY_REF = re.compile(r"(?<![\w/])(\d{1,4})-([A-ZĐ][A-Za-zĐ]{0,4})([/-])([A-ZĐ][A-Za-zĐ]{0,6})(?![\w/])")
DOC_REF = re.compile(
    r"(?<![\w/.,])(\d{1,5})\s?/\s?((?:\d{4}/)?[A-ZĐ][A-Za-z0-9ĐđƠơƯư]*(?:\s?[-–]\s?[A-ZĐ&][A-Za-z0-9ĐđƠơƯư&]*)*)"
)
SHORT_REF = re.compile(r"(Nghị định|Thông tư|Quyết định|Nghị quyết|Chỉ thị)\s+(?:số\s*:?\s*)?(\d{1,4}/\d{4})(?![/\w])")
DATE_LONG = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4,5})", re.IGNORECASE)
DATE_DMY = re.compile(r"(?<![\d/.,])(\d{1,2})\s?/\s?(\d{1,2})\s?/\s?(\d{4,5})(?![\d/])")
DATE_DM = re.compile(r"ngày\s+(\d{1,2})/(\d{1,2})(?![\d/])((?:\s*[;,]\s*\d{1,2}/\d{1,2}(?![\d/]))*)", re.IGNORECASE)
MONTH_YEAR = re.compile(r"(?<![\d/.,])(\d{1,2})/(\d{4})(?![\d/])")
FRACTION = re.compile(r"(?<![\w/.,])(" + _NUM + r")(?:đ)?\s?/\s?(" + _NUM + r")((?:đ|đồng)(?!\w))?(?![\w/%])")
PERCENT = re.compile(r"(?<![\w.,/])(" + _NUM + r")\s?%")
MONEY = re.compile(r"(?<![\w.,/])(" + _NUM + r")\s?(tỷ đồng|triệu đồng|nghìn đồng|đồng|VNĐ|VND|đ)(?!\w|\s+chí)")
NUMBER = re.compile(r"(?<![\w.,/])(" + _NUM + r")(?![\w/]|[.,]\d)")
TYPE_BEFORE = re.compile(
    r"(Nghị quyết|Quyết định|Chỉ thị|Quy chế|Quy định|Thông cáo|Thông báo|Hướng dẫn|Chương trình|Kế hoạch|"
    r"Phương án|Đề án|Dự án|Báo cáo|Biên bản|Tờ trình|Hợp đồng|Công điện|Giấy mời|Nghị định|Thông tư|"
    r"Công văn|văn bản|Văn bản)(?:\s+[^\s\d;,/:]+){0,3}?\s+(?:số\s*:?\s*)?$"
)
_MULT = {"tỷ đồng": Decimal(10**9), "triệu đồng": Decimal(10**6), "nghìn đồng": Decimal(1000)}


def _num(text: str, table: bool) -> Decimal | None:
    try:
        return parse_number(text, table_cell=table)
    except VietnameseParseError:
        return None


def _decimals(text: str, value: Decimal) -> int:
    if value == value.to_integral_value() and not re.search(r"[.,]\d{1,2}$", text):
        return 0
    m = re.search(r"[.,](\d+)$", text)
    return len(m.group(1)) if m and len(m.group(1)) != 3 else 0


# ---- sentences -----------------------------------------------------------------------------------
def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: a full stop, ! or ? followed by a capital letter or a bullet starts a new one."""
    spans, start = [], 0
    for m in re.finditer(r"[.!?]+\s+", text):
        nxt = text[m.end() : m.end() + 1]
        if nxt and (nxt.isupper() or nxt in "-+•"):
            spans.append((start, m.end()))
            start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


def clause_before(text: str, pos: int) -> str:
    """The text of the clause that ends at ``pos`` (clauses end at ; ( ) , : and sentence stops)."""
    cut = max(text.rfind(c, 0, pos) for c in ";(),:")
    stop = [m.end() for m in re.finditer(r"[.!?]\s+", text[:pos])]
    if stop:
        cut = max(cut, stop[-1] - 1)
    return text[cut + 1 : pos]


def measure_in(text: str, last: bool = True) -> str:
    found = list(_MEASURE_RX.finditer(text))
    if not found:
        return ""
    return _MEASURE_MAP[(found[-1] if last else found[0]).group(0).lower()]


def level_in(text: str) -> str:
    found = list(_LEVEL_RX.finditer(text))
    return found[-1].group(1).lower() if found else ""


# ---- extraction ----------------------------------------------------------------------------------
class _Spans:
    def __init__(self) -> None:
        self.taken: list[tuple[int, int]] = []

    def free(self, a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in self.taken)

    def take(self, a: int, b: int) -> None:
        self.taken.append((a, b))


def _row_label(unit: Unit, doc: Document) -> str:
    if unit.table is None:
        return ""
    table = doc.table(unit.table)
    row = table.rows[unit.row - 1]
    texts = [c.text for c in row if c.text and not re.fullmatch(r"[\d.,%\s]+", c.text)]
    return " ".join(texts)


def _ordinal_column(unit: Unit, doc: Document) -> bool:
    """A cell of the "STT"/"TT" column: its number is a row number, not a count."""
    if unit.table is None:
        return False
    table = doc.table(unit.table)
    heads = [r[unit.cell - 1].text.strip().lower() for r in table.rows[:2] if len(r) >= unit.cell]
    return any(h in ("stt", "tt", "số tt", "số thứ tự") for h in heads)


class _UnitReader:
    """Reads the figures of one paragraph or cell, phase by phase: masks, document numbers, dates, fractions,
    then percentages, money and plain numbers; each phase leaves the spans it took to the next."""

    def __init__(self, unit: Unit, doc: Document) -> None:
        self.unit, self.text, self.base = unit, unit.text, unit.start
        self.table = unit.table is not None
        self.ordinal = _ordinal_column(unit, doc)
        self.spans = _Spans()
        self.out: list[Figure] = []
        self.sents = sentences(self.text)
        self.row_label = _row_label(unit, doc)

    def sentence_of(self, pos: int) -> tuple[int, int]:
        for a, b in self.sents:
            if a <= pos < b:
                return a, b
        return self.sents[-1]

    def add(self, kind: str, m: re.Match, a: int | None = None, b: int | None = None, **kw) -> Figure:
        a = m.start() if a is None else a
        b = m.end() if b is None else b
        s = self.sentence_of(a)
        fig = Figure(
            kind=kind,
            text=self.text[a:b],
            start=self.base + a,
            end=self.base + b,
            unit=self.unit,
            sentence=(self.base + s[0], self.base + s[1]),
            **kw,
        )
        self.spans.take(a, b)
        self.out.append(fig)
        return fig

    def read(self) -> list[Figure]:
        for phase in (self.masks, self.doc_refs, self.dates, self.fractions, self.amounts, self.numbers):
            phase()
        self.out.sort(key=lambda f: f.start)
        return self.out

    def masks(self) -> None:
        for rx in MASKS:
            for m in rx.finditer(self.text):
                self.spans.take(m.start(), m.end())
        for m in CODE_LIST.finditer(self.text):
            for code in _ONE_CODE.finditer(m.group(1)):
                self.spans.take(m.start(1) + code.start(), m.start(1) + code.end())

    def doc_refs(self) -> None:
        """Document numbers first: their digits are not counts."""
        text, spans = self.text, self.spans
        for m in PARTY_REF.finditer(text):
            if spans.free(m.start(), m.end()):
                self.add("docref", m, symbol=f"{m.group(2)}{m.group(3)}{m.group(4)}", extra={"party": True})
        for m in SHORT_REF.finditer(text):
            if spans.free(m.start(2), m.end(2)):
                self.add("docref", m, m.start(2), m.end(2), doc_type=m.group(1), symbol="", extra={"short": True})
        for m in DOC_REF.finditer(text):
            if not spans.free(m.start(), m.end()):
                continue
            symbol = re.sub(r"\s", "", m.group(2))
            tb = TYPE_BEFORE.search(text[max(0, m.start() - 60) : m.start()])
            before = text[max(0, m.start() - 12) : m.start()]
            if not tb and not re.search(r"số\s*:?\s*$", before, re.IGNORECASE) and "-" not in symbol:
                # "14 buổi/ Tuần" or a fraction followed by a capitalised word: only a symbol with a dash or
                # a known shape counts as a document number without "số" before it
                continue
            self.add("docref", m, symbol=symbol, doc_type=tb.group(1) if tb else "", value=Decimal(m.group(1)))

    def dates(self) -> None:
        text, spans = self.text, self.spans
        for rx in (DATE_LONG, DATE_DMY):
            for m in rx.finditer(text):
                if not spans.free(m.start(), m.end()):
                    continue
                d, mo, y = (int(g) for g in m.groups())
                try:
                    if y > 9999 or y < 1900:
                        raise ValueError
                    self.add("date", m, day=date(y, mo, d))
                except ValueError:
                    self.add("bad_date", m, extra={"d": d, "m": mo, "y": y})
        for m in DATE_DM.finditer(text):
            if not spans.free(m.start(), m.end()):
                continue
            for dm in re.finditer(r"(\d{1,2})/(\d{1,2})", m.group(0)):
                d, mo = int(dm.group(1)), int(dm.group(2))
                a, b = m.start() + dm.start(), m.start() + dm.end()
                ok = 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(2024, mo)[1]  # 2024: 29/02 may exist
                self.add("date" if ok else "bad_date", m, a, b, extra={"d": d, "m": mo, "y": None, "no_year": True})
        for m in MONTH_YEAR.finditer(text):
            if spans.free(m.start(), m.end()) and 1 <= int(m.group(1)) <= 12 and 1945 <= int(m.group(2)) <= 2100:
                if not _NOUN_RX.match(text[m.end() : m.end() + 12]):
                    spans.take(m.start(), m.end())

    def _context(self, m: re.Match) -> dict:
        """What the clause before a figure says it counts: measure, level, scope."""
        text, row_label = self.text, self.row_label
        return {
            "measure": measure_in(clause_before(text, m.start())) or (measure_in(row_label) if self.table else ""),
            "level": level_in(text[: m.start()]) or level_in(row_label),
            "scope": _scope(text[: m.start()] + " " + row_label),
        }

    def fractions(self) -> None:
        text = self.text
        for m in FRACTION.finditer(text):
            if not self.spans.free(m.start(), m.end()):
                continue
            num, den = _num(m.group(1), self.table), _num(m.group(2), self.table)
            if num is None or den is None:
                continue
            before, after = text[max(0, m.start() - 25) : m.start()], text[m.end() : m.end() + 15]
            score = bool(SCORE_AFTER.match(after) or SCORE_BEFORE.search(before) or "đ" in m.group(0))
            rank = bool(RANK_BEFORE.search(before))
            plain_small = num <= 31 and den <= 12 and "." not in m.group(0) and "," not in m.group(0)
            if plain_small and not (score or rank or _NOUN_RX.match(after)):
                continue  # could be a day/month
            self.add(
                "fraction",
                m,
                num=num,
                den=den,
                value=num,
                score=score,
                rank=rank,
                noun=_noun(after),
                **self._context(m),
            )

    def amounts(self) -> None:
        text = self.text
        for m in PERCENT.finditer(text):
            v = _num(m.group(1), self.table) if self.spans.free(m.start(), m.end()) else None
            if v is not None:
                measure = measure_in(clause_before(text, m.start()))
                self.add("percent", m, value=v, decimals=_decimals(m.group(1), v), measure=measure)
        for m in MONEY.finditer(text):
            v = _num(m.group(1), self.table) if self.spans.free(m.start(), m.end()) else None
            if v is not None:
                self.add("money", m, value=v * _MULT.get(m.group(2), Decimal(1)), noun="đồng")

    def numbers(self) -> None:
        text = self.text
        for m in NUMBER.finditer(text):
            v = _num(m.group(1), self.table) if self.spans.free(m.start(), m.end()) else None
            if v is None:
                continue
            before = text[max(0, m.start() - 25) : m.start()]
            after = text[m.end() : m.end() + 20]
            label_like = self.ordinal or bool(_LABEL_BEFORE.search(before)) or bool(re.match(r"^\s*/", after))
            self.add(
                "number",
                m,
                value=v,
                label_like=label_like,
                noun=_noun(after),
                decimals=_decimals(m.group(1), v),
                **self._context(m),
            )


def unit_figures(unit: Unit, doc: Document) -> list[Figure]:
    return _UnitReader(unit, doc).read()


def _noun(after: str) -> str:
    m = _NOUN_RX.match(after)
    return m.group(1).lower() if m else ""


def _scope(text: str) -> str:
    m = _SCOPE_RX.search(text)
    return m.group(1).lower() if m else ""


def extract(doc: Document) -> list[Figure]:
    figures: list[Figure] = []
    for unit in doc.units:
        figures.extend(unit_figures(unit, doc))
    return figures
