"""Đọc kết quả Chỉ số CCHC: automatic scores, totals, ranking, lost points, early warnings.

Every figure a rule scores comes from the indicator selectors (``cchc.indicators.selectors``), never from
the records themselves. Points are Decimal: 0,25 + 2,5 adds up exactly.

Which score counts: once an assessment is finalised, the appraised score (điểm thẩm định); before, the
self-score (điểm tự chấm) — or, where the unit has not typed one, the score its figure earns. The index is
(points within the 100 + bonus − penalty) ÷ the applicable maximum × 100, to two decimals; criteria marked
not applicable leave both the points and the maximum.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from cchc.accounts import scope
from cchc.core.audit import Verb
from cchc.core.vnformat import format_number
from cchc.indicators.provenance import readable_source
from cchc.parindex.models import Assessment, Criterion, Evidence, Framework, RuleType, Score, Status
from cchc.parindex.scoring import (
    AutoScore,
    FigureSource,
    describe_rule,
    figure_text,
    score_from_figure,
    takes_figure,
)

ZERO = Decimal(0)


def value_context(framework: Framework, period_code: str | None = None):
    """One indicator context for a whole set (all units, one period): values are read once."""
    from cchc.indicators.periods import get_period
    from cchc.indicators.selectors import ValueContext

    return ValueContext(get_period(period_code or framework.period_code))


def criteria_of(framework: Framework) -> list[Criterion]:
    return list(framework.criteria.order_by("position"))


def auto_score(criterion: Criterion, score: Score | None, context: Any = None) -> AutoScore:
    """The figure and points the rule gives a unit: from the indicator store when the rule names an
    indicator, otherwise from the figure the unit declared. After finalisation the snapshot is used."""
    if not criterion.is_leaf or not takes_figure(criterion.rule_type, criterion.rule):
        return AutoScore(None, None, FigureSource.NONE, "")
    rule, max_points = criterion.rule, criterion.max_points
    if score is not None and score.assessment.status == Status.FINALISED and score.computed_note:
        return AutoScore(
            score.computed_value,
            score.computed_score,
            FigureSource.INDICATOR if criterion.indicator else FigureSource.DECLARED,
            score.computed_note,
        )
    if criterion.indicator:
        if context is None:
            return AutoScore(None, None, FigureSource.INDICATOR, "chưa có số liệu")
        v = context.value(score.assessment.unit_id, criterion.indicator)
        value = v.value
        source = FigureSource.INDICATOR
        provenance = readable_source(v, context)
    else:
        value = score.declared_value if score is not None else None
        source = FigureSource.DECLARED
        provenance = "Số liệu đơn vị kê khai"
    points = score_from_figure(criterion.rule_type, rule, max_points, value)
    if value is None:
        note = (
            "chưa có số liệu — cần chấm điểm trực tiếp" if source == FigureSource.INDICATOR else "chưa kê khai số liệu"
        )
    else:
        note = f"Số liệu: {figure_text(rule, value, criterion.rule_type)} → {format_number(points)} điểm"
        if source == FigureSource.INDICATOR:
            note += f" ({provenance})"
    return AutoScore(value, points, source, note[:300])


def effective_self(score: Score, auto: AutoScore) -> Decimal | None:
    if score.self_score is not None:
        return score.self_score
    return auto.score


@dataclass
class Line:
    """Một dòng của bảng điểm: a criterion with the unit's score (leaves) or the sums below it (parents)."""

    criterion: Criterion
    score: Score | None = None
    auto: AutoScore | None = None
    evidence: list[Evidence] = field(default_factory=list)
    max_points: Decimal = ZERO  # applicable maximum (0 when not applicable)
    self_points: Decimal | None = None
    appraised_points: Decimal | None = None
    obtained: Decimal | None = None  # the score that counts (see module doc)
    not_applicable: bool = False

    @property
    def code(self) -> str:
        return self.criterion.code

    @property
    def lost(self) -> Decimal:
        if self.criterion.rule_type == RuleType.PENALTY:
            return self.obtained or ZERO
        if self.criterion.outside_total or self.not_applicable:
            return ZERO
        return self.max_points - (self.obtained or ZERO)

    @property
    def rule_text(self) -> str:
        c = self.criterion
        return describe_rule(c.rule_type, c.rule, c.max_points) if c.is_leaf else ""

    @property
    def needs_manual(self) -> bool:
        """A figure rule whose figure is missing: it must be scored by hand."""
        return bool(self.auto and self.auto.missing and self.score and self.score.self_score is None)


@dataclass
class FieldTotal:
    code: str
    name: str
    max_points: Decimal = ZERO
    obtained: Decimal = ZERO
    lost: Decimal = ZERO
    bonus: Decimal = ZERO
    penalty: Decimal = ZERO

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "max": str(self.max_points),
            "obtained": str(self.obtained),
            "lost": str(self.lost),
            "bonus": str(self.bonus),
            "penalty": str(self.penalty),
        }


@dataclass
class Sheet:
    """Bảng điểm của một đơn vị."""

    assessment: Assessment
    lines: list[Line]
    fields: list[FieldTotal]
    applicable_max: Decimal
    self_total: Decimal | None
    appraised_total: Decimal | None
    bonus: Decimal
    penalty: Decimal
    basis: str  # "thẩm định" | "tự chấm"

    @property
    def official(self) -> bool:
        return self.assessment.status == Status.FINALISED

    @property
    def total(self) -> Decimal:
        """Tổng điểm that counts (appraised once finalised)."""
        base = self.appraised_total if self.official else self.self_total
        return base if base is not None else ZERO

    @property
    def index(self) -> Decimal | None:
        if not self.applicable_max:
            return None
        return (self.total / self.applicable_max * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def unscored(self) -> list[Line]:
        return [ln for ln in self.lines if ln.criterion.is_leaf and not ln.not_applicable and ln.self_points is None]

    def band(self) -> str:
        index = self.index
        if index is None:
            return ""
        for band in self.assessment.framework.bands:
            if index >= Decimal(band["min"]):
                return band["name"]
        return ""


def build_sheet(
    assessment: Assessment,
    context: Any = None,
    criteria: list[Criterion] | None = None,
    scores: dict[int, Score] | None = None,
    evidence: dict[int, list[Evidence]] | None = None,
) -> Sheet:
    """Compute a unit's score sheet from its scores (and, for rules with an indicator, the live figures).
    ``criteria``, ``scores`` and ``evidence`` are read here when the caller (a ranking of many units) has not
    read them for the whole set already."""
    framework = assessment.framework
    criteria = criteria if criteria is not None else criteria_of(framework)
    if scores is None:
        scores = {s.criterion_id: s for s in assessment.scores.all()}
        for s in scores.values():
            s.assessment = assessment
    if evidence is None:
        evidence = defaultdict(list)
        for e in Evidence.objects.filter(score__assessment=assessment):
            evidence[e.score_id].append(e)
    if context is None and any(c.indicator for c in criteria) and assessment.status != Status.FINALISED:
        context = value_context(framework)
    official = assessment.status == Status.FINALISED
    lines, roots = _score_tree(criteria, scores, evidence, context, official)
    ordered = [lines[c.pk] for c in criteria]
    leaves = [ln for ln in ordered if ln.criterion.is_leaf and not ln.not_applicable]
    fields = _field_totals(roots, leaves)
    return Sheet(
        assessment=assessment,
        lines=ordered,
        fields=fields,
        applicable_max=sum((f.max_points for f in fields), ZERO),
        self_total=_total(leaves, "self_points"),
        appraised_total=_total(leaves, "appraised_points"),
        bonus=sum((f.bonus for f in fields), ZERO),
        penalty=sum((f.penalty for f in fields), ZERO),
        basis="thẩm định" if official else "tự chấm",
    )


def _score_tree(
    criteria: list[Criterion],
    scores: dict[int, Score],
    evidence: dict[int, list[Evidence]],
    context: Any,
    official: bool,
) -> tuple[dict[int, Line], list[Line]]:
    """Every criterion's line (by criterion id) and the fields' lines: a sub-criterion from its score, a
    criterion with sub-criteria from the sums of the lines below it."""
    lines: dict[int, Line] = {}
    children: dict[int | None, list[Criterion]] = defaultdict(list)
    for c in criteria:
        children[c.parent_id].append(c)

    def visit(c: Criterion) -> Line:
        if c.is_leaf:
            line = _leaf_line(c, scores.get(c.pk), evidence, context, official)
        else:
            line = _parent_line(c, [visit(k) for k in children[c.pk]])
        lines[c.pk] = line
        return line

    roots = [visit(c) for c in children[None]]
    return lines, roots


def _leaf_line(
    c: Criterion, score: Score | None, evidence: dict[int, list[Evidence]], context: Any, official: bool
) -> Line:
    """A sub-criterion: its score, the figure's points, its evidence; a not-applicable one counts nothing."""
    line = Line(c, score=score)
    line.auto = auto_score(c, score, context) if score is not None else AutoScore(None, None, FigureSource.NONE, "")
    line.evidence = evidence.get(score.pk, []) if score is not None else []
    line.not_applicable = bool(score and score.not_applicable)
    if not line.not_applicable:
        line.max_points = c.max_points
        line.self_points = effective_self(score, line.auto) if score is not None else None
        line.appraised_points = score.appraised_score if score is not None else None
        line.obtained = line.appraised_points if official else line.self_points
    return line


def _parent_line(c: Criterion, kids: list[Line]) -> Line:
    """A criterion with sub-criteria: the sums of those inside the total (bonus and penalty stay out); not
    applicable when all of them are."""
    line = Line(c)
    main = [k for k in kids if not k.criterion.outside_total]
    line.not_applicable = bool(main) and all(k.not_applicable for k in main)
    line.max_points = sum((k.max_points for k in main), ZERO)
    for attr in ("self_points", "appraised_points", "obtained"):
        values = [getattr(k, attr) for k in main if not k.not_applicable]
        setattr(line, attr, _sum_known(values))
    return line


def _sum_known(values: list[Decimal | None]) -> Decimal | None:
    """The sum of the values given, None when none is."""
    known = [v for v in values if v is not None]
    return sum(known, ZERO) if known else None


def _total(leaves: list[Line], attr: str) -> Decimal | None:
    """Tổng điểm by one basis (self or appraised): points within the 100 + bonus − penalty; None when no
    sub-criterion within the 100 has a score on that basis."""
    main = [getattr(ln, attr) for ln in leaves if not ln.criterion.outside_total]
    if all(v is None for v in main):
        return None
    bonus = sum((getattr(ln, attr) or ZERO for ln in leaves if ln.criterion.rule_type == RuleType.BONUS), ZERO)
    penalty = sum((getattr(ln, attr) or ZERO for ln in leaves if ln.criterion.rule_type == RuleType.PENALTY), ZERO)
    return sum((v for v in main if v is not None), ZERO) + bonus - penalty


def _field_totals(roots: list[Line], leaves: list[Line]) -> list[FieldTotal]:
    """Each field's maximum, points, lost points, and its bonus and penalty kept apart."""
    fields = []
    for root in roots:
        ft = FieldTotal(root.code, root.criterion.name)
        for ln in leaves:
            if ln.criterion.field_code != root.code:
                continue
            if ln.criterion.rule_type == RuleType.BONUS:
                ft.bonus += ln.obtained or ZERO
            elif ln.criterion.rule_type == RuleType.PENALTY:
                ft.penalty += ln.obtained or ZERO
            else:
                ft.max_points += ln.max_points
                ft.obtained += ln.obtained or ZERO
        ft.lost = ft.max_points - ft.obtained
        fields.append(ft)
    return fields


# ---- results and ranking ---------------------------------------------------------------------------------
@dataclass
class Result:
    """Kết quả của một đơn vị: overall rank among the set's finalised units and, when the set declares
    ranking groups, the group and the rank within it."""

    sheet: Sheet
    rank: int | None = None
    of: int = 0
    group: str = ""
    group_rank: int | None = None
    group_of: int = 0

    @property
    def assessment(self) -> Assessment:
        return self.sheet.assessment

    def as_dict(self) -> dict[str, Any]:
        s = self.sheet
        a = s.assessment
        return {
            "unit": a.unit.code,
            "unit_name": a.unit.name,
            "status": a.status,
            "self_total": None if s.self_total is None else str(s.self_total),
            "appraised_total": None if s.appraised_total is None else str(s.appraised_total),
            "bonus": str(s.bonus),
            "penalty": str(s.penalty),
            "applicable_max": str(s.applicable_max),
            "index": None if s.index is None else str(s.index),
            "rank": self.rank,
            "of": self.of,
            "group": self.group or None,
            "group_rank": self.group_rank,
            "group_of": self.group_of,
            "band": s.band(),
            "fields": [f.as_dict() for f in s.fields],
        }


def assessments_for(framework: Framework, user: Any = None) -> QuerySet[Assessment]:
    qs = framework.assessments.select_related("unit", "framework").order_by("unit__code")
    return scope.scoped(qs, user, scope.Action.VIEW) if user is not None else qs


def results(framework: Framework, user: Any = None) -> list[Result]:
    """Every unit assessed with the set, ranked by index among the finalised ones (ties share a rank:
    1, 2, 2, 4). The ranking is over all units of the set, also those the user cannot open."""
    criteria = criteria_of(framework)
    context = value_context(framework) if any(c.indicator for c in criteria) else None
    everyone = list(assessments_for(framework))
    scores: dict[int, dict[int, Score]] = defaultdict(dict)
    for s in Score.objects.filter(assessment__framework=framework):
        scores[s.assessment_id][s.criterion_id] = s
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for e in Evidence.objects.filter(score__assessment__framework=framework):
        evidence[e.score_id].append(e)
    out = []
    for a in everyone:
        for s in scores[a.pk].values():
            s.assessment = a
        out.append(Result(build_sheet(a, context, criteria, scores[a.pk], evidence)))
    _rank(framework, out)
    out.sort(key=lambda r: (r.rank is None, r.rank or 0, r.assessment.unit.code))
    if user is not None:
        visible = set(assessments_for(framework, user).values_list("pk", flat=True))
        out = [r for r in out if r.assessment.pk in visible]
    return out


def _rank(framework: Framework, out: list[Result]) -> None:
    """Overall and in-group competition ranks (1, 2, 2, 4) among the finalised units."""
    from cchc.parindex.groups import competition_ranks, group_names

    ranked = [r for r in out if r.sheet.official and r.sheet.index is not None]
    overall = competition_ranks([(r.assessment.pk, r.sheet.index) for r in ranked])
    for r in ranked:
        r.rank, r.of = overall[r.assessment.pk], len(ranked)
    if not framework.groups:
        return
    names = group_names(framework, [r.assessment.unit for r in out])
    members: dict[str, list[Result]] = defaultdict(list)
    for r in out:
        r.group = names.get(r.assessment.unit_id, "")
        if r.group and r.rank is not None:
            members[r.group].append(r)
    for rows in members.values():
        ranks = competition_ranks([(r.assessment.pk, r.sheet.index) for r in rows])
        for r in rows:
            r.group_rank, r.group_of = ranks[r.assessment.pk], len(rows)


def field_averages(result_list: list[Result]) -> dict[str, Decimal]:
    """Điểm trung bình từng lĩnh vực của các đơn vị đã có kết quả chính thức."""
    official = [r for r in result_list if r.sheet.official]
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for r in official:
        for f in r.sheet.fields:
            sums[f.code] += f.obtained
    return {code: (v / len(official)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for code, v in sums.items()}


def result_of(assessment: Assessment) -> Result:
    for r in results(assessment.framework):
        if r.assessment.pk == assessment.pk:
            return r
    raise LookupError(assessment)  # pragma: no cover


# ---- lost points -----------------------------------------------------------------------------------------
@dataclass
class LostLine:
    code: str
    name: str
    max_points: Decimal
    obtained: Decimal
    lost: Decimal
    reason: str
    kind: str  # "tiêu chí" | "điểm trừ"
    criterion: Criterion

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "max": str(self.max_points),
            "obtained": str(self.obtained),
            "lost": str(self.lost),
            "reason": self.reason,
            "kind": self.kind,
        }


@dataclass
class LostField:
    total: FieldTotal
    lines: list[LostLine]


def reason_for(line: Line) -> str:
    """Vì sao mất điểm, in words that agree with the score that counts (see ``remediation.reason``)."""
    from cchc.parindex.remediation import reason

    return reason(line)


def lost_points(sheet: Sheet) -> tuple[list[LostField], dict[str, Decimal]]:
    """Mọi tiêu chí bị mất điểm, theo lĩnh vực, with field and grand totals (exact decimals)."""
    by_field: dict[str, list[LostLine]] = defaultdict(list)
    for ln in sheet.lines:
        c = ln.criterion
        if not c.is_leaf or ln.not_applicable or ln.lost <= 0:
            continue
        kind = "điểm trừ" if c.rule_type == RuleType.PENALTY else "tiêu chí"
        obtained = ZERO if c.rule_type == RuleType.PENALTY else (ln.obtained or ZERO)
        by_field[c.field_code].append(
            LostLine(c.code, c.name, c.max_points, obtained, ln.lost, reason_for(ln), kind, c)
        )
    groups = [LostField(f, by_field.get(f.code, [])) for f in sheet.fields]
    grand = {
        "max": sum((f.max_points for f in sheet.fields), ZERO),
        "obtained": sum((f.obtained for f in sheet.fields), ZERO),
        "lost": sum((f.lost for f in sheet.fields), ZERO),
        "bonus": sheet.bonus,
        "penalty": sheet.penalty,
        "total": sum((f.obtained for f in sheet.fields), ZERO) + sheet.bonus - sheet.penalty,
    }
    return groups, grand


# ---- early warnings -------------------------------------------------------------------------------------
@dataclass
class Warning:
    """Cảnh báo sớm: a criterion the unit is on course to lose, from this year's live figures."""

    criterion: Criterion
    value: Decimal
    projected: Decimal
    points: Decimal
    message: str

    @property
    def losing(self) -> Decimal:
        return self.criterion.max_points - self.points if self.criterion.rule_type != RuleType.PENALTY else self.points


def current_framework(unit: Any, today: date | None = None) -> Framework | None:
    """The newest set for the unit's level up to this year: its rules are the best guide for this year."""
    today = today or timezone.localdate()
    return Framework.objects.filter(level=unit.level, year__lte=today.year).order_by("-year", "-loaded_at").first()


def early_warnings(unit: Any, today: date | None = None) -> tuple[Framework | None, list[Warning]]:
    today = today or timezone.localdate()
    framework = current_framework(unit, today)
    if framework is None:
        return None, []
    criteria = [c for c in framework.criteria.filter(is_leaf=True).exclude(indicator="").order_by("position")]
    if not criteria:
        return framework, []
    from cchc.indicators.periods import get_period

    period = get_period(f"{today.year}-NAM")
    context = value_context(framework, period.code)
    elapsed = max((min(today, period.end) - period.start).days + 1, 1)
    length = (period.end - period.start).days + 1
    found = []
    for c in criteria:
        v = context.value(unit.pk, c.indicator)
        if v.value is None:
            continue
        projected = v.value
        if c.rule.get("pro_rata") and elapsed < length:
            projected = (v.value * length / elapsed).quantize(Decimal("0.01"))
        points = score_from_figure(c.rule_type, c.rule, c.max_points, projected)
        if points is None:
            continue
        losing = c.max_points - points if c.rule_type != RuleType.PENALTY else points
        if losing <= 0:
            continue
        now = figure_text(c.rule, v.value, c.rule_type)
        if projected != v.value:
            now += f" (cả năm theo nhịp hiện nay: {figure_text(c.rule, projected, c.rule_type)})"
        message = (
            f"Tiêu chí {c.code} — {c.name}: số liệu năm {today.year} đến nay {now}; theo quy tắc "
            f"“{describe_rule(c.rule_type, c.rule, c.max_points)}” sẽ mất {format_number(losing)} điểm."
        )
        found.append(Warning(c, v.value, projected, points, message))
    return framework, found


# ---- remediation ----------------------------------------------------------------------------------------
def last_reminder(assessment: Assessment) -> Any:
    """The latest “please draw up your remediation plan” sent to the unit (an audit row), or None."""
    from cchc.core.models import AuditEvent

    return (
        AuditEvent.objects.filter(
            verb=Verb.REMEDIATION_PLAN_REMIND, object_type="parindex.assessment", object_id=str(assessment.pk)
        )
        .order_by("-pk")
        .first()
    )
