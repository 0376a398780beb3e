from decimal import Decimal

import pytest

from cchc.core.importing import ErrorCollector
from cchc.indicators.expressions import parse
from cchc.indicators.rules import RULES_FILE, Rule, evaluate_rule, load_rules, parse_rules
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
