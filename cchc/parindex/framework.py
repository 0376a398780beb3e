"""Nạp bộ tiêu chí từ tệp YAML: validated as a whole, saved all at once or not at all.

A set that units have been assessed with is never changed in place: loading a different content under
the same code is refused, a corrected set is loaded under a new code (``xa-2023-v2``). Loading the same
content again changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from cchc.core import audit
from cchc.core.audit import Verb
from cchc.core.importing import MAX_REPORTED_ERRORS, ErrorCollector, ImportRejected, ImportResult, RowError
from cchc.core.loading import Field, Kind, Where, check, check_value, line_of, read_yaml
from cchc.org.models import Level
from cchc.parindex.models import OUTSIDE_TOTAL, Criterion, Framework, RuleType
from cchc.parindex.scoring import FIGURE_RULES

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "parindex"
DEMO_FRAMEWORK_FILE = DATA_DIR / "xa-2023-demo.yaml"

_CODE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")
_CRITERION_CODE = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$")
_RULE_KEYS = {
    RuleType.MANUAL: set(),
    RuleType.SURVEY: set(),
    RuleType.BONUS: set(),
    RuleType.YES_NO: {"indicator"},
    RuleType.THRESHOLDS: {"indicator", "steps", "else", "unit", "pro_rata"},
    RuleType.PROPORTIONAL: {"indicator", "full_at", "unit"},
    RuleType.DEDUCTION: {"indicator", "per", "unit"},
    RuleType.PENALTY: {"indicator", "per", "unit"},
}


@dataclass(frozen=True)
class CriterionError(RowError):
    """Lỗi trong tệp bộ tiêu chí, naming the criterion and the field."""

    line: str = ""  # where the criterion is in the source file ("dòng 12" of an Excel or Word annex)

    def __str__(self) -> str:
        where = f"Tiêu chí “{self.row}”" if self.row else "Bộ tiêu chí"
        if self.line:
            line = self.line[0].upper() + self.line[1:]
            where = f"{line} ({where[0].lower()}{where[1:]})" if self.row else line
        field = f", trường “{self.field}”" if self.field else ""
        value = f" (giá trị “{self.value}”)" if self.value not in ("", None) else ""
        return f"{where}{field}{value}: {self.message}"


class _Errors(ErrorCollector):
    """The set's errors: each names its criterion (the code is the row) and, when known, where the criterion
    is in the file (``lines``: ``{"1.1": "dòng 8"}``, from an annex or a YAML file)."""

    def __init__(self, lines: dict[str, str] | None = None) -> None:
        super().__init__()
        self.lines = lines or {}

    def add(self, row: Any, field_name: str, value: object, message: str) -> None:
        code = "" if row is None else str(row)
        self.total += 1
        self.bad_rows.add(code or None)
        if len(self.errors) < MAX_REPORTED_ERRORS:
            shown = "" if value is None else str(value)
            self.errors.append(CriterionError(code or None, field_name, shown, message, self.lines.get(code, "")))


_POINTS = "phải là một số điểm (ví dụ 2.5)."
_NUMBER = "phải là một số."


def _where_in(errors: _Errors, code: str) -> Where:
    """Errors about criterion ``code`` ("" for the set itself), messages in lower case after its name."""
    return Where(errors, code, capital=False)


def _points(errors: _Errors, code: str, field: str, raw: Any, *, positive: bool = True) -> Decimal | None:
    """Điểm: a positive number (or, ``positive=False``, one not below 0) with at most 2 decimals."""
    spec = Field(
        field,
        Kind.DECIMAL,
        required=True,
        positive=positive,
        minimum=None if positive else 0,
        places=2,
        invalid=_POINTS,
        missing=_POINTS,
    )
    return check_value(spec, raw, _where_in(errors, code))


def _number(errors: _Errors, code: str, field: str, raw: Any) -> Decimal | None:
    spec = Field(field, Kind.DECIMAL, required=True, invalid=_NUMBER, missing=_NUMBER)
    return check_value(spec, raw, _where_in(errors, code))


@dataclass
class ParsedCriterion:
    code: str
    name: str
    max_points: Decimal
    rule_type: str = ""
    rule: dict | None = None
    indicator: str = ""
    evidence: str = ""
    responsible: str = ""
    method: str = ""
    children: list[ParsedCriterion] | None = None

    @property
    def outside_total(self) -> bool:
        return self.rule_type in OUTSIDE_TOTAL


def _known_indicators() -> set[str]:
    from cchc.indicators.catalogue import ensure_catalogue
    from cchc.indicators.selectors import current_indicators

    ensure_catalogue()
    return {code for code, ind in current_indicators().items() if ind.source != "heading"}


def _parse_rule(errors: _Errors, code: str, max_points: Decimal | None, raw: Any, indicators: set[str]) -> tuple:
    """Quy tắc chấm of a leaf: (type, rule with its numbers normalised to text, indicator code)."""
    if not isinstance(raw, dict) or "type" not in raw:
        errors.add(code, "rule", raw, "thiếu quy tắc chấm, ví dụ {type: manual}.")
        return "", {}, ""
    rule_type = str(raw["type"])
    if rule_type not in RuleType.values:
        message = "cách chấm không hợp lệ; dùng một trong: " + ", ".join(RuleType.values)
        errors.add(code, "rule.type", rule_type, message)
        return "", {}, ""
    rule = {k: v for k, v in raw.items() if k != "type"}
    for key in sorted(set(rule) - _RULE_KEYS[RuleType(rule_type)]):
        errors.add(code, f"rule.{key}", rule[key], f"cách chấm “{rule_type}” không dùng trường này.")
    indicator = str(rule.get("indicator") or "")
    if indicator and indicator not in indicators:
        message = "chỉ tiêu không có trong danh mục chỉ tiêu (cchc/data/indicators)."
        errors.add(code, "rule.indicator", indicator, message)
    if rule_type == RuleType.THRESHOLDS:
        _thresholds(errors, code, max_points, rule)
    _rule_numbers(errors, code, rule_type, rule)
    if indicator and rule_type not in FIGURE_RULES and not (rule_type == RuleType.PENALTY and "per" in rule):
        errors.add(code, "rule.indicator", indicator, f"cách chấm “{rule_type}” không chấm theo số liệu.")
    return rule_type, rule, indicator


def _thresholds(errors: _Errors, code: str, max_points: Decimal | None, rule: dict) -> None:
    """steps: [[ngưỡng, điểm], …] highest first, each within the maximum; ``else``: the points below them."""
    steps = rule.get("steps")
    if not isinstance(steps, list) or not steps:
        errors.add(code, "rule.steps", steps, "cần danh sách mức [ngưỡng, điểm], ví dụ [[100, 2.5], [95, 1.5]].")
    else:
        clean = []
        for i, step in enumerate(steps, 1):
            if not isinstance(step, list) or len(step) != 2:
                errors.add(code, f"rule.steps[{i}]", step, "mỗi mức là [ngưỡng, điểm].")
                continue
            bound = _number(errors, code, f"rule.steps[{i}] ngưỡng", step[0])
            pts = _points(errors, code, f"rule.steps[{i}] điểm", step[1], positive=False)
            if pts is not None and max_points is not None and pts > max_points:
                errors.add(code, f"rule.steps[{i}] điểm", step[1], f"lớn hơn điểm tối đa {max_points}.")
            if bound is not None and pts is not None:
                clean.append([str(bound), str(pts)])
        bounds = [Decimal(b) for b, _ in clean]
        if len(set(bounds)) != len(bounds):
            errors.add(code, "rule.steps", steps, "hai mức trùng ngưỡng.")
        rule["steps"] = sorted(clean, key=lambda s: Decimal(s[0]), reverse=True)
    if "else" in rule:
        other = _points(errors, code, "rule.else", rule["else"], positive=False)
        rule["else"] = str(other) if other is not None else "0"


def _rule_numbers(errors: _Errors, code: str, rule_type: str, rule: dict) -> None:
    """full_at of a proportional rule, per of a deduction or penalty."""
    if rule_type == RuleType.PROPORTIONAL and "full_at" in rule:
        full = _number(errors, code, "rule.full_at", rule["full_at"])
        if full is not None and full <= 0:
            errors.add(code, "rule.full_at", rule["full_at"], "phải lớn hơn 0.")
        rule["full_at"] = str(full) if full else "100"
    if rule_type == RuleType.DEDUCTION and "per" not in rule:
        errors.add(code, "rule.per", None, "cần số điểm trừ mỗi lần, ví dụ per: 0.25.")
    if "per" in rule:
        per = _points(errors, code, "rule.per", rule["per"])
        rule["per"] = str(per) if per is not None else "0"


_CRITERION = (
    Field("code"),
    Field("name", required=True, missing="thiếu tên tiêu chí."),
    Field("max", Kind.ANY),  # checked as points below: a parent's is the sum of its children
    Field("rule", Kind.ANY),  # _parse_rule
    Field("children", Kind.ANY),
    Field("evidence", default=""),
    Field("responsible", default=""),
    Field("method", default=""),
)


def _parse_criterion(errors: _Errors, raw: Any, parent_code: str, seen: set[str], indicators: set[str]):
    if not isinstance(raw, dict):
        errors.add(parent_code, "criteria", raw, "mỗi tiêu chí phải là một mục có code, name…")
        return None
    code = str(raw.get("code", "")).strip()
    if not code:
        errors.add(parent_code or None, "code", None, "thiếu mã tiêu chí.")
        return None
    if not _CRITERION_CODE.match(code):
        errors.add(code, "code", code, "mã tiêu chí chỉ gồm chữ số và dấu chấm, ví dụ 3.4.1.")
    if parent_code and not code.startswith(parent_code + "."):
        errors.add(code, "code", code, f"mã tiêu chí con phải bắt đầu bằng mã tiêu chí cha “{parent_code}.”.")
    if code in seen:
        errors.add(code, "code", code, "mã tiêu chí bị trùng.")
    seen.add(code)
    values = check(raw, _CRITERION, _where_in(errors, code))
    name = values["name"] or ""
    children_raw = raw.get("children")
    declared_max = _points(errors, code, "max", raw["max"]) if "max" in raw else None
    item = ParsedCriterion(
        code,
        name,
        declared_max or Decimal(0),
        evidence=values["evidence"],
        responsible=values["responsible"],
        method=values["method"],
    )
    if children_raw is not None:
        if "rule" in raw:
            errors.add(code, "rule", raw["rule"], "tiêu chí có tiêu chí con không có quy tắc chấm riêng.")
        if not isinstance(children_raw, list) or not children_raw:
            errors.add(code, "children", children_raw, "danh sách tiêu chí con trống.")
            return item
        item.children = [c for c in (_parse_criterion(errors, ch, code, seen, indicators) for ch in children_raw) if c]
        total = sum((c.max_points for c in item.children if not c.outside_total), Decimal(0))
        if declared_max is not None and declared_max != total:
            parts = " + ".join(
                f"{c.code}{_where(errors, c.code)}: {_fmt(c.max_points)}" for c in item.children if not c.outside_total
            )
            errors.add(
                code, "max", raw["max"], f"điểm tối đa phải bằng tổng điểm các tiêu chí con: {parts} = {_fmt(total)}."
            )
        item.max_points = total
        if all(c.outside_total for c in item.children):
            item.rule_type = RuleType.BONUS  # a group of bonus/penalty lines sits outside the 100 as a whole
        return item
    if "max" not in raw:
        errors.add(code, "max", None, "thiếu điểm tối đa.")
    item.rule_type, item.rule, item.indicator = _parse_rule(errors, code, declared_max, raw.get("rule"), indicators)
    return item


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def _where(errors: _Errors, code: str) -> str:
    line = errors.lines.get(code)
    return f" ({line})" if line else ""


@dataclass
class ParsedFramework:
    code: str
    name: str
    level: str
    year: int
    total: Decimal
    bands: list[dict]
    criteria: list[ParsedCriterion]
    content_hash: str
    source: str = ""
    groups: dict = field(default_factory=dict)
    calendar: dict = field(default_factory=dict)
    announcement: dict = field(default_factory=dict)


_SET_CODE = "mã bộ tiêu chí gồm chữ thường, số, dấu chấm hoặc gạch ngang, ví dụ xa-2023."
_LEVEL = "cấp đơn vị được đánh giá phải là tinh, huyen hoặc xa."
_YEAR = "năm đánh giá phải là số năm, ví dụ 2023."
_NO_CRITERIA = "bộ tiêu chí chưa có lĩnh vực nào."
_SET = (
    Field("code", required=True, pattern=_CODE, invalid=_SET_CODE, missing=_SET_CODE),
    Field("name", required=True, missing="thiếu tên bộ tiêu chí."),
    Field(
        "level",
        Kind.CHOICE,
        required=True,
        choices=(Level.PROVINCE, Level.DISTRICT, Level.COMMUNE),
        invalid=_LEVEL,
        missing=_LEVEL,
    ),
    Field(
        "year",
        Kind.INTEGER,
        required=True,
        minimum=2000,
        maximum=2100,
        invalid=_YEAR,
        missing=_YEAR,
        out_of_range=_YEAR,
    ),
    Field("total", Kind.DECIMAL, default=Decimal(100), positive=True, places=2, invalid=_POINTS),
    Field("bands", Kind.LIST, default=()),
    Field("criteria", Kind.LIST, required=True, invalid=_NO_CRITERIA, missing=_NO_CRITERIA),
    Field("source", Kind.ANY),  # the rest: _set_extras
    Field("groups", Kind.ANY),
    Field("calendar", Kind.ANY),
    Field("announcement", Kind.ANY),
)


def criterion_lines(data: Any) -> dict[str, str]:
    """Where each criterion of a set read by ``read_yaml`` is (``{"1.1": "dòng 8"}``); {} for plain data."""
    lines: dict[str, str] = {}

    def visit(items: Any) -> None:
        for item in items if isinstance(items, list) else ():
            if isinstance(item, dict) and line_of(item) is not None:
                lines.setdefault(str(item.get("code", "")).strip(), f"dòng {line_of(item)}")
                visit(item.get("children"))

    visit(data.get("criteria") if isinstance(data, dict) else None)
    return lines


def parse_framework(data: Any, lines: dict[str, str] | None = None) -> ParsedFramework:
    """Validate a criteria set read from YAML (or from an annex, ``lines`` telling where each criterion
    was: ``{"1.1": "dòng 8"}``; a set read with ``read_yaml`` tells it itself); raises ImportRejected listing
    every error."""
    errors = _Errors(lines if lines is not None else criterion_lines(data))
    if not isinstance(data, dict):
        errors.add(None, "", None, "tệp không đúng cấu trúc (cần code, name, level, year, criteria).")
        errors.raise_if_any()
    top = check(data, _SET, _where_in(errors, ""))
    total = top["total"] or Decimal(100)
    bands = _bands(errors, top["bands"] or [])
    criteria: list[ParsedCriterion] = []
    if top["criteria"] is not None:
        indicators = _known_indicators()
        seen: set[str] = set()
        criteria = [c for c in (_parse_criterion(errors, r, "", seen, indicators) for r in top["criteria"]) if c]
        main_total = sum((c.max_points for c in criteria if not c.outside_total), Decimal(0))
        if main_total != total and not errors:
            message = f"tổng điểm tối đa các lĩnh vực phải bằng {_fmt(total)} (không kể điểm thưởng, điểm trừ)."
            errors.add(None, "criteria", _fmt(main_total), message)
    extra = _set_extras(errors, data)
    errors.raise_if_any()
    # The hash covers what scores (criteria, total, bands, level, year): the set's source, groups, calendar and
    # announcing decision are metadata that can be corrected on a set already used.
    scoring = {k: data.get(k) for k in ("code", "level", "year", "total", "bands", "criteria")}
    canonical = json.dumps(scoring, ensure_ascii=False, sort_keys=True, default=str)
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    return ParsedFramework(
        top["code"], top["name"], top["level"], top["year"] or 0, total, bands, criteria, digest, **extra
    )


def _bands(errors: _Errors, raw_bands: list) -> list[dict]:
    """Mức xếp loại: {name, min} with min a percentage, highest first."""
    bands: list[dict] = []
    for i, band in enumerate(raw_bands, 1):
        if not isinstance(band, dict) or not band.get("name") or "min" not in band:
            errors.add(None, f"bands[{i}]", band, "mỗi mức xếp loại là {name: Tốt, min: 90}.")
            continue
        spec = Field(
            f"bands[{i}].min",
            Kind.DECIMAL,
            required=True,
            minimum=0,
            maximum=100,
            invalid=_NUMBER,
            missing=_NUMBER,
            out_of_range="ngưỡng xếp loại tính theo %, từ 0 đến 100.",
        )
        low = check_value(spec, band["min"], _where_in(errors, ""))
        if low is not None:
            bands.append({"name": str(band["name"]), "min": str(low)})
    bands.sort(key=lambda b: Decimal(b["min"]), reverse=True)
    return bands


def _set_extras(errors: _Errors, data: dict) -> dict[str, Any]:
    """The set's source (the decision that issued it), ranking groups, remediation calendar and the
    decision announcing its results, each optional."""
    from cchc.parindex.groups import parse_groups

    source = data.get("source") or ""
    if isinstance(source, dict):
        source = "; ".join(f"{v}" for v in source.values() if v)
    calendar = data.get("calendar") or {}
    if not isinstance(calendar, dict):
        errors.add(None, "calendar", calendar, "lịch khắc phục là một mục {deadline: 30/11, ...}.")
        calendar = {}
    announcement = data.get("announcement") or {}
    if announcement and not (isinstance(announcement, dict) and announcement.get("number")):
        errors.add(None, "announcement", announcement, "quyết định công bố kết quả cần number, date, issuer.")
        announcement = {}
    groups = parse_groups(data.get("groups"), lambda f, v, m: errors.add(None, f, v, m))
    return {
        "source": str(source).strip(),
        "groups": groups,
        "calendar": calendar,
        "announcement": {k: str(v) for k, v in announcement.items()},
    }


def read_framework_file(path: Path | str, given: dict[str, Any] | None = None) -> ParsedFramework:
    """A set from its YAML file; errors name the line of each criterion. ``given`` (code, name, level, year,
    total) overrides what the file states."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ImportRejected([CriterionError(None, "", str(path), "không tìm thấy tệp.")]) from exc
    syntax = ErrorCollector()
    data = read_yaml(text, syntax)
    if syntax:
        line = syntax.errors[0].row
        where = f" ở dòng {line}" if line else ""
        raise ImportRejected([CriterionError(None, "", path.name, f"tệp YAML sai cú pháp{where}.")])
    if isinstance(data, dict):
        data.update({k: v for k, v in (given or {}).items() if v not in (None, "")})
    return parse_framework(data)


def _save_criteria(framework: Framework, items: list[ParsedCriterion]) -> int:
    position = 0

    def save(item: ParsedCriterion, parent: Criterion | None, field_code: str, depth: int) -> None:
        nonlocal position
        position += 1
        leaf = item.children is None
        criterion = Criterion.objects.create(
            framework=framework,
            parent=parent,
            code=item.code,
            name=item.name,
            field_code=field_code or item.code,
            depth=depth,
            position=position,
            max_points=item.max_points,
            is_leaf=leaf,
            rule_type=item.rule_type if leaf or item.outside_total else "",
            rule=item.rule or {},
            indicator=item.indicator,
            evidence_hint=item.evidence,
            responsible_hint=item.responsible,
            method_text=item.method,
        )
        for child in item.children or []:
            save(child, criterion, field_code or item.code, depth + 1)

    for item in items:
        save(item, None, "", 0)
    return position


def load_framework(parsed: ParsedFramework, actor: Any, source_file: str = "") -> ImportResult:
    """Save a validated set. Same code and same content: nothing changes. Same code, other content: only
    while no unit has been assessed with it."""
    result = ImportResult()
    with transaction.atomic():
        existing = Framework.objects.select_for_update().filter(code=parsed.code).first()
        if existing is not None and (existing.content_hash == parsed.content_hash or _same_criteria(existing, parsed)):
            result.unchanged = existing.criteria.count()
            if _update_metadata(existing, parsed):
                result.details = {"metadata": 1}
                audit.record(
                    actor,
                    Verb.FRAMEWORK_METADATA,
                    existing,
                    data={"code": existing.code, "groups": existing.groups, "calendar": existing.calendar},
                )
            return result
        if existing is not None:
            used = existing.assessments.count()
            if used:
                raise ImportRejected(
                    [
                        CriterionError(
                            None,
                            "code",
                            parsed.code,
                            (
                                f"bộ tiêu chí này đã có {used} đơn vị đánh giá nên không được sửa tại chỗ. "
                                "Hãy nạp nội dung mới thành một bộ tiêu chí khác (đổi mã, ví dụ thêm “-v2”)."
                            ),
                        )
                    ]
                )
            existing.criteria.all().delete()
            framework = existing
        else:
            framework = Framework(code=parsed.code)
        framework.name, framework.level, framework.year = parsed.name, parsed.level, parsed.year
        framework.total, framework.bands, framework.content_hash = parsed.total, parsed.bands, parsed.content_hash
        framework.source_file = source_file
        framework.source_note, framework.groups, framework.calendar = parsed.source, parsed.groups, parsed.calendar
        if parsed.announcement and not framework.announced_number:
            _announce(framework, parsed.announcement)
        framework.save()
        count = _save_criteria(framework, parsed.criteria)
        if existing is None:
            result.created = count
        else:
            result.updated = count
        audit.record(
            actor,
            Verb.FRAMEWORK_LOAD,
            framework,
            data={"code": framework.code, "criteria": count, "hash": parsed.content_hash, "file": source_file},
        )
    return result


def _flat(items: list[ParsedCriterion]):
    for item in items:
        yield item
        yield from _flat(item.children or [])


def _same_criteria(existing: Framework, parsed: ParsedFramework) -> bool:
    """The same criteria, points and rules (a set loaded before the hash left out the metadata)."""
    have = [
        (c.code, c.name, c.max_points, c.rule_type if c.is_leaf or c.outside_total else "", c.rule or {})
        for c in existing.criteria.order_by("position")
    ]
    new = [
        (i.code, i.name, i.max_points, i.rule_type if i.children is None or i.outside_total else "", i.rule or {})
        for i in _flat(parsed.criteria)
    ]
    same = have == new and (existing.total, existing.bands, existing.year) == (parsed.total, parsed.bands, parsed.year)
    if same and existing.content_hash != parsed.content_hash:
        existing.content_hash = parsed.content_hash
        existing.save(update_fields=["content_hash"])
    return same


def _update_metadata(framework: Framework, parsed: ParsedFramework) -> bool:
    before = (framework.name, framework.source_note, framework.groups, framework.calendar, framework.announced_number)
    framework.name, framework.source_note = parsed.name, parsed.source
    framework.groups, framework.calendar = parsed.groups, parsed.calendar
    if parsed.announcement and not framework.announced_number:
        _announce(framework, parsed.announcement)
    changed = before != (
        framework.name,
        framework.source_note,
        framework.groups,
        framework.calendar,
        framework.announced_number,
    )
    if changed:
        framework.save()
    return changed


def _announce(framework: Framework, announcement: dict) -> None:
    from cchc.core.vnformat import parse_date

    framework.announced_number = announcement.get("number", "")[:60]
    framework.announced_by = announcement.get("issuer", "")[:200]
    raw = announcement.get("date", "")
    framework.announced_on = parse_date(raw) if raw and "/" in raw else (date.fromisoformat(raw) if raw else None)


def load_framework_file(path: Path | str, actor: Any) -> tuple[Framework, ImportResult]:
    parsed = read_framework_file(path)
    result = load_framework(parsed, actor, source_file=Path(path).name)
    return Framework.objects.get(code=parsed.code), result
