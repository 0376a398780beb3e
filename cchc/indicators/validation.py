"""Chạy quy tắc kiểm tra: khi nhập, trước khi gửi báo cáo, và phân tích cả một địa bàn nhiều kỳ."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cchc.indicators.models import Period
from cchc.indicators.periods import family, get_period, periods_between
from cchc.indicators.rules import Rule, RuleResult, evaluate_rule, load_rules
from cchc.indicators.selectors import ValueContext
from cchc.org.models import Level, OrgUnit
from cchc.org.selectors import load_graph

_IMPORTANCE_ORDER = {"high": 0, "medium": 1, "low": 2}


def check_unit(context: ValueContext, unit: OrgUnit, rules: Iterable[Rule] | None = None,
               include_inherited: bool = False) -> list[RuleResult]:
    """Every rule at ``unit`` in the context's period (passed, failed, skipped or error)."""
    rules = load_rules(context.indicators) if rules is None else rules
    results: list[RuleResult] = []
    for rule in rules:
        if any(code not in context.indicators for code in rule.codes):
            continue
        # figures that are only roll-ups of the children's entries are checked at the children
        if not include_inherited and not any(context.has_own(unit.pk, code) for code in rule.codes):
            continue
        found = [context.value(unit.pk, code) for code in rule.codes]
        result = evaluate_rule(rule, {v.code: v.value for v in found})
        result.unit, result.period = unit, context.period
        results.append(result)
    return results


def warnings_for(unit: OrgUnit, period: Period, indicator_code: str) -> list[RuleResult]:
    """The failed rules that involve ``indicator_code`` (inline warnings on entry)."""
    context = ValueContext(period)
    rules = [r for r in load_rules(context.indicators) if indicator_code in r.codes]
    results = _sorted([r for r in check_unit(context, unit, rules) if r.status in ("failed", "error")])
    context.flush()
    return results


@dataclass
class SubmissionCheck:
    """Kết quả kiểm tra trước khi gửi báo cáo."""

    unit: OrgUnit
    period: Period
    blocking: list[RuleResult] = field(default_factory=list)  # mức độ cao: phải sửa trước khi gửi
    warnings: list[RuleResult] = field(default_factory=list)  # mức độ trung bình, thấp: cần giải trình
    errors: list[RuleResult] = field(default_factory=list)  # quy tắc không tính được (chia cho 0)

    @property
    def can_submit(self) -> bool:
        return not self.blocking

    @property
    def needs_comment(self) -> bool:
        return bool(self.warnings or self.errors)


def check_submission(unit: OrgUnit | str, period: Period | str, *, user: Any = None) -> SubmissionCheck:
    """Kiểm tra số liệu trước khi gửi báo cáo: high-importance failures block, the others need a comment."""
    if isinstance(unit, str):
        unit = OrgUnit.objects.get(code=unit)
    if isinstance(period, str):
        period = get_period(period)
    if user is not None:
        from cchc.accounts import scope

        unit = scope.access_unit(user, unit.pk, scope.Action.VIEW)
    check = SubmissionCheck(unit, period)
    context = ValueContext(period)
    results = check_unit(context, unit)
    context.flush()
    for result in _sorted(results):
        if result.status == "failed" and result.rule.importance == "high":
            check.blocking.append(result)
        elif result.status == "failed":
            check.warnings.append(result)
        elif result.status == "error":
            check.errors.append(result)
    return check


def analyse(root: OrgUnit | str, first: Period | str, last: Period | str, *, user: Any = None,
            statuses: tuple[str, ...] = ("failed", "error")) -> list[RuleResult]:
    """Phân tích kiểm tra: every unit that ever hung under ``root`` × every period within first…last.

    The periods walked are those of the endpoints' families: report periods (Q1, 6T, Q3, NAM) for a
    range given in report periods, calendar months or quarters for one given in those. Sections
    (bộ phận) are checked only where they have entries of their own: their records are their
    commune's. No cap on the number of results. Only units in the user's view scope are analysed."""
    if isinstance(root, str):
        root = OrgUnit.objects.get(code=root)
    first = get_period(first) if isinstance(first, str) else first
    last = get_period(last) if isinstance(last, str) else last
    graph = load_graph()
    unit_ids = graph.descendants_ever(root.pk)
    if user is not None:
        from cchc.accounts import scope

        root = scope.access_unit(user, root.pk, scope.Action.VIEW)
        allowed = scope.unit_ids(user, scope.Action.VIEW, graph)
        if allowed is not None:
            unit_ids &= allowed
    units = sorted((graph.units[i] for i in unit_ids), key=lambda u: u.code)
    results: list[RuleResult] = []
    indicators = None
    for period in periods_between(first, last, {family(first), family(last)}):
        context = ValueContext(period, graph, indicators)
        indicators = context.indicators
        rules = load_rules(indicators)
        with_entries = context.units_with_entries()
        for unit in units:
            if unit.valid_from > period.end or (unit.valid_to is not None and unit.valid_to < period.start):
                continue  # the unit did not exist during this period
            if unit.level == Level.SECTION and unit.pk not in with_entries:
                continue
            results.extend(r for r in check_unit(context, unit, rules) if r.status in statuses)
        context.flush()
    return results


def _sorted(results: list[RuleResult]) -> list[RuleResult]:
    return sorted(results, key=lambda r: (_IMPORTANCE_ORDER.get(r.rule.importance, 9), r.rule.code))
