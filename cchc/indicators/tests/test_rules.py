import json
from decimal import Decimal

import pytest

from cchc.core.importing import ErrorCollector
from cchc.indicators.expressions import parse
from cchc.indicators.rules import (
    RULES_FILE,
    Importance,
    Missing,
    Operator,
    Outcome,
    Rule,
    evaluate_rule,
    load_rules,
    parse_rules,
)
from cchc.indicators.selectors import current_indicators

D = Decimal


def rule(left, op, right, missing="skip_if_any_missing", importance="high"):
    return Rule("r", parse(left), op, parse(right), importance, missing, "thông báo")


@pytest.mark.parametrize(
    ("op", "left", "right", "passed"),
    [
        ("=", 3, 3, True),
        ("=", 3, 4, False),
        ("≠", 3, 4, True),
        ("≠", 3, 3, False),
        ("<", 3, 4, True),
        ("<", 4, 4, False),
        ("≤", 4, 4, True),
        ("≤", 5, 4, False),
        (">", 5, 4, True),
        (">", 4, 4, False),
        ("≥", 4, 4, True),
        ("≥", 3, 4, False),
    ],
)
def test_every_comparison_operator(op, left, right, passed):
    result = evaluate_rule(rule("a", op, "b"), {"a": D(left), "b": D(right)})
    assert result.status == ("passed" if passed else "failed")
    assert (result.left, result.right) == (D(left), D(right))


def test_both_or_neither():
    r = rule("a + b", "both_or_neither", "c")
    assert evaluate_rule(r, {"a": D(1), "b": None, "c": D(2)}).status == "passed"
    assert evaluate_rule(r, {"a": None, "b": None, "c": None}).status == "passed"
    failed = evaluate_rule(r, {"a": D(1), "b": None, "c": None})
    assert failed.status == "failed" and failed.reason == "vế phải trống"
    assert evaluate_rule(r, {"a": None, "b": None, "c": D(0)}).reason == "vế trái trống"


def test_missing_value_strategies():
    values = {"t": D(5), "x": D(2), "y": None}
    any_missing = rule("t", "=", "x + y", "skip_if_any_missing")
    assert evaluate_rule(any_missing, values).status == "skipped"
    all_missing = rule("t", "=", "x + y", "skip_if_all_missing")
    result = evaluate_rule(all_missing, values)
    assert result.status == "failed" and result.right == 2  # y counted as 0
    assert evaluate_rule(all_missing, {"t": D(5), "x": None, "y": None}).status == "skipped"
    zero = rule("t", "=", "x + y", "treat_as_zero")
    assert evaluate_rule(zero, {"t": D(0), "x": None, "y": None}).status == "passed"
    assert evaluate_rule(zero, {"t": None, "x": D(1), "y": None}).status == "failed"


def test_division_by_zero_in_a_rule_is_an_error_not_a_failure():
    result = evaluate_rule(rule("a / b", "≤", "1"), {"a": D(1), "b": D(0)})
    assert result.status == "error" and "chia cho 0" in result.reason


def test_shipped_rules_are_valid_and_generated_from_the_catalogue(catalogue):
    indicators = current_indicators()
    errors = ErrorCollector()
    rules = parse_rules(RULES_FILE.read_text(encoding="utf-8"), indicators, errors, strict=True)
    assert not errors, [str(e) for e in errors.errors]
    codes = {r.code for r in rules}
    totals = [i for i in indicators.values() if i.sum_of]
    ratios = [i for i in indicators.values() if i.numerator]
    # every "%" row of the appendix, and the published-progress rate of the public pages
    assert len(totals) == 7 and len(ratios) == 21
    for ind in totals:
        assert f"tong.{ind.code}" in codes
    for ind in ratios:
        assert f"ty_le.{ind.code}.tu_so" in codes and f"ty_le.{ind.code}.du_thanh_phan" in codes
    assert "dossiers.commune.resolved_le_received" in codes and "plan.done_le_planned" in codes
    total_rule = next(r for r in rules if r.code == "tong.procedures.in_force")
    assert total_rule.text == "procedures.in_force = procedures.in_force_district + procedures.in_force_commune"
    assert len(load_rules(indicators)) == len(rules)


def test_bad_rule_file_names_row_and_field(catalogue):
    text = """version: 1
rules:
- code: x1
  left: plan.tasks_done
  operator: "≤"
  right: plan.tasks_plannned
  importance: high
  message: "..."
- code: x2
  left: plan.tasks_done +
  operator: "~"
  right: "1"
  importance: urgent
  missing: sometimes
  message: ""
"""
    errors = ErrorCollector()
    parse_rules(text, current_indicators(), errors, strict=True)
    messages = [str(e) for e in errors.errors]
    assert (
        "Dòng 3, cột “right” (giá trị “plan.tasks_plannned”): Mã chỉ tiêu không có trong danh mục: "
        "plan.tasks_plannned." in messages
    )
    assert any(m.startswith("Dòng 9, cột “left”") for m in messages)
    assert any(m.startswith("Dòng 9, cột “operator”") for m in messages)
    assert any(m.startswith("Dòng 9, cột “importance”") for m in messages)
    assert any(m.startswith("Dòng 9, cột “missing”") for m in messages)
    assert any(m.startswith("Dòng 9, cột “message”") for m in messages)


def test_a_rules_file_speaks_through_the_enumerations(catalogue):
    """What the file writes becomes a member whose label people read; results and their JSON keep the words."""
    text = """rules:
- code: x
  left: plan.tasks_done
  operator: "<="
  right: plan.tasks_planned
  importance: medium
  missing: treat_as_zero
  message: "m"
"""
    errors = ErrorCollector()
    rules = {r.code: r for r in parse_rules(text, current_indicators(), errors, strict=True)}
    assert not errors, [str(e) for e in errors.errors]
    x = rules["x"]
    assert (x.operator, x.importance, x.missing) == (Operator.LE, Importance.MEDIUM, Missing.TREAT_AS_ZERO)
    assert type(x.importance) is Importance and x.importance.label == "Trung bình"
    assert x.text == "plan.tasks_done ≤ plan.tasks_planned"
    total = rules["tong.procedures.in_force"]
    assert (total.importance, total.missing) == (Importance.HIGH, Missing.SKIP_IF_ALL)
    pair = next(r for code, r in rules.items() if code.endswith(".du_thanh_phan"))
    assert pair.operator is Operator.BOTH_OR_NEITHER and pair.importance is Importance.MEDIUM
    assert pair.text.endswith("cùng có hoặc cùng trống " + pair.right.text)
    result = evaluate_rule(x, {"plan.tasks_done": D(3), "plan.tasks_planned": D(2)})
    assert result.status is Outcome.FAILED and result.failed
    assert json.loads(json.dumps(result.as_dict()))["status"] == "failed"
    assert json.loads(json.dumps(result.as_dict()))["importance"] == "medium"
    assert evaluate_rule(x, {"plan.tasks_done": D(2), "plan.tasks_planned": D(2)}).status is Outcome.PASSED
