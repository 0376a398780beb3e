"""Quy tắc kiểm tra số liệu: nạp từ ``rules.yaml``, sinh thêm từ danh mục, và chạy trên số liệu.

Where a rule runs: a rule is checked at a (unit, period) only when at least one of its figures
belongs to that unit (entered there, or computed for it). Figures that are only roll-ups of the
children's entries are checked at the children, so one wrong entry in a commune is reported once, at
the commune, not again at its district and province.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from django.db import models

from cchc.core.importing import ErrorCollector
from cchc.indicators.expressions import EvaluationError, Expression, ExpressionError, parse
from cchc.indicators.models import Indicator

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "indicators" / "rules.yaml"


class Operator(models.TextChoices):
    """Phép so sánh hai vế của một quy tắc (the label is how a person reads it)."""

    EQ = "=", "="
    NE = "≠", "≠"
    LT = "<", "<"
    LE = "≤", "≤"
    GT = ">", ">"
    GE = "≥", "≥"
    BOTH_OR_NEITHER = "both_or_neither", "cùng có hoặc cùng trống"


# What a rules file may write for each operator.
OPERATORS = {
    "=": Operator.EQ,
    "==": Operator.EQ,
    "≠": Operator.NE,
    "!=": Operator.NE,
    "<": Operator.LT,
    "≤": Operator.LE,
    "<=": Operator.LE,
    ">": Operator.GT,
    "≥": Operator.GE,
    ">=": Operator.GE,
    "both_or_neither": Operator.BOTH_OR_NEITHER,
}


class Importance(models.TextChoices):
    """Mức độ của quy tắc: a failed high rule blocks a report, the others need a comment."""

    HIGH = "high", "Cao"
    MEDIUM = "medium", "Trung bình"
    LOW = "low", "Thấp"


class Missing(models.TextChoices):
    """Cách xử lý số liệu thiếu."""

    SKIP_IF_ANY = "skip_if_any_missing", "Bỏ qua nếu thiếu một số liệu"
    SKIP_IF_ALL = "skip_if_all_missing", "Bỏ qua nếu thiếu mọi số liệu"
    TREAT_AS_ZERO = "treat_as_zero", "Số liệu thiếu tính là 0"


class Outcome(StrEnum):
    """Kết quả chạy một quy tắc: đạt, không đạt, bỏ qua (thiếu số liệu), lỗi (không tính được: chia cho 0)."""

    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    ERROR = "error"


@dataclass(frozen=True)
class Rule:
    """Quy tắc kiểm tra."""

    code: str
    left: Expression
    operator: Operator
    right: Expression
    importance: Importance
    missing: Missing
    message: str
    generated: bool = False

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.left.codes + self.right.codes))

    @property
    def text(self) -> str:
        return f"{self.left.text} {Operator(self.operator).label} {self.right.text}"


@dataclass
class RuleResult:
    """Kết quả chạy một quy tắc tại một đơn vị, một kỳ."""

    rule: Rule
    status: Outcome
    left: Decimal | None = None
    right: Decimal | None = None
    reason: str = ""
    unit: Any = None
    period: Any = None
    values: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.status == Outcome.FAILED

    def as_dict(self) -> dict[str, Any]:
        def num(v: Decimal | None) -> Any:
            return None if v is None else (int(v) if v == v.to_integral_value() else float(v))

        return {
            "rule": self.rule.code,
            "status": self.status,
            "importance": self.rule.importance,
            "expression": self.rule.text,
            "message": self.rule.message,
            "left": num(self.left),
            "right": num(self.right),
            "reason": self.reason or None,
            "unit": getattr(self.unit, "code", None),
            "unit_name": getattr(self.unit, "name", None),
            "period": getattr(self.period, "code", None),
            "values": {k: num(v) for k, v in self.values.items()},
        }


# ---- loading -------------------------------------------------------------------------------------
def _rule_lines(text: str) -> list[int]:
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return []
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "rules" and isinstance(value, yaml.SequenceNode):
                return [item.start_mark.line + 1 for item in value.value]
    return []


def parse_rules(text: str, indicators: dict[str, Indicator], errors: ErrorCollector, strict: bool = True) -> list[Rule]:
    """Check a rules file against the catalogue; return its rules plus the generated ones.

    ``strict``: a code missing from the catalogue is an error (``cchc indicators check-rules``, tests);
    otherwise the rule is left out, so retiring an indicator never stops data entry."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        errors.add(None, "", "", f"Tệp YAML không đọc được: {exc}")
        return []
    known = indicators.__contains__
    lines = _rule_lines(text)
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(data.get("rules") or []):
        line = lines[index] if index < len(lines) else None
        if not isinstance(raw, dict):
            errors.add(line, "", raw, "Mỗi quy tắc là một bảng (code, left, operator, right…).")
            continue
        code = str(raw.get("code") or "")
        bad = False
        if not code or code in seen:
            errors.add(line, "code", code, "Thiếu mã quy tắc hoặc mã bị trùng.")
            bad = True
        seen.add(code)
        sides: dict[str, Expression] = {}
        unknown_codes = False
        for side in ("left", "right"):
            try:
                sides[side] = parse(str(raw.get(side, "")))
            except ExpressionError as exc:
                errors.add(line, side, raw.get(side), str(exc))
                bad = True
                continue
            unknown = [c for c in sides[side].codes if not known(c)]
            if unknown and strict:
                message = "Mã chỉ tiêu không có trong danh mục: " + ", ".join(unknown) + "."
                errors.add(line, side, raw.get(side), message)
                bad = True
            unknown_codes = unknown_codes or bool(unknown)
        operator = OPERATORS.get(str(raw.get("operator", "")).strip())
        if operator is None:
            errors.add(
                line, "operator", raw.get("operator"), "Phép so sánh phải là =, ≠, <, ≤, >, ≥ hoặc both_or_neither."
            )
            bad = True
        importance = raw.get("importance")
        if importance not in Importance.values:
            errors.add(line, "importance", importance, "Mức độ phải là high, medium hoặc low.")
            bad = True
        missing = raw.get("missing", Missing.SKIP_IF_ANY)
        if missing not in Missing.values:
            errors.add(line, "missing", missing, "Cách xử lý số liệu thiếu phải là " + ", ".join(Missing.values) + ".")
            bad = True
        message = str(raw.get("message") or "").strip()
        if not message:
            errors.add(line, "message", "", "Thiếu thông báo tiếng Việt (message).")
            bad = True
        if not bad and not unknown_codes:  # (not strict) a rule about retired indicators no longer applies
            rules.append(
                Rule(code, sides["left"], operator, sides["right"], Importance(importance), Missing(missing), message)
            )
    if strict:  # at run time an override of a retired ratio is simply unused
        _check_overrides(data.get("generate") or {}, indicators, errors)
    generated = generate_rules(indicators, data.get("generate") or {})
    return [r for r in generated if r.code not in seen] + rules


def generate_rules(indicators: dict[str, Indicator], settings: dict[str, Any]) -> list[Rule]:
    """Totals equal their parts; a ratio's numerator ≤ its denominator; both parts or neither."""
    known = indicators.__contains__
    totals = settings.get("totals", {})
    bounds = settings.get("ratio_bounds", {})
    pairs = settings.get("ratio_pairs", {})
    rules: list[Rule] = []
    for ind in indicators.values():
        if ind.sum_of:
            part_names = "; ".join(f"“{indicators[c].name.lstrip('- ').rstrip(':.')}”" for c in ind.sum_of)
            rules.append(
                Rule(
                    f"tong.{ind.code}",
                    parse(ind.code, known),
                    Operator.EQ,
                    parse(" + ".join(ind.sum_of), known),
                    Importance(totals.get("importance", Importance.HIGH)),
                    Missing(totals.get("missing", Missing.SKIP_IF_ALL)),
                    f"“{ind.name.rstrip(':.')}” phải bằng tổng các thành phần: {part_names}.",
                    generated=True,
                )
            )
        if ind.numerator and ind.denominator:
            numerator = parse(" + ".join(ind.numerator), known)
            denominator = parse(ind.denominator, known)
            # A ratio whose parts need not be a share of its denominator (the received-based on-time rate:
            # dossiers resolved in the period may have been received before it) gets its own importance.
            bound = {**bounds, **((bounds.get("overrides") or {}).get(ind.code) or {})}
            name = ind.name.lstrip("- ").rstrip(".")
            rules.append(
                Rule(
                    f"ty_le.{ind.code}.tu_so",
                    numerator,
                    Operator.LE,
                    denominator,
                    Importance(bound.get("importance", Importance.HIGH)),
                    Missing(bound.get("missing", Missing.SKIP_IF_ANY)),
                    f"Tử số của “{name}” lớn hơn mẫu số: tỷ lệ vượt 100%." + _with_reason(bound.get("reason")),
                    generated=True,
                )
            )
            rules.append(
                Rule(
                    f"ty_le.{ind.code}.du_thanh_phan",
                    numerator,
                    Operator.BOTH_OR_NEITHER,
                    denominator,
                    Importance(pairs.get("importance", Importance.MEDIUM)),
                    Missing.TREAT_AS_ZERO,
                    f"Cần đủ cả tử số và mẫu số để tính “{ind.name.lstrip('- ').rstrip('.')}”.",
                    generated=True,
                )
            )
    return rules


def _with_reason(reason: Any) -> str:
    return f" {str(reason).strip()}" if reason else ""


def _check_overrides(settings: dict[str, Any], indicators: dict[str, Indicator], errors: ErrorCollector) -> None:
    """``generate.ratio_bounds.overrides``: {ratio code: {importance, missing, reason}} — known ratios only."""
    overrides = (settings.get("ratio_bounds") or {}).get("overrides") or {}
    if not isinstance(overrides, dict):
        errors.add(None, "generate.ratio_bounds.overrides", overrides, "Phải là bảng {mã tỷ lệ: {importance…}}.")
        return
    for code, override in overrides.items():
        ind = indicators.get(code)
        if ind is None or not ind.numerator:
            errors.add(None, "generate.ratio_bounds.overrides", code, "Không phải mã một tỷ lệ trong danh mục.")
        elif not isinstance(override, dict) or override.get("importance", Importance.HIGH) not in Importance.values:
            errors.add(None, "generate.ratio_bounds.overrides", code, "Mức độ phải là high, medium hoặc low.")


_loaded: dict[str, Any] = {}


def load_rules(indicators: dict[str, Indicator], path: Path = RULES_FILE) -> list[Rule]:
    """The rules in force (cached until the file or the catalogue changes); a broken file raises
    ImportRejected naming the row and field."""
    key = (str(path), path.stat().st_mtime, tuple(sorted((c, i.pk) for c, i in indicators.items())))
    if _loaded.get("key") != key:
        errors = ErrorCollector()
        rules = parse_rules(path.read_text(encoding="utf-8"), indicators, errors, strict=False)
        errors.raise_if_any()
        _loaded.update(key=key, rules=rules)
    return _loaded["rules"]


# ---- running ---------------------------------------------------------------------------------------
def _compare(operator: Operator, left: Decimal, right: Decimal) -> bool:
    return {
        Operator.EQ: left == right,
        Operator.NE: left != right,
        Operator.LT: left < right,
        Operator.LE: left <= right,
        Operator.GT: left > right,
        Operator.GE: left >= right,
    }[operator]


def evaluate_rule(rule: Rule, values: dict[str, Decimal | None]) -> RuleResult:
    """Run ``rule`` on ``values`` (code → value or None when missing)."""
    used = {c: values.get(c) for c in rule.codes}
    if rule.operator == Operator.BOTH_OR_NEITHER:
        left_has = any(used[c] is not None for c in rule.left.codes)
        right_has = any(used[c] is not None for c in rule.right.codes)
        if left_has == right_has:
            return RuleResult(rule, Outcome.PASSED, values=used)
        return RuleResult(rule, Outcome.FAILED, reason="vế phải trống" if left_has else "vế trái trống", values=used)
    sides = []
    for expr in (rule.left, rule.right):
        present = [used[c] is not None for c in expr.codes]
        if expr.codes and rule.missing == Missing.SKIP_IF_ANY and not all(present):
            return RuleResult(rule, Outcome.SKIPPED, reason="thiếu số liệu", values=used)
        if expr.codes and rule.missing == Missing.SKIP_IF_ALL and not any(present):
            return RuleResult(rule, Outcome.SKIPPED, reason="thiếu số liệu", values=used)
        try:
            sides.append(expr.evaluate(used, missing_as_zero=True))
        except EvaluationError as exc:
            return RuleResult(rule, Outcome.ERROR, reason=str(exc), values=used)
    left, right = sides
    status = Outcome.PASSED if _compare(rule.operator, left, right) else Outcome.FAILED
    return RuleResult(rule, status, left, right, values=used)
