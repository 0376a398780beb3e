import re
from decimal import Decimal

import pytest

from cchc.indicators.expressions import EvaluationError, ExpressionError, parse, tokenize

VALUES = {"a": Decimal(10), "b": Decimal(4), "c.d": Decimal(2), "z": Decimal(0), "m": None}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("a - b - c.d", 4),  # left-associative
        ("a / b / c.d", Decimal("1.25")),
        ("-a + b", -6),
        ("- (a + b) * 2", -28),
        ("a * 0.5", 5),
        ("2 * -b", -8),
        ("a - b * c.d + 1", 3),
    ],
)
def test_precedence_and_associativity(text, expected):
    assert parse(text).evaluate(VALUES) == Decimal(expected)


def test_division_by_zero_is_a_clear_error():
    with pytest.raises(EvaluationError, match="chia cho 0"):
        parse("a / z").evaluate(VALUES)
    with pytest.raises(EvaluationError):
        parse("a / (b - 4)").evaluate(VALUES)


def test_unknown_code_is_named():
    with pytest.raises(ExpressionError, match=r"không có trong danh mục: dossiers\.recieved"):
        parse("dossiers.received + dossiers.recieved", {"dossiers.received"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "trống"),
        ("1 +", "kết thúc giữa chừng"),
        ("(1 + 2", "Thiếu dấu “)”"),
        ("1 2", "Thừa “2”"),
        ("a ^ 2", "Ký tự không hợp lệ “^” ở vị trí 3"),
        ("__import__('os')", "Ký tự không hợp lệ “_” ở vị trí 1"),
        ("a. + 1", "không được kết thúc bằng dấu chấm"),
        ("* 3", "Không mong đợi “*”"),
    ],
)
def test_syntax_errors_are_explained(text, message):
    with pytest.raises(ExpressionError, match=re.escape(message)):
        parse(text)


def test_missing_values():
    expr = parse("a + m")
    assert expr.evaluate(VALUES, missing_as_zero=True) == 10
    assert expr.evaluate(VALUES, missing_as_zero=False) is None
    assert expr.codes == ("a", "m")


def test_tokens_carry_positions():
    tokens = tokenize("plan.tasks_done + 3")[:1]
    assert tokens[0].kind == "CODE" and tokens[0].text == "plan.tasks_done" and tokens[0].pos == 0
