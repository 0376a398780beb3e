"""Nguồn điền sẵn cho các mục báo cáo — the hook other apps plug into.

An outline section lists filler names (``fillers: [directives.issued, plans.tasks]``). An app that owns
those records (văn bản chỉ đạo, kế hoạch, nhiệm vụ…) registers a function for the name in its
``AppConfig.ready``::

    from cchc.reports.fillers import register_filler

    @register_filler("directives.issued")
    def issued(unit, period) -> list[str]:
        return ["Kế hoạch số 05/KH-UBND ngày 21/01/2021 về thực hiện cải cách hành chính năm 2021"]

Each returned line is added to the section's text (as a list item) when a report is created. The
reports app never imports those apps; a filler that is not registered is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SectionFiller = Callable[[Any, Any], list[str]]

_fillers: dict[str, SectionFiller] = {}


def register_filler(name: str) -> Callable[[SectionFiller], SectionFiller]:
    def decorator(fn: SectionFiller) -> SectionFiller:
        _fillers[name] = fn
        return fn

    return decorator


def unregister_filler(name: str) -> None:
    _fillers.pop(name, None)


def get_filler(name: str) -> SectionFiller | None:
    return _fillers.get(name)


def fill_lines(names: tuple[str, ...] | list[str], unit: Any, period: Any) -> list[str]:
    """Lines from every registered filler of ``names``, in order (missing fillers give nothing)."""
    lines: list[str] = []
    for name in names:
        fn = _fillers.get(name)
        if fn is not None:
            lines.extend(str(line).strip() for line in fn(unit, period) if str(line).strip())
    return lines
