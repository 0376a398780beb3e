"""Chỗ điền số liệu trong nội dung báo cáo: ``{dossiers.commune.received}``, ``{ky.ten}``.

A safe substitution, never ``eval`` or a template engine: the only syntax is a dotted name in single
braces. An indicator code is replaced by its figure in Vietnamese format; ``ky.*``, ``ky_toi.*``,
``don_vi.*`` and ``cap_tren.*`` by facts of the period and unit. A name written in capitals
(``{KY_TOI.TEN}``) prints its value in capitals, for headings. Anything else between braces is left as
typed, so an officer's own text cannot break the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+)\}")
CONTEXT_NAMES = frozenset(
    {
        "ky.ten",
        "ky.tu_ngay",
        "ky.den_ngay",
        "ky.han",
        "ky_toi.ten",
        "don_vi.ten",
        "don_vi.dia_danh",
        "cap_tren.ten",
    }
)
MISSING = "…"  # the default mark of an unknown figure; settings.CCHC_MISSING_MARK chooses another


def missing_mark() -> str:
    """How an unknown figure is printed in every report output (narrative, appendix, XLSX, PDF, page)."""
    from django.conf import settings

    return getattr(settings, "CCHC_MISSING_MARK", MISSING) or MISSING


@dataclass(frozen=True)
class Figure:
    """Một số liệu điền vào nội dung: giá trị hiển thị và nguồn gốc."""

    display: str
    source: str = ""
    missing: bool = False


@dataclass(frozen=True)
class Problem:
    name: str
    message: str


@dataclass(frozen=True)
class Segment:
    """Một đoạn của nội dung sau khi điền: chữ thường, hoặc một số liệu (``name`` là chỗ điền)."""

    text: str
    name: str = ""
    figure: Figure | None = None


def names(text: str) -> list[str]:
    return [m.group(1).lower() for m in PLACEHOLDER.finditer(text or "")]


def check(text: str, indicator_codes: set[str] | None) -> list[Problem]:
    """Placeholders that name neither a context fact nor (when the catalogue is given) an indicator."""
    problems = []
    for name in names(text):
        if name in CONTEXT_NAMES:
            continue
        if name.split(".", 1)[0] in {"ky", "ky_toi", "don_vi", "cap_tren"}:
            problems.append(Problem(name, "Chỗ điền không có; dùng " + ", ".join(sorted(CONTEXT_NAMES)) + "."))
        elif indicator_codes is not None and name not in indicator_codes:
            problems.append(Problem(name, "Chỗ điền số liệu nêu mã chỉ tiêu không có trong danh mục chỉ tiêu."))
    return problems


def segments(text: str, figures: Mapping[str, Figure]) -> Iterator[Segment]:
    """Split ``text`` into plain text and filled figures (unknown names stay as typed)."""
    pos = 0
    for match in PLACEHOLDER.finditer(text or ""):
        raw = match.group(1)
        name = raw.lower()
        figure = figures.get(name)
        if figure is None:
            continue
        if match.start() > pos:
            yield Segment(text[pos : match.start()])
        shown = figure.display if not figure.missing else missing_mark()
        if raw.isupper() and raw != name:
            shown = shown.upper()
        yield Segment(shown, name, figure)
        pos = match.end()
    if pos < len(text or ""):
        yield Segment(text[pos:])


def fill(text: str, figures: Mapping[str, Figure]) -> str:
    """The text with every known placeholder replaced by its figure."""
    return "".join(s.text for s in segments(text, figures))


def missing_in(text: str, figures: Mapping[str, Figure]) -> list[str]:
    """Indicator placeholders of ``text`` whose figure is missing (printed as the missing mark, “…”)."""
    return [n for n in names(text) if n in figures and figures[n].missing]
