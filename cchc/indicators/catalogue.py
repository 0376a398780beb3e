"""Nạp danh mục chỉ tiêu từ tệp YAML: kiểm tra toàn bộ, rồi lưu tất cả hoặc không gì cả.

Versioning: the file carries ``version``. Loading the same version with the same content changes
nothing; the same version with different content is refused (raise the version); an older version is
refused. A newer version updates names and rules of existing codes, adds new codes and marks codes it
no longer lists as retired — no indicator row is ever deleted, so stored values keep their meaning.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from cchc.accounts.actors import SystemActor
from cchc.core import audit
from cchc.core.importing import ErrorCollector, ImportResult
from cchc.core.loading import Field, Kind, Where, check, line_of, read_yaml
from cchc.indicators.models import CatalogueVersion, Counts, Indicator, Rollup, Source, ValueType, parse_choices

LOADER = SystemActor("cchc indicators")
ORIGIN_PROVINCE = "province"  # a catalogue row's ``origin``: added by the province (cchc indicators add)

CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "data" / "indicators" / "catalogue.yaml"

_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
_NUMERIC_TYPES = {ValueType.INTEGER, ValueType.DECIMAL, ValueType.PERCENT}


@dataclass
class RowSpec:
    line: int | None
    fields: dict[str, Any]


_CODE_MESSAGE = "Mã chỉ tiêu chỉ gồm chữ thường không dấu, số, “_” và “.” (ví dụ dossiers.received)."
_RATIO_MESSAGE = "Tỷ lệ khai dạng {numerator: [mã, …], denominator: mã}."
_SUM_MESSAGE = "Dòng tổng khai ít nhất hai thành phần (sum_of: [mã, mã])."
_BAD_VERSION = "Phiên bản (version) phải là số nguyên dương."
_NO_GROUPS = "Danh mục phải có ít nhất một nhóm (groups)."
_MEASURE_KEYS = ("unit", "type", "source", "ratio", "sum_of", "counts")  # what a heading row has none of
_TOP = (
    Field("version", Kind.INTEGER, minimum=1, invalid=_BAD_VERSION, out_of_range=_BAD_VERSION),
    Field("title", default=""),
    Field("groups", Kind.LIST, required=True, missing=_NO_GROUPS, invalid=_NO_GROUPS),
    Field("shipped", Kind.MAPPING),  # written by load_catalogue: the shipped file a loaded version came from
)
_COMMON = (
    Field("code", required=True, pattern=_CODE_RE, invalid=_CODE_MESSAGE, missing=_CODE_MESSAGE),
    Field("name", required=True, missing="Thiếu tên chỉ tiêu."),
    Field("stt", default=""),
    Field("heading", Kind.BOOL, default=False),
    Field("appendix", Kind.BOOL, default=True),
    Field("origin"),  # ORIGIN_PROVINCE on the rows a province added
    Field("outline", Kind.MAPPING),  # {section, text} of a row a province added (adding.py checks it)
)
_TYPE_MESSAGE = "Kiểu số liệu phải là một trong: {allowed}."
_ROLLUP_MESSAGE = "Cách cộng dồn phải là một trong: {allowed}."
_MEASURE = (
    Field("unit", required=True, missing="Thiếu đơn vị tính (unit)."),
    Field("printed_unit", default=""),
    Field("type", Kind.CHOICE, choices=ValueType, required=True, invalid=_TYPE_MESSAGE, missing=_TYPE_MESSAGE),
    Field("rollup", Kind.CHOICE, choices=Rollup, required=True, invalid=_ROLLUP_MESSAGE, missing=_ROLLUP_MESSAGE),
    Field(
        "counts",
        Kind.CHOICE,
        choices=Counts,
        default=Counts.AREA,
        invalid="Phạm vi số liệu (counts) là “own” (của riêng đơn vị và các bộ phận) hoặc “area” (cả địa bàn).",
    ),
    Field(
        "ratio",
        Kind.MAPPING,
        invalid=_RATIO_MESSAGE,
        fields=(
            Field(
                "numerator",
                Kind.LIST,
                required=True,
                item=Field("numerator"),
                invalid=_RATIO_MESSAGE,
                missing=_RATIO_MESSAGE,
            ),
            Field("denominator", required=True, invalid=_RATIO_MESSAGE, missing=_RATIO_MESSAGE),
        ),
    ),
    Field("sum_of", Kind.LIST, item=Field("sum_of"), invalid=_SUM_MESSAGE),
    Field("source", Kind.ANY),  # "entered" or {computed: function}: _source checks it
)
# A heading row names these keys only to be told it has none of them (not as unknown keys as well).
_HEADING = _COMMON + tuple(Field(f.name, Kind.ANY) for f in _MEASURE)


def _row_lines(text: str) -> list[list[int | None]]:
    """Line numbers (1-based) of each row, per group, so errors can name them."""
    data = read_yaml(text, ErrorCollector())
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        return []
    out: list[list[int | None]] = []
    for group in groups:
        rows = group.get("rows") if isinstance(group, dict) else None
        out.append([line_of(rows, i) for i in range(len(rows))] if isinstance(rows, list) else [])
    return out


def parse_catalogue(text: str, errors: ErrorCollector) -> tuple[int | None, str, list[RowSpec]]:
    """Check the whole file; return (version, title, rows as Indicator field dicts)."""
    data = read_yaml(text, errors)
    if data is None:
        return None, "", []
    if not isinstance(data, dict):
        errors.add(None, "", "", "Tệp phải là một bảng có các khóa version, groups.")
        return None, "", []
    top = check(data, _TOP, Where(errors))
    if "version" not in data:
        errors.add(None, "version", None, "Phiên bản (version) phải là số nguyên dương.")
    if top["groups"] is None:
        return top["version"], "", []
    rows: list[RowSpec] = []
    seen: dict[str, int | None] = {}
    position = 0
    for g_index, group in enumerate(top["groups"]):
        if not isinstance(group, dict) or not group.get("code") or not group.get("name"):
            line = line_of(top["groups"], g_index)
            errors.add(line, "groups", g_index + 1, f"Nhóm thứ {g_index + 1} thiếu mã (code) hoặc tên (name).")
            continue
        raw_rows = group.get("rows") or []
        for r_index, raw in enumerate(raw_rows):
            line = line_of(raw_rows, r_index)
            position += 10
            spec = _parse_row(raw, str(group["code"]), str(group["name"]), position, line, errors)
            if spec is None:
                continue
            code = spec.fields["code"]
            if code in seen:
                errors.add(line, "code", code, f"Mã chỉ tiêu trùng với dòng {seen[code]}.")
                continue
            seen[code] = line
            rows.append(spec)
    _check_references(rows, errors)
    return top["version"], top["title"], rows


def _parse_row(
    raw: Any, group_code: str, group_name: str, position: int, line: int | None, errors: ErrorCollector
) -> RowSpec | None:
    """One catalogue row (dòng chỉ tiêu) as Indicator fields; errors name the row's first line (adding.py
    finds the user's row by it)."""
    if not isinstance(raw, dict):
        errors.add(line, "", raw, "Mỗi dòng phải là một bảng (code, name, …).")
        return None
    where = Where(errors, line, field_lines=False)
    heading = bool(raw.get("heading"))
    values = check(raw, _HEADING if heading else _COMMON + _MEASURE, where)
    fields: dict[str, Any] = {
        "code": values["code"] or str(raw.get("code") or ""),
        "name": values["name"] or "",
        "group_code": group_code,
        "group_name": group_name,
        "position": position,
        "stt": values["stt"] or "",
        "unit_label": "",
        "printed_unit": None,
        "value_type": "",
        "rollup": Rollup.NONE,
        "source": Source.HEADING,
        "function": "",
        "numerator": [],
        "denominator": "",
        "sum_of": [],
        "choices": {},
        "in_appendix": bool(values["appendix"]),
        "counts": Counts.AREA,
    }
    if heading:
        extra = [k for k in _MEASURE_KEYS if k in raw]
        if extra:
            message = "Dòng tiêu đề (heading) không có đơn vị tính, kiểu hay nguồn số liệu."
            where.add(extra[0], raw[extra[0]], message)
        return RowSpec(line, fields) if values.ok and not extra else None
    good = [
        _measure(raw, values, fields, where),
        _source(raw, values, fields, where),
        _scope(raw, values, fields, where),
    ]
    return RowSpec(line, fields) if values.ok and all(good) else None


def _measure(raw: dict, values: dict, fields: dict[str, Any], where: Where) -> bool:
    """Unit, type, roll-up and the choices of a Yes/No or choice row."""
    before = where.errors.total
    unit_label, value_type, rollup = values["unit"] or "", values["type"], values["rollup"]
    if "printed_unit" in raw:  # written empty: print no unit at all (None: print the unit)
        fields["printed_unit"] = values["printed_unit"] or ""
    fields.update(unit_label=unit_label, value_type=value_type, rollup=rollup)
    if value_type in (ValueType.BOOLEAN, ValueType.ENUM):
        choices = parse_choices(unit_label)
        if len(choices) < 2:
            where.add("unit", unit_label, "Kiểu Có/Không hoặc lựa chọn cần đơn vị tính dạng “Có = 1 Không = 0”.")
        if value_type == ValueType.BOOLEAN and set(choices) != {"0", "1"}:
            where.add("unit", unit_label, "Kiểu Có/Không chỉ có hai giá trị 1 và 0.")
        fields["choices"] = choices
        if rollup in (Rollup.SUM, Rollup.RATIO):
            message = "Chỉ tiêu Có/Không hoặc lựa chọn không cộng được; dùng any, all hoặc none."
            where.add("rollup", rollup, message)
    return where.errors.total == before


def _source(raw: dict, values: dict, fields: dict[str, Any], where: Where) -> bool:
    """Where the figure comes from: a ratio of other rows, entered by hand, or a registered function."""
    before = where.errors.total
    ratio, source, value_type = values["ratio"], values["source"], values["type"]
    if "ratio" in raw:
        if source is not None:
            where.add("source", source, "Chỉ tiêu tỷ lệ tính từ các thành phần, không khai nguồn riêng.")
        if ratio is not None:
            fields["numerator"], fields["denominator"] = ratio["numerator"], ratio["denominator"]
        if value_type != ValueType.PERCENT or values["rollup"] != Rollup.RATIO:
            where.add("type", value_type, "Chỉ tiêu tỷ lệ có kiểu percent và cộng dồn ratio.")
        fields["source"] = Source.RATIO
    elif source == Source.ENTERED:  # the file writes the stored word
        fields["source"] = Source.ENTERED
    elif isinstance(source, dict) and set(source) == {"computed"} and _CODE_RE.match(str(source["computed"])):
        fields["source"] = Source.COMPUTED
        fields["function"] = str(source["computed"])
    else:
        message = "Nguồn số liệu là “entered” hoặc {computed: mã hàm}; tỷ lệ khai bằng ratio."
        where.add("source", source, message)
    if fields["source"] != Source.RATIO and (value_type == ValueType.PERCENT or values["rollup"] == Rollup.RATIO):
        where.add("type", value_type, "Tỷ lệ phần trăm không nhập tay: khai ratio với tử số và mẫu số.")
    return where.errors.total == before


def _scope(raw: dict, values: dict, fields: dict[str, Any], where: Where) -> bool:
    """What the figure counts (counts: own or area) and the parts of a total row."""
    before = where.errors.total
    counts, sum_of = values["counts"], values["sum_of"]
    if counts is not None and fields["source"] == Source.RATIO and "counts" in raw:
        message = "Tỷ lệ tính từ các thành phần; khai phạm vi (counts) ở tử số và mẫu số."
        where.add("counts", counts, message)
    fields["counts"] = counts if counts is not None else raw.get("counts")
    if sum_of is not None and len(sum_of) < 2:
        where.add("sum_of", sum_of, _SUM_MESSAGE)
    elif sum_of is not None:
        fields["sum_of"] = sum_of
    return where.errors.total == before


def _check_references(rows: list[RowSpec], errors: ErrorCollector) -> None:
    by_code = {r.fields["code"]: r.fields for r in rows}
    for row in rows:
        f = row.fields
        parts = [by_code[c]["counts"] for c in [*f["numerator"], f["denominator"]] if c in by_code]
        if len(set(parts)) > 1:
            errors.add(
                row.line,
                "ratio",
                ", ".join([*f["numerator"], f["denominator"]]),
                "Tử số và mẫu số của một tỷ lệ phải cùng phạm vi số liệu (counts: own hoặc area).",
            )
        refs = [("numerator", c) for c in f["numerator"]] + [("sum_of", c) for c in f["sum_of"]]
        if f["denominator"]:
            refs.append(("denominator", f["denominator"]))
        for field_name, ref in refs:
            target = by_code.get(ref)
            if target is None:
                errors.add(row.line, field_name, ref, "Mã chỉ tiêu thành phần không có trong danh mục.")
            elif target["value_type"] not in _NUMERIC_TYPES or target["source"] == Source.RATIO:
                errors.add(
                    row.line,
                    field_name,
                    ref,
                    "Thành phần phải là chỉ tiêu số (không phải tiêu đề, Có/Không hay tỷ lệ).",
                )
            elif ref == f["code"]:
                errors.add(row.line, field_name, ref, "Chỉ tiêu không thể là thành phần của chính nó.")
            elif field_name == "sum_of" and target["counts"] != f["counts"]:
                errors.add(
                    row.line,
                    field_name,
                    ref,
                    "Thành phần của một dòng tổng phải cùng phạm vi số liệu (counts) với dòng tổng.",
                )


def load_catalogue(path: str | Path = CATALOGUE_FILE, *, dry_run: bool = False, actor: Any = LOADER) -> ImportResult:
    """Nạp danh mục chỉ tiêu (toàn bộ hoặc không gì cả): a shipped (or administrator's) catalogue file.

    The rows a province added (``origin: province``, ``cchc indicators add``) are carried into the new
    version at their place and never retired by it: the file's ``version`` is compared with the shipped
    version the database was built from, not with the versions the province's additions made."""
    text = Path(path).read_text(encoding="utf-8")
    errors = ErrorCollector()
    version, _title, rows = parse_catalogue(text, errors)
    errors.raise_if_any()
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        latest = CatalogueVersion.objects.select_for_update().order_by("-version").first()
        base = shipped_of(latest)
        if base is not None and version < base[0]:
            errors.add(
                None,
                "version",
                version,
                f"Phiên bản {version} cũ hơn phiên bản đã nạp ({base[0]}); không nạp lại phiên bản cũ.",
            )
        elif base is not None and version == base[0]:
            if base[1] != checksum:
                errors.add(
                    None,
                    "version",
                    version,
                    f"Phiên bản {version} đã được nạp với nội dung khác; hãy tăng số phiên bản.",
                )
            else:
                result.unchanged = len(rows)
                return result
        errors.raise_if_any()
        content = json.loads(json.dumps(yaml.safe_load(text), default=str))
        if latest is not None:
            content = carry_province_rows(content, latest.content)
        content["shipped"] = {"version": version, "checksum": checksum}
        number = version if latest is None else max(version, latest.version + 1)
        return load_content(content, number, actor=actor, dry_run=dry_run, result=result)


def shipped_of(snapshot: CatalogueVersion | None) -> tuple[int, str] | None:
    """(version, checksum) of the shipped file a loaded version was built from (older snapshots: their own)."""
    if snapshot is None:
        return None
    shipped = (snapshot.content or {}).get("shipped") or {}
    return int(shipped.get("version", snapshot.version)), str(shipped.get("checksum", snapshot.checksum))


def province_rows(content: dict) -> list[tuple[dict, dict, str]]:
    """(group, row, code it follows or "") of every row a province added, in catalogue order."""
    out = []
    for group in content.get("groups") or []:
        previous = ""
        for row in group.get("rows") or []:
            if isinstance(row, dict) and row.get("origin") == ORIGIN_PROVINCE:
                out.append((group, row, previous))
            previous = str(row.get("code") or "") if isinstance(row, dict) else previous
    return out


def outline_places() -> list[dict[str, str]]:
    """Where the province's added indicators go in the report outline: {code, section, text} of every added row
    of the loaded catalogue that declares ``outline`` (the reports append ``text`` to that section of the
    reports they create)."""
    latest = CatalogueVersion.objects.order_by("-version").first()
    if latest is None:
        return []
    out = []
    for _group, row, _after in province_rows(latest.content):
        place = row.get("outline")
        if isinstance(place, dict) and place.get("section") and place.get("text"):
            out.append({"code": str(row["code"]), "section": str(place["section"]), "text": str(place["text"])})
    return out


def carry_province_rows(content: dict, previous: dict) -> dict:
    """The new catalogue content with the province's rows of the ``previous`` one at the same place: after
    the same row where the new version still has it, else at the end of their group (a group the new
    version lacks is kept with its name). A shipped row of the same code wins (the province's is dropped)."""
    groups = content.setdefault("groups", [])
    listed = {str(r.get("code")) for g in groups for r in g.get("rows") or [] if isinstance(r, dict)}
    for old_group, row, after in province_rows(previous):
        if str(row.get("code")) in listed:
            continue
        group = next((g for g in groups if str(g.get("code")) == str(old_group.get("code"))), None)
        if group is None:
            group = {"code": old_group.get("code"), "name": old_group.get("name"), "rows": []}
            groups.append(group)
        rows = group.setdefault("rows", [])
        index = next((i for i, r in enumerate(rows) if isinstance(r, dict) and r.get("code") == after), None)
        rows.insert(len(rows) if index is None else index + 1, row)
        listed.add(str(row.get("code")))
    return content


def load_content(
    content: dict, number: int, *, actor: Any, dry_run: bool = False, result: ImportResult | None = None
) -> ImportResult:
    """Check and load catalogue ``content`` (a dict) as version ``number``: add codes, update changed ones,
    retire those it no longer lists; snapshot and audit. The caller holds the transaction's lock."""
    text = yaml.safe_dump({**content, "version": number}, allow_unicode=True, sort_keys=False, width=200)
    errors = ErrorCollector()
    _version, title, rows = parse_catalogue(text, errors)
    errors.raise_if_any()
    result = result or ImportResult(dry_run=dry_run)
    with transaction.atomic():
        existing = {i.code: i for i in Indicator.objects.all()}
        listed = set()
        for row in rows:
            f = row.fields
            listed.add(f["code"])
            obj = existing.get(f["code"])
            if obj is None:
                result.created += 1
                if not dry_run:
                    Indicator.objects.create(**f, introduced_in=number)
                continue
            changed = [k for k, v in f.items() if getattr(obj, k) != v] or (["retired_in"] if obj.retired_in else [])
            if changed:
                result.updated += 1
                if not dry_run:
                    for k, v in f.items():
                        setattr(obj, k, v)
                    obj.retired_in = None
                    obj.save()
            else:
                result.unchanged += 1
        retired = [obj for code, obj in existing.items() if code not in listed and obj.retired_in is None]
        result.details["retired"] = len(retired)
        result.details["province_rows"] = len(province_rows(content))
        if dry_run:
            return result
        for obj in retired:
            obj.retired_in = number
            obj.save(update_fields=["retired_in"])
        snapshot = CatalogueVersion.objects.create(
            version=number,
            title=title,
            checksum=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            content=json.loads(json.dumps({**content, "version": number}, default=str)),
            loaded_by=str(getattr(actor, "username", actor) or ""),
        )
        audit.record(
            actor,
            "indicators.catalogue_loaded",
            snapshot,
            data={
                "version": number,
                "created": result.created,
                "updated": result.updated,
                "retired": len(retired),
                "province_rows": result.details["province_rows"],
            },
        )
    return result


_shipped: dict[str, Any] = {}


def shipped_version() -> int:
    """The version of the catalogue file shipped with the product (re-read only when it changes)."""
    mtime = CATALOGUE_FILE.stat().st_mtime
    if _shipped.get("mtime") != mtime:
        with open(CATALOGUE_FILE, encoding="utf-8") as fh:
            _shipped.update(mtime=mtime, version=int(yaml.safe_load(fh)["version"]))
    return _shipped["version"]


def ensure_catalogue() -> None:
    """Load the shipped catalogue when the database has none or an older version (on demand)."""
    base = shipped_of(CatalogueVersion.objects.order_by("-version").first())
    if base is None or base[0] < shipped_version():
        load_catalogue(CATALOGUE_FILE, actor=SystemActor("cchc (danh mục kèm theo)"))
