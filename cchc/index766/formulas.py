"""Công thức Bộ chỉ số QĐ 766 dưới dạng dữ liệu: read, check and load ``cchc/data/index766/qd766-*.yaml``.

A file is checked as a whole (every error reported in Vietnamese, naming the component and the field) and
loaded all or nothing. Loading the same version with the same content changes nothing; the same version
with other content is refused (give it a new version code). Reading never loads: the shipped files are
loaded at ``migrate`` (apps.py) and by ``cchc index766 load-formulas``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from cchc.core.importing import ErrorCollector, ImportRejected
from cchc.core.loading import Field, Kind, Where, line_of, read_yaml
from cchc.core.loading import check as check_fields
from cchc.index766 import measures
from cchc.index766.models import FormulaVersion
from cchc.indicators.expressions import Expression, ExpressionError, parse

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "index766"
RESERVED = {"ratio", "max"}  # the names every score may use besides its own extra ratios
NO_DATA_RULES = {"none", "spread"}
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_RATIO_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class ComponentSpec:
    code: str
    name: str
    group: str
    max: float
    numerator: str
    denominator: str
    ratios: dict[str, tuple[str, str]]
    score: Expression
    when_no_data: str
    note: str


@dataclass(frozen=True)
class GroupSpec:
    code: str
    name: str
    max: float


@dataclass(frozen=True)
class Formula:
    """Một phiên bản công thức đã kiểm tra, sẵn để tính."""

    version: str
    valid_from: dt.date
    valid_to: dt.date | None
    source: str
    groups: tuple[GroupSpec, ...]
    components: tuple[ComponentSpec, ...]

    def measure_names(self) -> set[str]:
        names: set[str] = set()
        for c in self.components:
            names |= {c.numerator, c.denominator, *(m for pair in c.ratios.values() for m in pair)}
        return names


_TOP = (
    Field("version", required=True, missing="Thiếu phiên bản (version)."),
    Field("name", default=""),
    Field("valid_from", Kind.DATE, required=True),
    Field("valid_to", Kind.DATE),
    Field("source", required=True, missing="Thiếu nguồn, căn cứ (source)."),
    Field("groups", Kind.LIST, default=()),
    Field("components", Kind.LIST, default=()),
)
_POSITIVE = "điểm tối đa phải là số dương."
_GROUP = (
    Field("code", default=""),
    Field("name", default=""),
    Field(
        "max", Kind.DECIMAL, required=True, positive=True, invalid=_POSITIVE, missing=_POSITIVE, out_of_range=_POSITIVE
    ),
)
_COMPONENT = (
    Field(
        "code",
        required=True,
        pattern=_CODE_RE,
        invalid="mã viết thường, không dấu.",
        missing="mã viết thường, không dấu.",
    ),
    Field("name", required=True, missing="thiếu tên (name)."),
    Field("group", default=""),
    Field(
        "max", Kind.DECIMAL, required=True, positive=True, invalid=_POSITIVE, missing=_POSITIVE, out_of_range=_POSITIVE
    ),
    Field("numerator", default=""),
    Field("denominator", default=""),
    Field("ratios", Kind.MAPPING, default={}),
    Field("score", default=""),
    Field(
        "when_no_data", Kind.CHOICE, choices=NO_DATA_RULES, default="none", invalid="when_no_data là none hoặc spread."
    ),
    Field("note", default=""),
)


def _check_component(
    raw: Any, index: int, groups: dict[str, GroupSpec], errors: ErrorCollector, row: int | None = None
) -> ComponentSpec | None:
    """Một thành phần: its declared fields, its group, its measures and its score expression."""
    if not isinstance(raw, dict):
        errors.add(row, "components", index + 1, f"Thành phần thứ {index + 1} phải là một bảng.")
        return None
    code = str(raw.get("code") or "")
    where = Where(errors, row, prefix=f"Thành phần “{code or index + 1}”, ")
    before = errors.total
    values = check_fields(raw, _COMPONENT, where)
    if values["group"] not in groups:
        where.add(
            "group",
            values["group"],
            f"nhóm (group) “{values['group']}” không có trong danh sách nhóm.",
            where.at(raw, "group"),
        )
    for name in ("numerator", "denominator"):
        if not measures.is_known(values[name] or ""):
            where.add(name, values[name], f"trường {name}: không có số đo “{values[name]}”.", where.at(raw, name))
    ratios = _ratios(values["ratios"] or {}, where, where.at(raw, "ratios"))
    try:
        score = parse(values["score"] or "", RESERVED | set(ratios))
    except ExpressionError as exc:
        score = None
        where.add("score", raw.get("score"), f"công thức điểm (score): {exc}", where.at(raw, "score"))
    if errors.total > before:
        return None
    return ComponentSpec(
        values["code"],
        values["name"],
        values["group"],
        float(values["max"]),
        values["numerator"],
        values["denominator"],
        ratios,
        score,
        values["when_no_data"],
        values["note"],
    )


def _ratios(raw: dict, where: Where, row: int | str | None) -> dict[str, tuple[str, str]]:
    """The extra ratios a score names: {name: [numerator, denominator]}, each a known measure."""
    ratios: dict[str, tuple[str, str]] = {}
    for name, pair in raw.items():
        if not _RATIO_NAME_RE.match(str(name)) or name in RESERVED:
            where.add("ratios", name, f"tên tỷ lệ “{name}” không hợp lệ.", row)
        elif not isinstance(pair, list) or len(pair) != 2:
            where.add("ratios", name, f"tỷ lệ “{name}” phải là [tử số, mẫu số].", row)
        else:
            for measure in pair:
                if not measures.is_known(str(measure)):
                    where.add("ratios", measure, f"tỷ lệ “{name}”: không có số đo “{measure}”.", row)
            ratios[str(name)] = (str(pair[0]), str(pair[1]))
    return ratios


def _check_groups(raw_groups: list, errors: ErrorCollector) -> dict[str, GroupSpec]:
    groups: dict[str, GroupSpec] = {}
    for index, raw in enumerate(raw_groups):
        row = line_of(raw_groups, index)
        code = str(raw.get("code") or "") if isinstance(raw, dict) else ""
        values = check_fields(raw, _GROUP, Where(errors, row, prefix=f"Nhóm “{code}”, "))
        if not _CODE_RE.match(code) or code in groups:
            errors.add(row, "groups", code, f"Nhóm “{code}”: mã trống, sai dạng hoặc trùng.")
        elif values["max"] is not None:
            groups[code] = GroupSpec(code, values["name"] or code, float(values["max"]))
    if not groups:
        errors.add(None, "groups", "", "Phải có ít nhất một nhóm (groups).")
    return groups


def check(data: Any, errors: ErrorCollector) -> Formula | None:
    """The formula of a parsed file, or None with every problem in ``errors``."""
    if not isinstance(data, dict):
        errors.add(None, "", "", "Tệp phải là một bảng có các khóa version, valid_from, source, groups, components.")
        return None
    top = check_fields(data, _TOP, Where(errors))
    valid_from, valid_to = top["valid_from"], top["valid_to"]
    if valid_from and valid_to and valid_to < valid_from:
        errors.add(line_of(data, "valid_to"), "valid_to", valid_to, "Ngày hết áp dụng trước ngày bắt đầu áp dụng.")
    groups = _check_groups(top["groups"] or [], errors)
    raw_components = top["components"] or []
    components = [
        _check_component(raw, i, groups, errors, line_of(raw_components, i)) for i, raw in enumerate(raw_components)
    ]
    found = [c for c in components if c is not None]
    codes = [c.code for c in found]
    for code in {c for c in codes if codes.count(c) > 1}:
        errors.add(None, "code", code, f"Thành phần “{code}” bị trùng mã.")
    for group in groups.values():
        total = sum(c.max for c in found if c.group == group.code)
        if found and len(found) == len(components) and abs(total - group.max) > 1e-9:
            errors.add(
                None, "max", total, f"Nhóm “{group.code}”: tổng điểm các thành phần khác điểm nhóm {group.max:g}."
            )
    if errors or valid_from is None:
        return None
    return Formula(top["version"], valid_from, valid_to, top["source"], tuple(groups.values()), tuple(found))


def read_text(text: str) -> tuple[dict, Formula]:
    """Parse and check a file's text; raises ImportRejected with every error (each at its line)."""
    errors = ErrorCollector()
    data = read_yaml(text, errors)
    errors.raise_if_any()
    formula = check(data, errors)
    errors.raise_if_any()
    assert formula is not None
    return data, formula


def _jsonable(data: Any) -> Any:
    return json.loads(json.dumps(data, default=str, ensure_ascii=False))


@dataclass(frozen=True)
class LoadOutcome:
    version: str
    created: bool
    dry_run: bool

    def summary(self) -> str:
        if self.dry_run:
            return f"Kiểm tra thử (không lưu): phiên bản {self.version} hợp lệ."
        return f"Đã nạp phiên bản {self.version}." if self.created else f"Phiên bản {self.version} đã có, không đổi."


@transaction.atomic
def load_text(text: str, *, file_name: str = "", actor: Any = None, dry_run: bool = False) -> LoadOutcome:
    """Nạp một phiên bản công thức. Same version, same content: nothing changes; other content: refused."""
    data, formula = read_text(text)
    spec = _jsonable(data)
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    existing = FormulaVersion.objects.filter(code=formula.version).first()
    if existing is not None:
        if existing.digest != digest:
            raise ImportRejected(
                [_error("version", formula.version, "Phiên bản này đã nạp với nội dung khác; hãy đặt phiên bản mới.")]
            )
        return LoadOutcome(formula.version, False, dry_run)
    if not dry_run:
        user = actor if getattr(actor, "pk", None) else None
        FormulaVersion.objects.create(
            code=formula.version,
            name=str(data.get("name") or "")[:300],
            valid_from=formula.valid_from,
            valid_to=formula.valid_to,
            source=formula.source,
            spec=spec,
            file_name=file_name[:255],
            digest=digest,
            loaded_by=user,
            loaded_by_label=(actor.get_username() if user else str(actor or ""))[:150],
        )
    return LoadOutcome(formula.version, True, dry_run)


def _error(field: str, value: str, message: str):
    from cchc.core.importing import RowError

    return RowError(None, field, value, message)


def shipped_files() -> list[Path]:
    return sorted(DATA_DIR.glob("qd766-*.yaml"))


def ensure_shipped() -> None:
    """Load every shipped file whose version is not in the database yet (post_migrate)."""
    have = set(FormulaVersion.objects.values_list("code", flat=True))
    for path in shipped_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if str((data or {}).get("version")) not in have:
            load_text(path.read_text(encoding="utf-8"), file_name=path.name, actor="cchc (công thức kèm theo)")


_PARSED: dict[tuple[int, str], Formula] = {}


def formula_of(version: FormulaVersion) -> Formula:
    """The checked formula of a stored version (parsed once per process and content)."""
    key = (version.pk, version.digest)
    if key not in _PARSED:
        errors = ErrorCollector()
        formula = check(version.spec, errors)
        if formula is None:
            raise ImportRejected(errors.errors, errors.total)
        _PARSED[key] = formula
    return _PARSED[key]


def version_for(day: dt.date) -> FormulaVersion | None:
    """Phiên bản áp dụng cho kỳ kết thúc ngày ``day``: valid on that day, the latest start first."""
    from django.db.models import Q

    return (
        FormulaVersion.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from", "-loaded_at")
        .first()
    )
