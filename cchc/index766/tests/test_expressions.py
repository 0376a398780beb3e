"""min/max added to the shared expression parser (cchc/indicators/expressions.py) for the index formulas;
the validation rules' grammar is unchanged."""

from decimal import Decimal

import pytest

from cchc.indicators.expressions import ExpressionError, parse


def test_min_max_functions_and_max_as_a_name():
    expr = parse("min(max, max * ratio / 0.8)")
    assert expr.codes == ("max", "ratio")
    assert expr.evaluate({"max": Decimal(2), "ratio": Decimal("0.4")}) == Decimal(1)
    assert expr.evaluate({"max": Decimal(2), "ratio": Decimal("0.9")}) == Decimal(2)
    assert parse("max(1, 2, 3) - min(4, 5)").evaluate({}) == Decimal(-1)


def test_payment_formula_by_hand():
    # A = 50%, B = 100%, C = 40%: 6 × 0,5 + min(2; 2,5) + 2,5 × 0,4 = 3 + 2 + 1 = 6.
    expr = parse("6 * A + min(2, 2.5 * B) + 2.5 * C")
    assert expr.evaluate({"A": Decimal("0.5"), "B": Decimal(1), "C": Decimal("0.4")}) == Decimal(6)


def test_rule_expressions_still_parse_and_errors_stay():
    assert parse("a.b + c.d / 2").evaluate({"a.b": Decimal(1), "c.d": Decimal(4)}) == Decimal(3)
    with pytest.raises(ExpressionError):
        parse("min(1, 2")
    with pytest.raises(ExpressionError):
        parse("a, b")
    with pytest.raises(ExpressionError):
        parse("foo(1)")  # only min and max are functions
