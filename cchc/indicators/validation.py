"""Chạy quy tắc kiểm tra: khi nhập, trước khi gửi báo cáo, và phân tích cả một địa bàn nhiều kỳ."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from cchc.indicators.expressions import parse
from cchc.indicators.models import Period, Source, ValueSource
from cchc.indicators.periods import family, get_period, periods_between
from cchc.indicators.rules import Importance, Missing, Operator, Outcome, Rule, RuleResult, evaluate_rule, load_rules
from cchc.indicators.selectors import ValueContext, ValueWithProvenance
from cchc.org.models import Level, OrgUnit
from cchc.org.selectors import load_graph

_IMPORTANCE_ORDER = {Importance.HIGH: 0, Importance.MEDIUM: 1, Importance.LOW: 2}


def check_unit(
    context: ValueContext, unit: OrgUnit, rules: Iterable[Rule] | None = None, include_inherited: bool = False
) -> list[RuleResult]:
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
    results.extend(entered_over_computed(context, unit))
    return results


def entered_over_computed(context: ValueContext, unit: OrgUnit, codes: Iterable[str] | None = None) -> list[RuleResult]:
    """Số liệu nhập khác số liệu tính: an entered figure of a computed indicator (copied from the provincial
    one-stop system…) wins, but where the unit's own records give another figure the reviewer sees both —
    a low-importance failed check, "nhap_khac_tinh.<code>", never blocking."""
    results: list[RuleResult] = []
    for code in codes if codes is not None else context.indicators:
        ind = context.indicators.get(code)
        if ind is None or ind.source != Source.COMPUTED or (unit.pk, code) not in context.units_entered():
            continue
        v = context.value(unit.pk, code)
        computed = v.detail.get("computed_value")
        if v.source != ValueSource.ENTERED or computed is None or computed == v.value:
            continue
        rule = Rule(
            code=f"nhap_khac_tinh.{code}",
            left=parse(code),
            operator=Operator.EQ,
            right=parse(str(computed)),
            importance=Importance.LOW,
            missing=Missing.SKIP_IF_ANY,
            generated=True,
            message=f"Số liệu nhập tay của “{ind.name}” ({v.display}) khác số liệu tính từ dữ liệu nghiệp vụ "
            f"của đơn vị ({_plain(ind, computed)}); báo cáo dùng số liệu nhập tay.",
        )
        results.append(
            RuleResult(
                rule, Outcome.FAILED, v.value, computed, unit=unit, period=context.period, values={code: v.value}
            )
        )
    return results


def _plain(ind, value) -> str:
    from cchc.indicators.selectors import format_value

    return format_value(ind, value)


def warnings_for(unit: OrgUnit, period: Period, indicator_code: str) -> list[RuleResult]:
    """The failed rules that involve ``indicator_code`` (inline warnings on entry)."""
    context = ValueContext(period)
    rules = [r for r in load_rules(context.indicators) if indicator_code in r.codes]
    results = [r for r in check_unit(context, unit, rules) if r.status in (Outcome.FAILED, Outcome.ERROR)]
    results = _sorted(
        [r for r in results if not r.rule.code.startswith("nhap_khac_tinh.")]
        + entered_over_computed(context, unit, [indicator_code])
    )
    context.flush()
    return results


@dataclass(frozen=True)
class MissingFigure:
    """Một chỉ tiêu của phụ lục chưa có số liệu: tên tiếng Việt, lý do, nơi nhập."""

    code: str
    name: str
    stt: str
    group: str
    reason: str
    url: str


def missing_figures(context: ValueContext, unit: OrgUnit) -> list[MissingFigure]:
    """The appendix figures of ``unit`` that are missing (printed "…"), each with the link to its entry row.
    A ratio is listed through its missing parts, so each thing to enter appears once."""
    found: dict[str, MissingFigure] = {}
    base = reverse("indicators:index") + "?" + urlencode({"don-vi": unit.code, "ky": context.period.code})

    def add(v: ValueWithProvenance) -> None:
        ind = v.indicator
        if ind.source == Source.RATIO:
            for code in [*ind.numerator, ind.denominator]:
                part = context.value(unit.pk, code)
                if part.is_missing:
                    add(part)
            return
        if ind.code not in found:
            found[ind.code] = MissingFigure(
                ind.code, ind.name, ind.stt, ind.group_code, v.missing_reason, f"{base}#row-{ind.pk}"
            )

    for code, ind in context.indicators.items():
        if ind.in_appendix and not ind.is_heading:
            v = context.value(unit.pk, code)
            if v.is_missing:
                add(v)
    return list(found.values())


@dataclass
class SubmissionCheck:
    """Kết quả kiểm tra trước khi gửi báo cáo."""

    unit: OrgUnit
    period: Period
    blocking: list[RuleResult] = field(default_factory=list)  # mức độ cao: phải sửa trước khi gửi
    warnings: list[RuleResult] = field(default_factory=list)  # mức độ trung bình, thấp: cần giải trình
    errors: list[RuleResult] = field(default_factory=list)  # quy tắc không tính được (chia cho 0)
    missing: list[MissingFigure] = field(default_factory=list)  # chỉ tiêu chưa có số liệu (in "…")

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
    check.missing = missing_figures(context, unit)
    context.flush()
    for result in _sorted(results):
        if result.status == Outcome.FAILED and result.rule.importance == Importance.HIGH:
            check.blocking.append(result)
        elif result.status == Outcome.FAILED:
            check.warnings.append(result)
        elif result.status == Outcome.ERROR:
            check.errors.append(result)
    return check


def analyse(
    root: OrgUnit | str,
    first: Period | str,
    last: Period | str,
    *,
    user: Any = None,
    statuses: tuple[Outcome, ...] = (Outcome.FAILED, Outcome.ERROR),
    progress: Callable[[int, str], None] | None = None,
) -> list[RuleResult]:
    """Phân tích kiểm tra: every unit that ever hung under ``root`` × every period within first…last.

    The periods walked are those of the endpoints' families: report periods (Q1, 6T, Q3, NAM) for a
    range given in report periods, calendar months or quarters for one given in those. Sections
    (bộ phận) are checked only where they have entries of their own: their records are their
    commune's. No cap on the number of results. Only units in the user's view scope are analysed.
    ``progress(pct, stage)``: the background job's (cchc.indicators.jobs), once per period."""
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
    periods = periods_between(first, last, {family(first), family(last)})
    for k, period in enumerate(periods):
        if progress is not None:
            progress(5 + 90 * k // len(periods), f"Đang kiểm tra kỳ {period.code} ({k + 1}/{len(periods)})")
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
