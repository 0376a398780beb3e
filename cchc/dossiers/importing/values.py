"""Đọc giá trị ô theo kiểu cột: a column of cells → numpy arrays, one parser per ``Kind``.

Every parser looks at the distinct values of a column (a million cells with a hundred distinct values are
read a hundred times), returns int64 numbers with −1 for "none", a mask of empty cells and a mask of
unreadable ones; the messages are built later, only for the bad rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np

from cchc.core.vnformat import VietnameseParseError, parse_number
from cchc.dossiers.importing.columns import BOOL_HELP, NO_WORDS, YES_WORDS, Column, Kind, normalise

EPOCH = date(1970, 1, 1).toordinal()
_D_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_D_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_T_HM = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_DATE_SHAPE = re.compile(r"\s*(?:(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{4})-(\d{1,2})-(\d{1,2}))(?:[ T].*)?")
_BOOL = {**dict.fromkeys(YES_WORDS, 1), **dict.fromkeys(NO_WORDS, 0)}


@dataclass
class Parsed:
    """A column read: ``value`` (−1 = none), ``minute`` of day for MOMENT (−1 = no time), ``empty`` and
    ``bad`` masks."""

    value: np.ndarray
    empty: np.ndarray
    bad: np.ndarray
    minute: np.ndarray | None = None


def factorise(values: list[str]) -> tuple[list[str], np.ndarray]:
    """Distinct values (in first-seen order) and, per value, its index among them — so a column of a
    million cells with a hundred distinct values is checked a hundred times, not a million."""
    index = dict.fromkeys(values)
    for i, key in enumerate(index):
        index[key] = i
    inv = np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))
    return list(index), inv


def _lookup(cells: list[str], read: Callable[[str], int | None]) -> Parsed:
    """Apply ``read`` (None = unreadable) to the distinct cells; "" is empty."""
    keys, inv = factorise(cells)
    got = [None if k == "" else read(k) for k in keys]
    value = np.array([-1 if g is None else g for g in got], dtype=np.int64)
    empty = np.array([k == "" for k in keys], dtype=bool)
    bad = np.array([g is None and k != "" for k, g in zip(keys, got, strict=True)], dtype=bool)
    return Parsed(value[inv], empty[inv], bad[inv])


def parse_enum(column: Column, cells: list[str]) -> Parsed:
    """The number of each cell's value in ``column.codes``; a blank cell is read like any word (OnlineForm
    has "" = Không), so a required enum's blank cell is bad."""
    accepted = column.accepted()
    number = {value: i for i, value in enumerate(column.codes)}
    keys, inv = factorise(cells)
    got = [accepted.get(normalise(k)) for k in keys]
    value = np.array([-1 if g is None else number[g] for g in got], dtype=np.int64)
    bad = np.array([g is None for g in got], dtype=bool)
    return Parsed(value[inv], np.zeros(len(cells), dtype=bool), bad[inv])


def parse_bool(column: Column, cells: list[str]) -> Parsed:
    """1 có, 0 không, −1 blank (no data; không for ``blank_is_no``)."""
    parsed = _lookup(cells, lambda k: _BOOL.get(normalise(k)))
    if column.blank_is_no:
        parsed.value[parsed.empty] = 0
    return parsed


def _read_int(text: str, maximum: int | None) -> int | None:
    try:
        number = parse_number(text, table_cell=True)
    except VietnameseParseError:
        return None
    if number != number.to_integral_value() or number < 0 or (maximum is not None and number > Decimal(maximum)):
        return None
    return int(number)


def parse_int(column: Column, cells: list[str]) -> Parsed:
    """Whole numbers ≥ 0 written the Vietnamese way ("50.000", "1.200.000đ"); blank = none."""
    return _lookup(cells, lambda k: _read_int(k, column.maximum))


def parse_column(column: Column, cells: list[str], dates: Dates) -> Parsed:
    """The parser of the column's kind."""
    if column.kind == Kind.ENUM:
        return parse_enum(column, cells)
    if column.kind == Kind.BOOL:
        return parse_bool(column, cells)
    if column.kind == Kind.INT:
        return parse_int(column, cells)
    if column.kind in (Kind.DATE, Kind.MOMENT):
        day, minute, empty, bad = parse_dates(cells, dates)
        day[empty | bad] = -1
        return Parsed(day, empty, bad, minute)
    raise ValueError(f"{column.name}: no parser for {column.kind}")


def bad_message(column: Column, raw: list[str]) -> str | Callable[[int], str]:
    """The message for an unreadable cell of ``column`` (a function of the row for dates)."""
    if column.message:
        return column.message
    if column.kind == Kind.BOOL:
        return f"{column.label} phải là {BOOL_HELP}, hoặc để trống."
    if column.kind == Kind.INT:
        return f"{column.label} phải là số nguyên không âm (ví dụ 50.000)."
    if column.kind == Kind.MOMENT:
        return bad_date(column.label, raw, "dd/mm/yyyy, dd/mm/yyyy HH:MM hoặc yyyy-mm-dd")
    if column.kind == Kind.DATE:
        return bad_date(column.label, raw)
    return f"{column.label}: giá trị không hợp lệ."


def bad_date(label: str, raw: list[str], shapes: str = "dd/mm/yyyy") -> Callable[[int], str]:
    """The message for a bad date of row ``k``: well written but not in the calendar (31/02/2026) is "ngày
    không có thật", anything else a wrong shape (only bad rows are looked at, so this costs nothing)."""

    def message(k: int) -> str:
        m = _DATE_SHAPE.fullmatch(raw[k])
        if m:
            d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(6), m.group(5), m.group(4))
            try:
                date(int(y), int(mo), int(d))
            except ValueError:
                return f"{label} “{raw[k].strip()}” là ngày không có thật."
        return f"{label} không đúng dạng {shapes}."

    return message


class Dates:
    """Memoised parsing of dd/mm/yyyy [HH:MM] and ISO: days since 1970 and minute of day (−1 when none)."""

    def __init__(self) -> None:
        self.days: dict[str, int | None] = {}
        self.times: dict[str, int | None] = {}

    def day(self, text: str) -> int | None:
        if text in self.days:
            return self.days[text]
        m = _D_DMY.match(text) or _D_ISO.match(text)
        value = None
        if m:
            a, b, c = (int(g) for g in m.groups())
            d, mo, y = (a, b, c) if m.re is _D_DMY else (c, b, a)
            try:
                value = date(y, mo, d).toordinal() - EPOCH
            except ValueError:
                value = None
        self.days[text] = value
        return value

    def time(self, text: str) -> int | None:
        if text in self.times:
            return self.times[text]
        m = _T_HM.match(text)
        value = None
        if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
            value = int(m.group(1)) * 60 + int(m.group(2))
        self.times[text] = value
        return value

    def parse(self, text: str) -> tuple[int, int] | None:
        """(day, minute) or None when unreadable; ``text`` is not empty."""
        if " " in text or "T" in text:
            head, _, tail = text.replace("T", " ", 1).partition(" ")
            d, t = self.day(head), self.time(tail.strip())
            return None if d is None or t is None else (d, t)
        d = self.day(text)
        return None if d is None else (d, -1)


def parse_dates(texts: list[str], dates: Dates) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(day since 1970, minute of day or −1, empty, unreadable) for a column of dates.

    Dates alone repeat a lot (a few hundred distinct days): the distinct texts are parsed once. Dates
    with a time hardly repeat, and hashing a million distinct strings costs more than reading them all,
    so such a column is read as it is. Either way the usual shapes (dd/mm/yyyy, yyyy-mm-dd, each with an
    optional HH:MM) are read with numpy on the characters, anything else by :class:`Dates` (the same
    rules, one text at a time)."""
    sample = texts[:20_000]
    if len(set(sample)) * 20 < len(sample) or len(texts) < 20_000:
        keys, inv = factorise(texts)
        day, minute, empty, unreadable = _parse_texts(keys, dates)
        return day[inv], minute[inv], empty[inv], unreadable[inv]
    return _parse_texts(texts, dates)


class _Chars:
    """The texts as a (rows × 16) array of code points, with digit helpers."""

    def __init__(self, keys: list[str], shaped: np.ndarray) -> None:
        m = len(keys)
        # Longer texts would be cut to 16 characters: blank them (they go the slow way).
        arr = np.array(
            keys if shaped.all() else [k if s else "" for k, s in zip(keys, shaped.tolist(), strict=True)], dtype="U16"
        )
        self.ch = arr.view(np.uint32).reshape(m, 16)
        self.m = m

    def is_(self, col: int, char: str) -> np.ndarray:
        return self.ch[:, col] == ord(char)

    def num(self, cols: tuple[int, ...]) -> np.ndarray:
        out = np.zeros(self.m, dtype=np.int64)
        for c in cols:
            out = out * 10 + self.ch[:, c].astype(np.int64) - 48
        return out

    def digits(self, cols: tuple[int, ...]) -> np.ndarray:
        return np.logical_and.reduce([(self.ch[:, c] >= 48) & (self.ch[:, c] <= 57) for c in cols])


def _fast_shapes(keys: list[str], lens: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """dd/mm/yyyy or yyyy-mm-dd (10 characters), + " H:MM" (15) or " HH:MM" (16), read with numpy:
    (day, minute, read this way, well shaped but impossible)."""
    m = len(keys)
    shaped = (lens == 10) | (lens == 15) | (lens == 16)
    if not shaped.any():
        return np.zeros(m, dtype=np.int64), np.full(m, -1, dtype=np.int64), np.zeros(m, bool), np.zeros(m, bool)
    c = _Chars(keys, shaped)
    dmy = shaped & c.is_(2, "/") & c.is_(5, "/") & c.digits((0, 1, 3, 4, 6, 7, 8, 9))
    iso = shaped & c.is_(4, "-") & c.is_(7, "-") & c.digits((0, 1, 2, 3, 5, 6, 8, 9))
    y = np.where(dmy, c.num((6, 7, 8, 9)), c.num((0, 1, 2, 3)))
    mo = np.where(dmy, c.num((3, 4)), c.num((5, 6)))
    d = np.where(dmy, c.num((0, 1)), c.num((8, 9)))
    timed = lens > 10
    short = lens == 15  # one-digit hour
    long_t = c.is_(13, ":") & c.digits((11, 12, 14, 15))
    short_t = c.is_(12, ":") & c.digits((11, 13, 14))
    tshape = timed & (c.is_(10, " ") | (iso & c.is_(10, "T"))) & np.where(short, short_t, long_t)
    hh = np.where(short, c.num((11,)), c.num((11, 12)))
    mm = np.where(short, c.num((13, 14)), c.num((14, 15)))
    fast = (dmy | iso) & (~timed | tshape)
    # A well-shaped text with an impossible date or time is unreadable, as the regex path says.
    good_month = (mo >= 1) & (mo <= 12) & (y >= 1)
    ym = np.where(good_month, (y - 1970) * 12 + mo - 1, 0)
    first = ym.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    length = (ym + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) - first
    valid = good_month & (d >= 1) & (d <= length) & (~timed | ((hh < 24) & (mm < 60)))
    day = np.where(fast & valid, first + d - 1, 0)
    minute = np.where(fast & valid & timed, hh * 60 + mm, -1)
    return day, minute, fast, fast & ~valid


def _parse_texts(keys: list[str], dates: Dates) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    lens = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    day, minute, fast, unreadable = _fast_shapes(keys, lens)
    empty = lens == 0
    for j in np.flatnonzero(~fast & ~empty).tolist():
        parsed = dates.parse(keys[j])
        if parsed is None:
            unreadable[j] = True
        else:
            day[j], minute[j] = parsed
    return day, minute, empty, unreadable
