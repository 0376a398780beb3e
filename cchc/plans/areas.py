"""Lĩnh vực CCHC: the reform areas a plan's tasks are grouped by, read from `cchc/data/plans/reform_areas.yaml`."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cchc.core.importing import ErrorCollector
from cchc.core.loading import Field, Kind, Where, check, line_of, read_at_start, read_yaml

AREAS_FILE = Path(__file__).resolve().parent.parent / "data" / "plans" / "reform_areas.yaml"


@dataclass(frozen=True)
class ReformArea:
    code: str
    name: str
    order: int
    aliases: tuple[str, ...] = ()


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).lower().split())


_AREA = (
    Field("code", required=True),
    Field("name", required=True),
    Field("order", Kind.INTEGER, required=True),
    Field("aliases", Kind.LIST, default=(), item=Field("aliases")),
)


@read_at_start
@cache
def reform_areas() -> tuple[ReformArea, ...]:
    """Every area in its order; a broken file is refused with the line of each error (``ImportRejected``)."""
    errors = ErrorCollector()
    data = read_yaml(AREAS_FILE.read_text(encoding="utf-8"), errors)
    top = check(data, (Field("version", Kind.INTEGER), Field("areas", Kind.LIST, required=True)), Where(errors))
    areas = []
    for index, raw in enumerate(top.get("areas") or []):
        values = check(raw, _AREA, Where(errors, line_of(data["areas"], index)))
        if values.ok:
            areas.append(ReformArea(values["code"], values["name"], values["order"], tuple(values["aliases"])))
    errors.raise_if_any()
    return tuple(sorted(areas, key=lambda a: a.order))


def area_choices() -> list[tuple[str, str]]:
    return [(a.code, a.name) for a in reform_areas()]


def area_name(code: str) -> str:
    return next((a.name for a in reform_areas() if a.code == code), code)


def find_area(text: str) -> ReformArea | None:
    """The area whose code, name or alias is ``text`` (case and spacing ignored)."""
    key = _key(text)
    for area in reform_areas():
        if key in {_key(area.code), _key(area.name), *(_key(a) for a in area.aliases)}:
            return area
    return None
