"""Shared pieces of the checks: findings, the report period, the context, the rules file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import yaml
from django.conf import settings

from cchc.checker.figures import Figure, to_json_number
from cchc.checker.reading import Document, Unit
from cchc.core.loading import read_at_start
from cchc.core.vnformat import format_date, format_number

RULES_FILE = Path(settings.BASE_DIR) / "data" / "checker" / "rules.yaml"


class Severity(StrEnum):
    """Mức độ của một phát hiện: lỗi (the arithmetic is wrong), cảnh báo (likely wrong), lưu ý."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
SEVERITY_LABEL = {ERROR: "Lỗi", WARNING: "Cảnh báo", INFO: "Lưu ý"}


@read_at_start
@lru_cache(maxsize=1)
def rules() -> dict:
    with open(RULES_FILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass
class Finding:
    """Một phát hiện: mức độ, phép kiểm tra, vị trí, trích dẫn, lời giải thích và các số liên quan."""

    severity: Severity
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
        return {
            "code": self.code,
            "name": self.name,
            "year": self.year,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


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


def _finding(
    ctx: Context, severity: Severity, check: str, unit: Unit, a: int, b: int, message: str, numbers: list
) -> Finding:
    return Finding(severity, check, unit, a, b, _quote(ctx.doc, a, b), message, numbers)


def _counts(figs: list[Figure]) -> list[Figure]:
    return [f for f in figs if f.kind in ("number", "fraction") and not f.label_like and not f.score and not f.rank]


def _total_value(f: Figure) -> Decimal:
    return f.num if f.kind == "fraction" else f.value


_EXCLUDE_PART = re.compile(r"(giảm|tăng|so với|cùng kỳ|khoảng|gần|hơn|trên|dưới|tối đa|tối thiểu)\s*$", re.IGNORECASE)
