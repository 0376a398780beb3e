"""Each rule type as a pure function of a figure."""

from decimal import Decimal as D

from cchc.parindex.scoring import score_from_figure

STEPS = {"steps": [["100", "2.5"], ["95", "1.5"]]}


def test_thresholds_on_time_rate_98_44_gives_1_5():
    assert score_from_figure("thresholds", STEPS, D("2.5"), D("98.44")) == D("1.50")
    assert score_from_figure("thresholds", STEPS, D("2.5"), D("100")) == D("2.50")
    assert score_from_figure("thresholds", STEPS, D("2.5"), D("94.99")) == D("0.00")
    assert score_from_figure("thresholds", {**STEPS, "else": "0.25"}, D("2.5"), D("50")) == D("0.25")


def test_missing_figure_never_scores():
    for rule_type, rule in [("thresholds", STEPS), ("yes_no", {}), ("proportional", {}), ("deduction", {"per": "1"})]:
        assert score_from_figure(rule_type, rule, D(1), None) is None
    assert score_from_figure("manual", {}, D(1), D(5)) is None
    assert score_from_figure("survey", {}, D(1), D(5)) is None


def test_yes_no_proportional_deduction_penalty():
    assert score_from_figure("yes_no", {}, D("0.75"), D(1)) == D("0.75")
    assert score_from_figure("yes_no", {}, D("0.75"), D(0)) == D("0.00")
    assert score_from_figure("proportional", {"full_at": "100"}, D("1.5"), D("85")) == D("1.28")  # 1,275 half-up
    assert score_from_figure("proportional", {"full_at": "50"}, D("1.5"), D("80")) == D("1.50")  # capped
    assert score_from_figure("deduction", {"per": "0.25"}, D("1"), D(3)) == D("0.25")
    assert score_from_figure("deduction", {"per": "0.25"}, D("1"), D(9)) == D("0.00")  # down to 0, not below
    assert score_from_figure("penalty", {"per": "0.5"}, D("2"), D(3)) == D("1.50")
    assert score_from_figure("penalty", {"per": "1"}, D("2"), D(5)) == D("2.00")  # at most the cap
