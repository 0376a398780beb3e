"""Lĩnh vực CCHC: the reform areas a plan's tasks are grouped by, read from `cchc/data/plans/reform_areas.yaml`."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

AREAS_FILE = Path(__file__).resolve().parent.parent / "data" / "plans" / "reform_areas.yaml"


@dataclass(frozen=True)
class ReformArea:
    code: str
    name: str
    order: int
    aliases: tuple[str, ...] = ()


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).lower().split())


@cache
def reform_areas() -> tuple[ReformArea, ...]:
    data = yaml.safe_load(AREAS_FILE.read_text(encoding="utf-8"))
    areas = [
        ReformArea(str(a["code"]), str(a["name"]), int(a["order"]), tuple(str(x) for x in a.get("aliases", [])))
        for a in data["areas"]
    ]
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
