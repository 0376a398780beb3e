"""Writes to the org tree: loading a unit file (YAML or CSV), atomically and idempotently."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from cchc.core import audit
from cchc.core.actors import SystemActor
from cchc.core.importing import ErrorCollector, ImportResult
from cchc.core.vnformat import VietnameseParseError, parse_date
from cchc.org.models import LEVEL_RANK, Level, LineageKind, OrgUnit, OrgUnitParent, UnitLineage

LOADER = SystemActor("cchc org load")

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-_]*$")

# CSV headers: the canonical Vietnamese name first, then accepted aliases.
CSV_COLUMNS = {
    "ma_don_vi": ("ma_don_vi", "mã đơn vị", "code"),
    "ten_don_vi": ("ten_don_vi", "tên đơn vị", "name"),
    "loai_hinh": ("loai_hinh", "loại hình", "kind"),
    "cap": ("cap", "cấp", "level"),
    "dia_danh": ("dia_danh", "địa danh", "place_name"),
    "ma_cap_tren": ("ma_cap_tren", "mã cấp trên", "parent"),
    "hieu_luc_tu": ("hieu_luc_tu", "hiệu lực từ", "valid_from"),
    "hieu_luc_den": ("hieu_luc_den", "hiệu lực đến", "valid_to"),
    "sap_nhap_vao": ("sap_nhap_vao", "sáp nhập vào", "merged_into"),
}
LEVEL_ALIASES = {
    "tinh": Level.PROVINCE,
    "tỉnh": Level.PROVINCE,
    "huyen": Level.DISTRICT,
    "huyện": Level.DISTRICT,
    "xa": Level.COMMUNE,
    "xã": Level.COMMUNE,
    "bo_phan": Level.SECTION,
    "bộ phận": Level.SECTION,
}


@dataclass
class LinkSpec:
    parent_code: str
    valid_from: date
    valid_to: date | None
    row: int | None


@dataclass
class UnitSpec:
    code: str
    name: str
    kind: str
    level: str
    place_name: str
    valid_from: date
    valid_to: date | None
    row: int | None
    links: list[LinkSpec] = field(default_factory=list)


@dataclass
class LineageSpec:
    from_code: str
    to_code: str
    kind: str
    date: date
    basis: str
    row: int | None


@dataclass
class OrgFile:
    units: list[UnitSpec]
    lineage: list[LineageSpec]
    # How the file names the fields that checks report on (CSV headers differ from YAML keys).
    field_names: dict[str, str] = field(default_factory=dict)

    def name(self, key: str) -> str:
        return self.field_names.get(key, key)


# ---- reading ---------------------------------------------------------------------------------------
def _date(errors: ErrorCollector, row: int | None, name: str, raw: Any, required: bool) -> date | None:
    if raw in (None, ""):
        if required:
            errors.add(row, name, "", "Thiếu ngày.")
        return None
    if isinstance(raw, date):
        return raw
    try:
        return parse_date(str(raw))
    except VietnameseParseError as exc:
        errors.add(row, name, raw, str(exc))
        return None


def _level(errors: ErrorCollector, row: int | None, name: str, raw: Any) -> str:
    value = LEVEL_ALIASES.get(str(raw or "").strip().lower())
    if value is None:
        errors.add(row, name, raw, "Cấp không hợp lệ: dùng tinh, huyen, xa hoặc bo_phan.")
        return ""
    return value


def read_yaml(path: Path, errors: ErrorCollector) -> OrgFile:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        errors.add(None if line is None else line + 1, "", "", f"Tệp YAML sai cú pháp: {exc}")
        return OrgFile([], [])
    units: list[UnitSpec] = []
    for i, item in enumerate(doc.get("units") or [], start=1):
        where = f"units[{i}]"
        if not isinstance(item, dict):
            errors.add(i, where, item, "Mỗi đơn vị phải là một mục có khóa code, name, level…")
            continue
        code = str(item.get("code") or "").strip()
        spec = UnitSpec(
            code=code,
            name=str(item.get("name") or "").strip(),
            kind=str(item.get("kind") or "").strip(),
            level=_level(errors, i, f"{where}.level", item.get("level")),
            place_name=str(item.get("place_name") or "").strip(),
            valid_from=_date(errors, i, f"{where}.valid_from", item.get("valid_from"), True) or date.min,
            valid_to=_date(errors, i, f"{where}.valid_to", item.get("valid_to"), False),
            row=i,
        )
        if item.get("parent"):
            spec.links.append(LinkSpec(str(item["parent"]).strip(), spec.valid_from, spec.valid_to, i))
        for j, link in enumerate(item.get("parents") or [], start=1):
            lw = f"{where}.parents[{j}]"
            spec.links.append(
                LinkSpec(
                    str(link.get("parent") or "").strip(),
                    _date(errors, i, f"{lw}.valid_from", link.get("valid_from"), False) or spec.valid_from,
                    _date(errors, i, f"{lw}.valid_to", link.get("valid_to"), False) or spec.valid_to,
                    i,
                )
            )
        units.append(spec)
    lineage: list[LineageSpec] = []
    for i, item in enumerate(doc.get("lineage") or [], start=1):
        where = f"lineage[{i}]"
        lineage.append(
            LineageSpec(
                from_code=str(item.get("from") or "").strip(),
                to_code=str(item.get("to") or "").strip(),
                kind=str(item.get("kind") or LineageKind.MERGE).strip(),
                date=_date(errors, i, f"{where}.date", item.get("date"), True) or date.min,
                basis=str(item.get("basis") or "").strip(),
                row=i,
            )
        )
    return OrgFile(units, lineage)


def _csv_header_map(header: list[str]) -> dict[str, int]:
    lookup = {alias: canon for canon, aliases in CSV_COLUMNS.items() for alias in aliases}
    return {lookup[h.strip().lower()]: i for i, h in enumerate(header) if h.strip().lower() in lookup}


def read_csv(path: Path, errors: ErrorCollector) -> OrgFile:
    """One row per (unit, parent link); a unit that changed parent has one row per period."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        errors.add(None, "", "", "Tệp rỗng.")
        return OrgFile([], [])
    cols = _csv_header_map(rows[0])
    for required in ("ma_don_vi", "ten_don_vi", "cap", "hieu_luc_tu"):
        if required not in cols:
            errors.add(1, required, "", "Thiếu cột bắt buộc.")
    if errors:
        return OrgFile([], [])
    by_code: dict[str, UnitSpec] = {}
    lineage: list[LineageSpec] = []
    for rownum, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            i = cols.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        code = cell("ma_don_vi")
        start = _date(errors, rownum, "hieu_luc_tu", cell("hieu_luc_tu"), True) or date.min
        end = _date(errors, rownum, "hieu_luc_den", cell("hieu_luc_den"), False)
        spec = by_code.get(code)
        if spec is None:
            spec = by_code[code] = UnitSpec(
                code=code,
                name=cell("ten_don_vi"),
                kind=cell("loai_hinh"),
                level=_level(errors, rownum, "cap", cell("cap")),
                place_name=cell("dia_danh"),
                valid_from=start,
                valid_to=end,
                row=rownum,
            )
        else:
            if cell("ten_don_vi") != spec.name:
                errors.add(
                    rownum,
                    "ten_don_vi",
                    cell("ten_don_vi"),
                    f"Mã {code} đã có ở dòng {spec.row} với tên khác (“{spec.name}”).",
                )
            spec.valid_from = min(spec.valid_from, start)
            spec.valid_to = None if end is None or spec.valid_to is None else max(spec.valid_to, end)
        if cell("ma_cap_tren"):
            spec.links.append(LinkSpec(cell("ma_cap_tren"), start, end, rownum))
        for target in filter(None, (c.strip() for c in cell("sap_nhap_vao").split(";"))):
            if end is None:
                errors.add(rownum, "hieu_luc_den", "", "Đơn vị sáp nhập vào đơn vị khác phải có ngày hết hiệu lực.")
                continue
            lineage.append(
                LineageSpec(code, target, LineageKind.MERGE, date.fromordinal(end.toordinal() + 1), "", rownum)
            )
    names = {
        "code": "ma_don_vi",
        "name": "ten_don_vi",
        "parent": "ma_cap_tren",
        "valid_to": "hieu_luc_den",
        "from": "ma_don_vi",
        "to": "sap_nhap_vao",
    }
    return OrgFile(list(by_code.values()), lineage, names)


def read_org_file(path: Path, errors: ErrorCollector) -> OrgFile:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_yaml(path, errors)
    if suffix == ".csv":
        return read_csv(path, errors)
    errors.add(None, "", path.name, "Chỉ nhận tệp .yaml, .yml hoặc .csv.")
    return OrgFile([], [])


# ---- checking ----------------------------------------------------------------------------------
def _covers(outer_from: date, outer_to: date | None, inner_from: date, inner_to: date | None) -> bool:
    if inner_from < outer_from:
        return False
    if outer_to is None:
        return True
    return inner_to is not None and inner_to <= outer_to


def validate(org: OrgFile, errors: ErrorCollector) -> None:
    """Check the file as a whole. Rows that already failed to read are not checked again, so that one
    bad value gives one error, not a cascade."""
    unreadable = set(errors.bad_rows)
    seen = _check_units(org, errors)
    existing = {u.code: u for u in OrgUnit.objects.filter(code__in=_parent_codes(org) - set(seen))}
    for spec in org.units:
        if spec.row in unreadable:
            continue
        ordered = sorted(spec.links, key=lambda link: link.valid_from)
        for prev, nxt in pairwise(ordered):
            if prev.valid_to is None or prev.valid_to >= nxt.valid_from:
                errors.add(
                    nxt.row,
                    org.name("parent"),
                    nxt.parent_code,
                    f"Hai thời kỳ trực thuộc của {spec.code} chồng lên nhau.",
                )
        for link in spec.links:
            _check_link(org, spec, link, seen.get(link.parent_code) or existing.get(link.parent_code), errors)
    _check_lineage(org, set(seen) | set(existing), errors)


def _check_units(org: OrgFile, errors: ErrorCollector) -> dict[str, UnitSpec]:
    """Each unit's code (well-formed, once), name and validity; the units of the file by code."""
    seen: dict[str, UnitSpec] = {}
    for spec in org.units:
        if not spec.code or not CODE_RE.match(spec.code):
            errors.add(spec.row, org.name("code"), spec.code, "Mã đơn vị trống hoặc có ký tự không hợp lệ.")
        elif spec.code in seen:
            errors.add(spec.row, org.name("code"), spec.code, f"Mã đơn vị trùng với mục {seen[spec.code].row}.")
        seen[spec.code] = spec
        if not spec.name:
            errors.add(spec.row, org.name("name"), "", "Thiếu tên đơn vị.")
        if spec.valid_to is not None and spec.valid_to < spec.valid_from:
            errors.add(
                spec.row,
                org.name("valid_to"),
                spec.valid_to.strftime("%d/%m/%Y"),
                "Ngày hết hiệu lực trước ngày bắt đầu.",
            )
    return seen


def _check_lineage(org: OrgFile, known: set[str], errors: ErrorCollector) -> None:
    """Each merge/split/rename names units of the file or of the database, a known kind, two different units."""
    known = known | set(
        OrgUnit.objects.filter(
            code__in={x.from_code for x in org.lineage} | {x.to_code for x in org.lineage}
        ).values_list("code", flat=True)
    )
    kinds = set(LineageKind.values)
    for item in org.lineage:
        for key, code in (("from", item.from_code), ("to", item.to_code)):
            if code not in known:
                errors.add(item.row, org.name(key), code, "Không có đơn vị với mã này.")
        if item.kind not in kinds:
            errors.add(item.row, "kind", item.kind, "Hình thức kế thừa phải là merge, split hoặc rename.")
        if item.from_code == item.to_code:
            errors.add(item.row, org.name("to"), item.to_code, "Đơn vị không thể kế thừa chính nó.")


def _check_link(org: OrgFile, spec: UnitSpec, link: LinkSpec, parent: Any, errors: ErrorCollector) -> None:
    field_name = org.name("parent")
    if parent is None:
        errors.add(link.row, field_name, link.parent_code, "Không có đơn vị cấp trên với mã này.")
        return
    if link.parent_code == spec.code:
        errors.add(link.row, field_name, link.parent_code, "Đơn vị không thể trực thuộc chính nó.")
        return
    if not _covers(spec.valid_from, spec.valid_to, link.valid_from, link.valid_to):
        errors.add(link.row, field_name, link.parent_code, "Thời kỳ trực thuộc nằm ngoài thời gian tồn tại của đơn vị.")
    if not _covers(parent.valid_from, parent.valid_to, link.valid_from, link.valid_to):
        errors.add(
            link.row,
            field_name,
            link.parent_code,
            f"Đơn vị cấp trên {link.parent_code} không tồn tại trong suốt thời kỳ trực thuộc.",
        )
    parent_rank, child_rank = LEVEL_RANK.get(parent.level, 9), LEVEL_RANK.get(spec.level, 9)
    both_sections = parent.level == spec.level == Level.SECTION
    if spec.level and parent.level and not (parent_rank < child_rank or both_sections):
        errors.add(link.row, field_name, link.parent_code, "Cấp của đơn vị cấp trên phải cao hơn cấp của đơn vị.")


def _parent_codes(org: OrgFile) -> set[str]:
    return {link.parent_code for spec in org.units for link in spec.links}


# ---- writing -----------------------------------------------------------------------------------
def load_org_file(path: str | Path, *, actor: Any = LOADER, dry_run: bool = False) -> ImportResult:
    """Nạp danh mục đơn vị. All or nothing; loading the same file twice changes nothing.

    Units absent from the file are left as they are: a file may describe one province only.
    Raises ``ImportRejected`` with every bad row when the file is not valid.
    """
    path = Path(path)
    errors = ErrorCollector()
    org = read_org_file(path, errors)
    validate(org, errors)
    errors.raise_if_any()
    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        _write(org, result, actor)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _write(org: OrgFile, result: ImportResult, actor: Any) -> None:
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[s.code for s in org.units])}
    fields = ("name", "kind", "level", "place_name", "valid_from", "valid_to")
    for spec in org.units:
        unit = units.get(spec.code)
        values = {f: getattr(spec, f) for f in fields}
        if unit is None:
            unit = units[spec.code] = OrgUnit.objects.create(code=spec.code, **values)
            result.created += 1
            audit.record(actor, "org.unit.create", unit, unit=unit, data={"code": spec.code})
            continue
        changed = {f: [str(getattr(unit, f)), str(v)] for f, v in values.items() if getattr(unit, f) != v}
        if changed:
            for f, v in values.items():
                setattr(unit, f, v)
            unit.save()
            result.updated += 1
            audit.record(actor, "org.unit.update", unit, unit=unit, data=changed)
        else:
            result.unchanged += 1

    parent_codes = _parent_codes(org)
    all_units = units | {u.code: u for u in OrgUnit.objects.filter(code__in=parent_codes - set(units))}
    links_changed = 0
    for spec in org.units:
        unit = all_units[spec.code]
        wanted = sorted((all_units[x.parent_code].pk, x.valid_from, x.valid_to) for x in spec.links)
        have = sorted(OrgUnitParent.objects.filter(unit=unit).values_list("parent_id", "valid_from", "valid_to"))
        if wanted != have:
            OrgUnitParent.objects.filter(unit=unit).delete()
            OrgUnitParent.objects.bulk_create(
                OrgUnitParent(unit=unit, parent_id=p, valid_from=f, valid_to=t) for p, f, t in wanted
            )
            links_changed += 1
            audit.record(
                actor, "org.unit.reparent", unit, unit=unit, data={"links": [[p, str(f), str(t)] for p, f, t in wanted]}
            )

    lineage_changed = 0
    codes = {x.from_code for x in org.lineage} | {x.to_code for x in org.lineage}
    by_code = all_units | {u.code: u for u in OrgUnit.objects.filter(code__in=codes - set(all_units))}
    for item in org.lineage:
        row, created = UnitLineage.objects.get_or_create(
            from_unit=by_code[item.from_code],
            to_unit=by_code[item.to_code],
            defaults={"kind": item.kind, "date": item.date, "basis": item.basis},
        )
        if created or (row.kind, row.date, row.basis) != (item.kind, item.date, item.basis):
            row.kind, row.date, row.basis = item.kind, item.date, item.basis
            row.save()
            lineage_changed += 1
            audit.record(
                actor,
                "org.lineage.set",
                row,
                unit=row.to_unit,
                data={"from": item.from_code, "to": item.to_code, "kind": item.kind},
            )
    result.details = {"parent_links_changed": links_changed, "lineage_changed": lineage_changed}
