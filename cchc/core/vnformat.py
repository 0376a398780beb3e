"""Vietnamese number and date formats, written and read.

Official documents write 54.647 (thousands with a dot), 96,90% (decimal comma) and
"ngày 14 tháng 12 năm 2021"; Nghị định 30/2020 pads days under 10 and the months 1 and 2 with a zero in
the place-and-date line. Every printed figure in the product goes through these functions.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

Number = int | float | Decimal


def _to_decimal(value: Number) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def format_number(value: Number | None, decimals: int | None = None, empty: str = "") -> str:
    """54647 → "54.647"; 1234.5 with decimals=2 → "1.234,50".

    Without ``decimals`` an integral value prints without a fraction and other values keep the digits
    they have (trailing zeros dropped).
    """
    if value is None:
        return empty
    d = _to_decimal(value)
    if decimals is not None:
        d = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    elif d == d.to_integral_value():
        d = d.quantize(Decimal(1))
    else:
        d = d.normalize()
    sign = "-" if d < 0 else ""
    text = format(abs(d), "f")
    whole, _, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups)
    if frac:
        out += "," + frac
    return sign + out


def format_percent(value: Number | None, decimals: int = 2, empty: str = "") -> str:
    """A percentage already in percent units: 96.9 → "96,90%"."""
    if value is None:
        return empty
    return format_number(value, decimals=decimals) + "%"


def percent(numerator: Number, denominator: Number, decimals: int = 2) -> Decimal | None:
    """numerator / denominator × 100, rounded half up; None when the denominator is 0."""
    if not denominator:
        return None
    raw = _to_decimal(numerator) * 100 / _to_decimal(denominator)
    return raw.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_date(value: date | datetime | None, empty: str = "") -> str:
    """14/12/2021 (day and month always two digits, as in tables and forms)."""
    if value is None:
        return empty
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def format_date_long(value: date | datetime, padded: bool = True) -> str:
    """ "ngày 14 tháng 12 năm 2021"; with ``padded`` (ND 30) days under 10 and months 1-2 get a zero."""
    if padded:
        day = f"{value.day:02d}"
        month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    else:
        day, month = str(value.day), str(value.month)
    return f"ngày {day} tháng {month} năm {value.year}"


def place_and_date(place: str, value: date) -> str:
    """The place-and-date line of an official document: "Sơn Lĩnh, ngày 28 tháng 02 năm 2022"."""
    return f"{place}, {format_date_long(value)}"


class VietnameseParseError(ValueError):
    """A value that is not a Vietnamese number or date; the message is Vietnamese."""


_GROUPED_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_GROUPED_COMMA = re.compile(r"^\d{1,3}(,\d{3})+$")


def parse_number(text: str, *, table_cell: bool = False) -> Decimal:
    """Read a number the way Vietnamese documents write it.

    "54.647" → 54647, "96,9" → 96.9, "1.234,5" → 1234.5, "81.889.689.373đ" → 81889689373. A lone
    separator followed by exactly three digits is read as a thousands separator ("4.747", and "4,747" in
    a table cell, where spreadsheets exported with an English locale put a comma); otherwise as the
    decimal mark ("99.81", "92,85").
    """
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    raw = re.sub(r"(?i)(đồng|đ|vnd|%)$", "", raw)
    sign = ""
    if raw[:1] in "+-":
        sign, raw = raw[:1].replace("+", ""), raw[1:]
    if not raw or not re.fullmatch(r"[\d.,]+", raw) or not raw[0].isdigit():
        raise VietnameseParseError(f"“{text}” không phải là một số.")
    if "." in raw and "," in raw:
        if raw.rfind(",") > raw.rfind("."):
            whole, frac = raw.rsplit(",", 1)
            whole = whole.replace(".", "")
        else:  # English-style 1,234.5
            whole, frac = raw.rsplit(".", 1)
            whole = whole.replace(",", "")
        normalized = f"{whole}.{frac}"
    elif _GROUPED_DOT.match(raw):
        normalized = raw.replace(".", "")
    elif _GROUPED_COMMA.match(raw) and (table_cell or raw.count(",") > 1):
        normalized = raw.replace(",", "")
    elif raw.count(",") == 1:
        normalized = raw.replace(",", ".")
    elif raw.count(".") == 1:
        normalized = raw
    elif "." in raw or "," in raw:
        raise VietnameseParseError(f"“{text}” không phải là một số.")
    else:
        normalized = raw
    try:
        return Decimal(sign + normalized)
    except InvalidOperation as exc:  # pragma: no cover - the regexes above admit only digits
        raise VietnameseParseError(f"“{text}” không phải là một số.") from exc


_DATE_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATE_LONG = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)


def parse_date(text: str) -> date:
    """dd/mm/yyyy (also with - or .), ISO yyyy-mm-dd, or "ngày 14 tháng 12 năm 2021"."""
    raw = text.strip()
    m = _DATE_ISO.match(raw)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _DATE_DMY.match(raw) or _DATE_LONG.search(raw)
        if not m:
            raise VietnameseParseError(f"“{text}” không phải là ngày (dạng dd/mm/yyyy).")
        d, mo, y = (int(g) for g in m.groups())
    try:
        return date(y, mo, d)
    except ValueError as exc:
        raise VietnameseParseError(f"Ngày “{text}” không tồn tại.") from exc
