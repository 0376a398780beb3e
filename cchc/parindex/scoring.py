"""Cách chấm điểm: the rules of a criteria set as pure functions of a figure.

A rule turns one figure (from the indicator store for the set's year, or declared by the unit) into
points. Points are ``Decimal`` with two places, half-up, so 0,25 + 2,5 adds up exactly.

Rule shapes (YAML):
- ``{type: manual}`` — the unit scores, the reviewer appraises;
- ``{type: yes_no, indicator?: code}`` — a figure other than 0 earns the maximum, 0 earns nothing;
- ``{type: thresholds, indicator?: code, steps: [[100, 2.5], [95, 1.5]], else?: 0}`` — the first step whose
  lower bound the figure reaches;
- ``{type: proportional, indicator?: code, full_at?: 100}`` — figure ÷ full_at × maximum, at most the maximum;
- ``{type: deduction, indicator?: code, per: 0.25}`` — maximum − per × occurrences, down to 0;
- ``{type: survey}`` — điểm điều tra xã hội học, entered or imported;
- ``{type: bonus}`` — điểm thưởng, outside the 100 (``max`` is the cap);
- ``{type: penalty, indicator?: code, per?: 0.5}`` — điểm trừ outside the 100: per × occurrences up to the cap,
  or entered directly when ``per`` is absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from cchc.core.vnformat import format_number, format_percent
from cchc.parindex.models import RuleType

CENT = Decimal("0.01")
ZERO = Decimal(0)

# Rule types that a figure can score (with an indicator, or with the figure the unit declares).
FIGURE_RULES = frozenset({RuleType.YES_NO, RuleType.THRESHOLDS, RuleType.PROPORTIONAL, RuleType.DEDUCTION})


def q(value: Decimal | int | str) -> Decimal:
    """Points to two decimals, half-up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def takes_figure(rule_type: str, rule: dict) -> bool:
    """Whether the criterion is scored from a figure (and so shows a 'số liệu' field)."""
    return rule_type in FIGURE_RULES or (rule_type == RuleType.PENALTY and "per" in rule)


def score_from_figure(rule_type: str, rule: dict, max_points: Decimal, value: Decimal | None) -> Decimal | None:
    """The points a figure earns under a rule; None when the rule does not score figures or the figure is
    missing (a missing figure never scores silently: the criterion then needs a score by hand)."""
    if value is None or not takes_figure(rule_type, rule):
        return None
    value = Decimal(value)
    if rule_type == RuleType.YES_NO:
        return q(max_points if value != 0 else ZERO)
    if rule_type == RuleType.THRESHOLDS:
        for bound, points in sorted(((Decimal(str(b)), Decimal(str(p))) for b, p in rule["steps"]), reverse=True):
            if value >= bound:
                return q(points)
        return q(Decimal(str(rule.get("else", 0))))
    if rule_type == RuleType.PROPORTIONAL:
        full_at = Decimal(str(rule.get("full_at", 100)))
        return q(min(max(value, ZERO) / full_at, Decimal(1)) * max_points)
    if rule_type == RuleType.DEDUCTION:
        return q(max(max_points - Decimal(str(rule["per"])) * value, ZERO))
    # penalty with a per-occurrence amount
    return q(min(Decimal(str(rule["per"])) * value, max_points))


def describe_rule(rule_type: str, rule: dict, max_points: Decimal) -> str:
    """The rule in plain words, for the screens and the documents."""
    unit = rule.get("unit", "%" if rule_type in (RuleType.THRESHOLDS, RuleType.PROPORTIONAL) else "")

    def fig(v) -> str:
        if unit == "%":
            return format_percent(Decimal(str(v)), 2).replace(",00%", "%")
        return f"{format_number(Decimal(str(v)))} {unit}".strip()

    if rule_type == RuleType.YES_NO:
        return f"Có: {format_number(max_points)} điểm; không: 0 điểm"
    if rule_type == RuleType.THRESHOLDS:
        steps = "; ".join(f"từ {fig(b)}: {format_number(Decimal(str(p)))} điểm" for b, p in rule["steps"])
        return f"{steps}; thấp hơn: {format_number(Decimal(str(rule.get('else', 0))))} điểm"
    if rule_type == RuleType.PROPORTIONAL:
        return f"Điểm = số liệu ÷ {fig(rule.get('full_at', 100))} × {format_number(max_points)}"
    if rule_type == RuleType.DEDUCTION:
        return f"Trừ {format_number(Decimal(str(rule['per'])))} điểm mỗi lần, đến hết {format_number(max_points)} điểm"
    if rule_type == RuleType.SURVEY:
        return f"Điểm điều tra xã hội học, tối đa {format_number(max_points)} điểm"
    if rule_type == RuleType.BONUS:
        return f"Điểm thưởng ngoài 100 điểm, tối đa {format_number(max_points)} điểm"
    if rule_type == RuleType.PENALTY:
        if "per" in rule:
            return (
                f"Điểm trừ ngoài 100 điểm: {format_number(Decimal(str(rule['per'])))} điểm mỗi lần, "
                f"tối đa {format_number(max_points)} điểm"
            )
        return f"Điểm trừ ngoài 100 điểm, tối đa {format_number(max_points)} điểm"
    return f"Chấm trực tiếp, tối đa {format_number(max_points)} điểm"


def figure_text(rule: dict, value: Decimal | None, rule_type: str = "") -> str:
    if value is None:
        return "chưa có số liệu"
    unit = rule.get("unit", "%" if rule_type in (RuleType.THRESHOLDS, RuleType.PROPORTIONAL) else "")
    if unit == "%":
        return format_percent(value)
    if rule_type == RuleType.YES_NO:
        return "Có" if value != 0 else "Không"
    text = format_number(value)
    return f"{text} {unit}".strip()


class FigureSource(StrEnum):
    """Where a criterion's figure comes from: the indicator store, the unit's declaration, or nowhere (a rule
    that takes no figure). Not stored; the templates compare its values."""

    INDICATOR = "indicator"
    DECLARED = "declared"
    NONE = "none"


@dataclass(frozen=True)
class AutoScore:
    """What the rule computes for a unit: the figure, where it came from, the points."""

    value: Decimal | None
    score: Decimal | None
    source: FigureSource
    note: str

    @property
    def missing(self) -> bool:
        return self.source != FigureSource.NONE and self.value is None
