"""Who issues a document: the two header lines, the place for the date line, the body's abbreviation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cchc.org import selectors
from cchc.org.models import Level, OrgUnit


@dataclass(frozen=True)
class Issuer:
    """Tên cơ quan ban hành. ``parent_line`` is the governing body (not bold), ``name_lines`` the issuing
    body itself (bold, capitals); ``place`` is the địa danh of the date line."""

    parent_line: str
    name_lines: tuple[str, ...]
    place: str
    abbreviation: str
    unit_code: str
    display: str = ""  # in running text: "Ủy ban nhân dân xã Sơn Tây", "Bộ phận Một cửa xã Sơn Tây"


def _upper(text: str) -> str:
    return text.upper()


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _place(unit: OrgUnit) -> str:
    if unit.place_name:
        return unit.place_name
    for prefix in ("Thị trấn ", "Xã ", "Phường ", "Đặc khu ", "Huyện ", "Thị xã ", "Quận ", "Thành phố ", "Tỉnh "):
        if unit.name.startswith(prefix):
            return unit.name[len(prefix) :]
    return unit.name


def issuer_for(unit: OrgUnit, day: date) -> Issuer:
    """ỦY BAN NHÂN DÂN / XÃ SƠN TÂY for a commune (district, province alike); UBND XÃ SƠN TÂY over
    BỘ PHẬN MỘT CỬA for a section, the governing body taken from the tree as it stood on ``day``."""
    if unit.level != Level.SECTION:
        display = f"Ủy ban nhân dân {_lower_first(unit.name)}"
        return Issuer("", ("ỦY BAN NHÂN DÂN", _upper(unit.name)), _place(unit), "UBND", unit.code, display)
    parents = selectors.ancestors_on(unit, day)
    governing = next((p for p in parents if p.level != Level.SECTION), None)
    name = unit.name
    if governing is not None:
        tail = " " + _lower_first(governing.name)
        name = name.removesuffix(tail)
    parent_line = f"UBND {_upper(governing.name)}" if governing else ""
    place = _place(governing) if governing else _place(unit)
    abbreviation = "".join(w[0] for w in name.split() if w[:1].isupper()) or "UBND"
    return Issuer(parent_line, (_upper(name),), place, abbreviation, unit.code, unit.name)
