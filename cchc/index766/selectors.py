"""Đọc Bộ chỉ số QĐ 766: a unit's index over a day range, the ranking of units, the drill-down to the
dossiers a component counts against, and the points still at stake before the period closes.

Interface (kept stable: the pages, XLSX, home-page list and weekly summary build on it):
``index_for(unit, start, end, *, actor) -> IndexResult``; ``index_for_units(units, start, end, *, actor)
-> list[(rank, IndexResult)]``; ``component_dossiers(unit, start, end, code, *, actor) -> QuerySet``;
``points_at_stake(unit, start, end, *, actor, today) -> AtStake``; ``resolve_range(period, start, end)``.

A unit is its area on the dated tree (``OrgGraph.subtree_spans``, as the indicator store counts it): a
commune ended mid-year counts in the province for its own months only. Nothing here writes: a closed
period's stored ``Result`` is shown when there is one, else the index is computed live with the version
valid on the period's last day. Computations are cached (Django cache) under the data's change stamp.
The arithmetic on the measures read here (a formula's points, the result objects, a record's marginal cost)
is ``evaluation``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db.models import Max, QuerySet
from django.utils import timezone

from cchc.index766 import measures
from cchc.index766.evaluation import IndexResult, evaluate, marginal_cost, result_from_figures
from cchc.index766.formulas import Formula, formula_of, version_for
from cchc.index766.models import FormulaVersion, Result
from cchc.org.models import Level, OrgUnit
from cchc.org.selectors import OrgGraph, load_graph

# Part of every cache key: raised when the cached result classes move or change shape, because an entry pickled
# by the code before names classes where this code no longer has them (2: they moved to ``evaluation``).
_CACHE_LAYOUT = 2


class NoFormula(LookupError):
    """Không có phiên bản công thức áp dụng cho kỳ này."""


# ---- the area, the stamp, the reads -------------------------------------------------------------------------
def change_stamp() -> tuple:
    """Cheap fingerprint of the data the index reads: every write path of dossiers, feedback, ratings and
        formulas adds a row to one of these tables (audit trail, dossier steps, jobs such as imports). A change
    made behind their back (an SQL UPDATE) is seen when the cached entry expires (an hour)."""
    from cchc.core.models import AuditEvent
    from cchc.dossiers.models import Dossier, DossierEvent, Procedure
    from cchc.feedback.models import FeedbackItem
    from cchc.jobs.models import Job
    from cchc.surveys.models import Rating

    return tuple(
        model.objects.aggregate(m=Max("pk"))["m"]
        for model in (AuditEvent, Dossier, DossierEvent, Procedure, FeedbackItem, Rating, Job, FormulaVersion)
    )


def _levels(graph: OrgGraph, spans: dict[int, list[tuple[date, date]]], unit: OrgUnit) -> set[str]:
    """The deciding levels whose procedures are the area's: the levels of its units (a section counts as
    the unit it works for)."""
    from cchc.accounts.scope import governing_unit_id

    return {graph.units[governing_unit_id(graph, uid)].level for uid in spans} or {unit.level}


def _windows(all_spans: Iterable[dict[int, list[tuple[date, date]]]]) -> measures.Windows:
    windows: measures.Windows = defaultdict(set)
    for spans in all_spans:
        for uid, stretches in spans.items():
            for stretch in stretches:
                windows[stretch].add(uid)
    return dict(windows)


def _calendar(graph: OrgGraph, unit: OrgUnit, day: date):
    """The working-day calendar of the unit's province on ``day`` (the national one without a province)."""
    from cchc.workdays.selectors import get_calendar

    if unit.level == Level.PROVINCE:
        return get_calendar(unit)
    province = next((a for a in graph.ancestors_on(unit.pk, day) if a.level == Level.PROVINCE), None)
    return get_calendar(province)


def _timing(calendar, start: date, end: date):
    """(announced on time, published on time) of a procedure, each None when not due in start…end or not
    known: công bố ≥ 5 ngày làm việc trước ngày văn bản có hiệu lực; công khai ≤ 5 ngày làm việc sau công bố."""
    from cchc.workdays.calendar_engine import CalendarRangeError

    def timing(facts: measures.ProcedureFacts) -> tuple[bool | None, bool | None]:
        announced = published = None
        try:
            if facts.basis_effective_on and facts.announced_on and start <= facts.basis_effective_on <= end:
                announced = calendar.working_days_between(facts.announced_on, facts.basis_effective_on) >= 5
            if facts.announced_on and facts.published_on and start <= facts.announced_on <= end:
                published = calendar.working_days_between(facts.announced_on, facts.published_on) <= 5
        except CalendarRangeError:  # a date outside the calendar's years: not known
            return None, None
        return announced, published

    return timing


def _judged_on(end: date, as_of: date | None) -> date:
    return min(end, as_of or timezone.localdate())


def _formula(end: date) -> tuple[FormulaVersion, Formula]:
    version = version_for(end)
    if version is None:
        raise NoFormula(f"Chưa có phiên bản công thức Bộ chỉ số áp dụng cho ngày {end:%d/%m/%Y}.")
    return version, formula_of(version)


def _compute(units: list[OrgUnit], start: date, end: date, as_of: date) -> dict[int, IndexResult]:
    """The index of each unit, from one read of the records of all their areas."""
    version, formula = _formula(end)
    graph = load_graph()
    spans = {u.pk: graph.subtree_spans(u.pk, start, end) for u in units}
    raw = measures.read_raw(_windows(spans.values()), as_of)
    procedures = measures.procedure_facts()
    found: dict[int, IndexResult] = {}
    for unit in units:
        m = measures.combine(
            spans[unit.pk],
            raw,
            procedures,
            _levels(graph, spans[unit.pk], unit),
            start,
            end,
            _timing(_calendar(graph, unit, end), start, end),
        )
        groups, total, max_total = evaluate(formula, m)
        no_data = tuple(c.code for g in groups for c in g.components if c.no_data)
        found[unit.pk] = IndexResult(unit, start, end, version.code, total, max_total, groups, no_data, as_of, None, m)
    return found


def _cached(units: list[OrgUnit], start: date, end: date, as_of: date) -> dict[int, IndexResult]:
    """The indexes of ``units``, from the cache when the data have not changed since. One entry per set
    of units (a ranking is one read and one write of the cache, not a hundred: the default cache is a
    database table)."""
    import hashlib

    tag = "-".join(map(str, change_stamp()))
    ids = ",".join(str(pk) for pk in sorted({u.pk for u in units}))
    key = f"index766:{_CACHE_LAYOUT}:" + hashlib.sha256(f"{ids}:{start}:{end}:{as_of}:{tag}".encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _compute(units, start, end, as_of)
        cache.set(key, found, timeout=3600)
    return found


def _stored(unit: OrgUnit, start: date, end: date) -> IndexResult | None:
    row = Result.objects.filter(unit=unit, start=start, end=end).select_related("version").first()
    return None if row is None else result_from_figures(unit, row.figures, row.computed_at)


def _visible(actor: Any, unit: OrgUnit) -> OrgUnit:
    from cchc.accounts import scope

    return scope.access_unit(actor, unit.pk, scope.Action.VIEW)


def index_for(
    unit: OrgUnit, start: date, end: date, *, actor: Any, as_of: date | None = None, live: bool = False
) -> IndexResult:
    """Chỉ số của ``unit`` trong start…end (404 when the actor may not see the unit). A closed range with a
    stored result reads it (its version) unless ``live``; otherwise computed with the version valid on
    ``end``. A dossier not finished is judged at ``as_of`` (default: the range's last day, or today)."""
    unit = _visible(actor, unit)
    judged = _judged_on(end, as_of)
    if not live and end < timezone.localdate():
        stored = _stored(unit, start, end)
        if stored is not None:
            return stored
    return _cached([unit], start, end, judged)[unit.pk]


def rank(results: Iterable[IndexResult]) -> list[tuple[int | None, IndexResult]]:
    """Thứ hạng như bảng xếp hạng quốc gia: total descending, equal totals share a rank (1, 1, 3);
    a unit with no data at all has no rank and comes last."""
    ordered = sorted(results, key=lambda r: (r.total is None, -(r.total or 0), r.unit.code))
    ranked: list[tuple[int | None, IndexResult]] = []
    for position, result in enumerate(ordered, start=1):
        if result.total is None:
            ranked.append((None, result))
        elif ranked and ranked[-1][1].total == result.total:
            ranked.append((ranked[-1][0], result))
        else:
            ranked.append((position, result))
    return ranked


def index_for_units(
    units: Iterable[OrgUnit],
    start: date,
    end: date,
    *,
    actor: Any,
    as_of: date | None = None,
    live: bool = False,
) -> list[tuple[int | None, IndexResult]]:
    """Chỉ số của nhiều đơn vị (bảng xếp hạng), from one read of their records (stored results of a closed
    range unless ``live``); units the actor may not see are left out."""
    from cchc.accounts import scope

    visible = scope.unit_ids(actor, scope.Action.VIEW)
    chosen = [u for u in units if visible is None or u.pk in visible]
    judged = _judged_on(end, as_of)
    results: dict[int, IndexResult] = {}
    if not live and end < timezone.localdate():
        for unit in chosen:
            stored = _stored(unit, start, end)
            if stored is not None:
                results[unit.pk] = stored
    rest = [u for u in chosen if u.pk not in results]
    if rest:
        results.update(_cached(rest, start, end, judged))
    return rank(results[u.pk] for u in chosen)


# ---- periods ------------------------------------------------------------------------------------------------
def resolve_range(period: str | None = None, start: date | None = None, end: date | None = None) -> tuple[date, date]:
    """start…end of an indicator period code (2026-T11, 2026-QUY4, 2026-6T, 2026-NAM…) or of from/to.
    Raises ValueError with a Vietnamese message."""
    if period:
        from cchc.indicators.periods import get_period

        found = get_period(period)
        return found.start, found.end
    if start is None or end is None:
        raise ValueError("Cần mã kỳ (period) hoặc cả ngày bắt đầu và ngày kết thúc (from, to).")
    if end < start:
        raise ValueError("Ngày kết thúc trước ngày bắt đầu.")
    return start, end


def component_dossiers(
    unit: OrgUnit, start: date, end: date, component_code: str, *, actor: Any, as_of: date | None = None
) -> QuerySet:
    """Hồ sơ bị tính thiếu điểm ở một thành phần: the dossiers of the unit's area in its denominator but not
    in its numerator (the late ones for Tiến độ, the not-online ones…). Empty for a component that does
    not count dossiers (procedures, feedback)."""
    from cchc.dossiers.models import Dossier

    unit = _visible(actor, unit)
    _, formula = _formula(end)
    spec = next((c for c in formula.components if c.code == component_code), None)
    if spec is None:
        raise LookupError(f"Không có thành phần “{component_code}” trong công thức áp dụng.")
    filters = measures.dossier_filters(_judged_on(end, as_of))
    filters["dossiers_satisfactory"] = filters["dossiers_on_time_or_within"] & ~filters["dossiers_complained"]
    if spec.denominator not in filters or spec.numerator not in filters:
        return Dossier.objects.none()
    spans = load_graph().subtree_spans(unit.pk, start, end)
    qs = measures.with_end_day(Dossier.objects.filter(measures.dossiers_in(_windows([spans]))))
    return qs.filter(filters[spec.denominator]).exclude(filters[spec.numerator]).order_by("due_on", "code")


# ---- points at stake ------------------------------------------------------------------------------------------
class StakeDossier(NamedTuple):
    dossier: Any
    points_cost: Decimal
    due_on: date


class StakeProcedure(NamedTuple):
    procedure: Any
    points_cost: Decimal
    due_on: date
    reason: str


class StakeFeedback(NamedTuple):
    item: Any
    points_cost: Decimal
    due_on: date


@dataclass(frozen=True)
class AtStake:
    """Điểm còn có thể mất trước khi hết kỳ, each sorted by the points it would cost, then by due date."""

    unit: OrgUnit
    start: date
    end: date
    today: date
    dossiers: list[StakeDossier]
    procedures: list[StakeProcedure]
    feedback: list[StakeFeedback]

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit.code,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "today": self.today.isoformat(),
            "dossiers": [
                {
                    "code": s.dossier.code,
                    "unit": s.dossier.unit.code,
                    "due_on": s.due_on.isoformat(),
                    "points_cost": float(s.points_cost),
                }
                for s in self.dossiers
            ],
            "procedures": [
                {
                    "code": s.procedure.code,
                    "reason": s.reason,
                    "due_on": s.due_on.isoformat(),
                    "points_cost": float(s.points_cost),
                }
                for s in self.procedures
            ],
            "feedback": [
                {"id": s.item.pk, "due_on": s.due_on.isoformat(), "points_cost": float(s.points_cost)}
                for s in self.feedback
            ],
        }


def points_at_stake(unit: OrgUnit, start: date, end: date, *, actor: Any, today: date | None = None) -> AtStake:
    """Hồ sơ đang giải quyết sẽ quá hạn trước khi hết kỳ nếu không xong (cost on the index of the commune or
    agency that holds it), thủ tục chưa công bố / công khai mà còn kịp hạn, phản ánh sắp đến hạn."""
    from cchc.accounts.scope import governing_unit_id
    from cchc.dossiers.models import OPEN_STATUSES, Dossier
    from cchc.feedback.models import FeedbackItem

    unit = _visible(actor, unit)
    today = today or timezone.localdate()
    as_of = _judged_on(end, today)
    _, formula = _formula(end)
    graph = load_graph()
    spans = graph.subtree_spans(unit.pk, start, end)
    windows = _windows([spans])
    pending = list(
        Dossier.objects.filter(
            measures.dossiers_in(windows), status__in=OPEN_STATUSES, due_on__gte=today, due_on__lt=end
        )
        .select_related("unit", "procedure")
        .order_by("due_on", "code")
    )
    holders = {d.pk: graph.units[governing_unit_id(graph, d.unit_id)] for d in pending}
    own = _cached(list({u.pk: u for u in [unit, *holders.values()]}.values()), start, end, as_of)
    costs: dict[int, Decimal] = {}
    for uid, result in own.items():
        costs[uid] = marginal_cost(formula, result.measures, {}, {"dossiers_on_time_or_within": -1})
    stake_dossiers = sorted(
        (StakeDossier(d, costs[holders[d.pk].pk], d.due_on) for d in pending), key=lambda s: (-s.points_cost, s.due_on)
    )
    m = own[unit.pk].measures
    return AtStake(
        unit,
        start,
        end,
        today,
        stake_dossiers,
        _stake_procedures(unit, formula, m, graph, spans, start, end, today),
        _stake_feedback(
            formula,
            m,
            FeedbackItem.objects.filter(
                _units_q(windows),
                answered_on__isnull=True,
                forwarded_on__isnull=True,
                deadline__gte=today,
                deadline__lte=end,
            ).order_by("deadline", "pk"),
        ),
    )


def _units_q(windows: measures.Windows):
    from django.db.models import Q

    ids = sorted({uid for unit_ids in windows.values() for uid in unit_ids})
    return Q(unit_id__in=ids)


def _stake_feedback(formula: Formula, m: dict[str, int], items: Iterable[Any]) -> list[StakeFeedback]:
    cost = marginal_cost(formula, m, {"feedback_due": 1, "feedback_on_time": 1}, {"feedback_due": 1})
    return [StakeFeedback(item, cost, item.deadline) for item in items]


def _stake_procedures(
    unit: OrgUnit,
    formula: Formula,
    m: dict[str, int],
    graph: OrgGraph,
    spans: dict[int, list[tuple[date, date]]],
    start: date,
    end: date,
    today: date,
) -> list[StakeProcedure]:
    """Thủ tục còn kịp: văn bản có hiệu lực trong kỳ mà chưa có quyết định công bố (hạn: 5 ngày làm việc
    trước ngày hiệu lực), quyết định công bố trong kỳ mà chưa công khai (hạn: 5 ngày làm việc sau)."""
    from cchc.dossiers.models import Procedure

    calendar = _calendar(graph, unit, end)
    levels = _levels(graph, spans, unit)
    announce_cost = marginal_cost(
        formula, m, {"procedures_announce_due": 1, "procedures_announced_on_time": 1}, {"procedures_announce_due": 1}
    )
    publish_cost = marginal_cost(
        formula, m, {"procedures_publish_due": 1, "procedures_published_on_time": 1}, {"procedures_publish_due": 1}
    )
    found: list[StakeProcedure] = []
    for p in Procedure.objects.filter(
        level__in=levels, basis_effective_on__gte=start, basis_effective_on__lte=end, announced_on__isnull=True
    ):
        due = _shifted(calendar, p.basis_effective_on, -5)
        if due is not None and due >= today:
            found.append(StakeProcedure(p, announce_cost, due, "Chưa có quyết định công bố"))
    for p in Procedure.objects.filter(
        level__in=levels, announced_on__gte=start, announced_on__lte=end, published_on__isnull=True
    ):
        due = _shifted(calendar, p.announced_on, 5)
        if due is not None and due >= today:
            found.append(StakeProcedure(p, publish_cost, due, "Chưa công khai"))
    return sorted(found, key=lambda s: (-s.points_cost, s.due_on, s.procedure.code))


def _shifted(calendar, day: date, working_days: int) -> date | None:
    from cchc.workdays.calendar_engine import CalendarRangeError

    try:
        return calendar.add_working_days(day, working_days)
    except CalendarRangeError:  # a date outside the calendar's years
        return None
