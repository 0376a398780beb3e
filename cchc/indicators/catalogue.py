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


def _row_lines(text: str) -> list[list[int | None]]:
    """Line numbers (1-based) of each row, per group, so errors can name them."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return []
    lines: list[list[int | None]] = []
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        if key.value == "groups" and isinstance(value, yaml.SequenceNode):
            for group in value.value:
                group_lines: list[int | None] = []
                if isinstance(group, yaml.MappingNode):
                    for gk, gv in group.value:
                        if gk.value == "rows" and isinstance(gv, yaml.SequenceNode):
                            group_lines = [item.start_mark.line + 1 for item in gv.value]
                lines.append(group_lines)
    return lines


def parse_catalogue(text: str, errors: ErrorCollector) -> tuple[int | None, str, list[RowSpec]]:
    """Check the whole file; return (version, title, rows as Indicator field dicts)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        errors.add(mark.line + 1 if mark else None, "", "", f"Tệp YAML không đọc được: {exc}")
        return None, "", []
    if not isinstance(data, dict):
        errors.add(None, "", "", "Tệp phải là một bảng có các khóa version, groups.")
        return None, "", []
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        errors.add(None, "version", version, "Phiên bản (version) phải là số nguyên dương.")
    groups = data.get("groups")
    if not isinstance(groups, list) or not groups:
        errors.add(None, "groups", "", "Danh mục phải có ít nhất một nhóm (groups).")
        return version, "", []
    lines = _row_lines(text)
    rows: list[RowSpec] = []
    seen: dict[str, int | None] = {}
    position = 0
    for g_index, group in enumerate(groups):
        if not isinstance(group, dict) or not group.get("code") or not group.get("name"):
            errors.add(None, "groups", g_index + 1, f"Nhóm thứ {g_index + 1} thiếu mã (code) hoặc tên (name).")
            continue
        group_lines = lines[g_index] if g_index < len(lines) else []
        for r_index, raw in enumerate(group.get("rows") or []):
            line = group_lines[r_index] if r_index < len(group_lines) else None
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
    return version, str(data.get("title", "")), rows


def _parse_row(
    raw: Any, group_code: str, group_name: str, position: int, line: int | None, errors: ErrorCollector
) -> RowSpec | None:
    if not isinstance(raw, dict):
        errors.add(line, "", raw, "Mỗi dòng phải là một bảng (code, name, …).")
        return None
    code = str(raw.get("code") or "").strip()
    name = str(raw.get("name") or "").strip()
    bad = False
    if not _CODE_RE.match(code):
        errors.add(
            line, "code", code, "Mã chỉ tiêu chỉ gồm chữ thường không dấu, số, “_” và “.” (ví dụ dossiers.received)."
        )
        bad = True
    if not name:
        errors.add(line, "name", "", "Thiếu tên chỉ tiêu.")
        bad = True
    fields: dict[str, Any] = {
        "code": code,
        "name": name,
        "group_code": group_code,
        "group_name": group_name,
        "position": position,
        "stt": str(raw.get("stt") or ""),
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
        "in_appendix": bool(raw.get("appendix", True)),
        "counts": Counts.AREA,
    }
    if raw.get("heading"):
        extra = [k for k in ("unit", "type", "source", "ratio", "sum_of", "counts") if k in raw]
        if extra:
            errors.add(
                line, extra[0], raw[extra[0]], "Dòng tiêu đề (heading) không có đơn vị tính, kiểu hay nguồn số liệu."
            )
            bad = True
        return None if bad else RowSpec(line, fields)

    unit_label = str(raw.get("unit") or "").strip()
    if not unit_label:
        errors.add(line, "unit", "", "Thiếu đơn vị tính (unit).")
        bad = True
    fields["unit_label"] = unit_label
    if "printed_unit" in raw:
        fields["printed_unit"] = str(raw["printed_unit"] or "")
    value_type = raw.get("type")
    if value_type not in ValueType.values:
        errors.add(line, "type", value_type, "Kiểu số liệu phải là một trong: " + ", ".join(ValueType.values) + ".")
        bad = True
    fields["value_type"] = value_type
    rollup = raw.get("rollup")
    if rollup not in Rollup.values:
        errors.add(line, "rollup", rollup, "Cách cộng dồn phải là một trong: " + ", ".join(Rollup.values) + ".")
        bad = True
    fields["rollup"] = rollup
    if value_type in (ValueType.BOOLEAN, ValueType.ENUM):
        choices = parse_choices(unit_label)
        if len(choices) < 2:
            errors.add(line, "unit", unit_label, "Kiểu Có/Không hoặc lựa chọn cần đơn vị tính dạng “Có = 1 Không = 0”.")
            bad = True
        if value_type == ValueType.BOOLEAN and set(choices) != {"0", "1"}:
            errors.add(line, "unit", unit_label, "Kiểu Có/Không chỉ có hai giá trị 1 và 0.")
            bad = True
        fields["choices"] = choices
        if rollup in (Rollup.SUM, Rollup.RATIO):
            errors.add(
                line, "rollup", rollup, "Chỉ tiêu Có/Không hoặc lựa chọn không cộng được; dùng any, all hoặc none."
            )
            bad = True

    ratio = raw.get("ratio")
    source = raw.get("source")
    if ratio is not None:
        if source is not None:
            errors.add(line, "source", source, "Chỉ tiêu tỷ lệ tính từ các thành phần, không khai nguồn riêng.")
            bad = True
        if (
            not isinstance(ratio, dict)
            or not isinstance(ratio.get("numerator"), list)
            or not ratio.get("numerator")
            or not isinstance(ratio.get("denominator"), str)
        ):
            errors.add(line, "ratio", ratio, "Tỷ lệ khai dạng {numerator: [mã, …], denominator: mã}.")
            bad = True
        else:
            fields["numerator"] = [str(c) for c in ratio["numerator"]]
            fields["denominator"] = ratio["denominator"]
        if value_type != ValueType.PERCENT or rollup != Rollup.RATIO:
            errors.add(line, "type", value_type, "Chỉ tiêu tỷ lệ có kiểu percent và cộng dồn ratio.")
            bad = True
        fields["source"] = Source.RATIO
    elif source == "entered":
        fields["source"] = Source.ENTERED
    elif isinstance(source, dict) and set(source) == {"computed"} and _CODE_RE.match(str(source["computed"])):
        fields["source"] = Source.COMPUTED
        fields["function"] = str(source["computed"])
    else:
        errors.add(line, "source", source, "Nguồn số liệu là “entered” hoặc {computed: mã hàm}; tỷ lệ khai bằng ratio.")
        bad = True
    if fields["source"] != Source.RATIO and (value_type == ValueType.PERCENT or rollup == Rollup.RATIO):
        errors.add(line, "type", value_type, "Tỷ lệ phần trăm không nhập tay: khai ratio với tử số và mẫu số.")
        bad = True
    counts = raw.get("counts", Counts.AREA)
    if counts not in Counts.values:
        errors.add(
            line,
            "counts",
            counts,
            "Phạm vi số liệu (counts) là “own” (của riêng đơn vị và các bộ phận) hoặc “area” (cả địa bàn).",
        )
        bad = True
    elif fields["source"] == Source.RATIO and "counts" in raw:
        errors.add(line, "counts", counts, "Tỷ lệ tính từ các thành phần; khai phạm vi (counts) ở tử số và mẫu số.")
        bad = True
    fields["counts"] = counts
    sum_of = raw.get("sum_of")
    if sum_of is not None:
        if not isinstance(sum_of, list) or len(sum_of) < 2:
            errors.add(line, "sum_of", sum_of, "Dòng tổng khai ít nhất hai thành phần (sum_of: [mã, mã]).")
            bad = True
        else:
            fields["sum_of"] = [str(c) for c in sum_of]
    return None if bad else RowSpec(line, fields)


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
