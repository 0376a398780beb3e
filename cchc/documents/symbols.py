"""Số, ký hiệu văn bản (Nghị định 30/2020/NĐ-CP, Phụ lục I, mục 3 and Phụ lục III).

A document's number and symbol is ``<số>/<loại>-<cơ quan>`` (``303/BC-UBND``, ``140/QĐ-UBND``) and an
official letter (công văn) has no type: ``<số>/<cơ quan>-<đơn vị soạn thảo>`` (``123/UBND-VP``). Regulations
add the year: ``54/2019/QĐ-UBND``. The type codes are data (`cchc/data/documents/types.yaml`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from cchc.core.loading import read_at_start

TYPES_FILE = Path(__file__).resolve().parent.parent / "data" / "documents" / "types.yaml"


@read_at_start
@cache
def _types() -> list[dict]:
    return yaml.safe_load(TYPES_FILE.read_text(encoding="utf-8"))["types"]


@cache
def document_types() -> dict[str, str]:
    """Type code → Vietnamese name, every type of the data file (those a unit issues and the legal ones)."""
    return {str(item["code"]): str(item["name"]) for item in _types()}


@cache
def issued_types() -> dict[str, str]:
    """The types a local unit issues itself (not the legal documents of the centre)."""
    return {str(item["code"]): str(item["name"]) for item in _types() if item.get("kind") != "legal"}


@cache
def codes_by_name() -> dict[str, frozenset[str]]:
    """Lower-case name a text cites a type by → the codes (aliases included) its symbol may carry."""
    found: dict[str, set[str]] = {}
    for item in _types():
        codes = {str(item["code"]), *(str(a) for a in item.get("aliases", []))}
        for name in [item["name"], *item.get("also_named", [])]:
            found.setdefault(str(name).lower(), set()).update(codes)
    return {name: frozenset(codes) for name, codes in found.items()}


_BODY = r"[A-ZĐ][A-Za-zĐđ0-9]*(?:\.[A-ZĐ][A-Za-zĐđ0-9]*)*"
SYMBOL_RE = re.compile(
    rf"^(?P<number>\d{{1,6}})(?:/(?P<year>\d{{4}}))?/(?P<first>[A-Za-zĐđ]+)-(?P<rest>{_BODY}(?:-{_BODY})*)$"
)


@dataclass(frozen=True)
class DocumentSymbol:
    number: int
    year: int | None
    type_code: str | None  # None for an official letter (công văn)
    body: str  # issuing body, e.g. UBND; for a công văn also the drafting unit, e.g. UBND-VP

    def __str__(self) -> str:
        year = f"/{self.year}" if self.year else ""
        head = f"{self.type_code}-" if self.type_code else ""
        return f"{self.number}{year}/{head}{self.body}"


class SymbolError(ValueError):
    """A number and symbol that breaks Nghị định 30 form; the message is Vietnamese."""


def parse_symbol(text: str) -> DocumentSymbol:
    """Read ``140/QĐ-UBND``, ``54/2019/QĐ-UBND`` or ``123/UBND-VP``; raise SymbolError when malformed."""
    raw = re.sub(r"\s+", "", text.strip().removeprefix("Số:").removeprefix("số")).strip()
    m = SYMBOL_RE.match(raw)
    if not m:
        raise SymbolError(f"“{text.strip()}” không đúng dạng số/ký hiệu (ví dụ 303/BC-UBND, 123/UBND-VP).")
    number = int(m["number"])
    if number == 0:
        raise SymbolError(f"“{text.strip()}”: số văn bản bắt đầu từ 01.")
    first, rest = m["first"], m["rest"]
    types = document_types()
    if first in types:
        return DocumentSymbol(number, int(m["year"]) if m["year"] else None, first, rest)
    if first.upper() == first and first not in types and first[:1].isalpha():
        # No known type: a công văn, whose symbol is <issuing body>-<drafting unit>.
        if first in {"CV"}:
            raise SymbolError(
                f"“{text.strip()}”: công văn không ghi tên loại “CV”; ký hiệu là <cơ quan>-<đơn vị soạn thảo>, "
                "ví dụ 123/UBND-VP."
            )
        return DocumentSymbol(number, int(m["year"]) if m["year"] else None, None, f"{first}-{rest}")
    raise SymbolError(f"“{text.strip()}”: “{first}” không phải là chữ viết tắt tên loại văn bản.")


def format_symbol(number: int, type_code: str | None, body: str, year: int | None = None) -> str:
    """``format_symbol(3, "BC", "UBND")`` → ``03/BC-UBND`` (numbers under 10 take a leading zero)."""
    symbol = DocumentSymbol(number, year, type_code, body)
    text = str(symbol)
    return f"0{text}" if number < 10 else text
