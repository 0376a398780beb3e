"""Đọc dữ liệu khảo sát: bộ câu hỏi của đơn vị, mã hồ sơ hợp lệ cho một màn hình, kết quả theo kỳ."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import or_

from django.core import signing
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.scope import governing_unit_id
from cchc.core.vnformat import percent
from cchc.org.models import Level, OrgUnit
from cchc.org.selectors import OrgGraph, load_graph
from cchc.surveys.models import Answer, QuestionSetChoice, Rating
from cchc.surveys.questions import QuestionSet, default_set, get_set

LINK_SALT = "cchc.surveys.rating-link"


# ---- the hook for the dossiers app ---------------------------------------------------------------
@dataclass(frozen=True)
class DossierStatus:
    """What the dossiers app will answer about a code: whether it exists and whether it is finished."""

    exists: bool
    finished: bool


def dossier_status(dossier_code: str) -> DossierStatus | None:
    """Hồ sơ có tồn tại và đã giải quyết xong chưa?

    A dossier recorded here is rated only once its result is ready or returned. A code this install has
    no record of answers None — the rating is then accepted on the code's form and unit alone, because
    many dossiers are handled in the provincial system and imported later: refusing them would lose
    the citizen's rating.
    """
    from cchc.dossiers.models import Dossier

    found = Dossier.objects.filter(code=dossier_code).values("result_ready_on", "returned_on", "closed_on").first()
    if found is None:
        return None
    return DossierStatus(exists=True, finished=any(found.values()))


# ---- which codes a kiosk accepts -----------------------------------------------------------------
def allowed_units(kiosk_unit: OrgUnit, graph: OrgGraph | None = None) -> list[OrgUnit]:
    """Units whose dossier codes a kiosk of ``kiosk_unit`` accepts: the unit it serves (a kiosk put on
    a section serves the commune or province the section belongs to), that unit's sections
    (Bộ phận Một cửa…), and its predecessors and their sections — a merged commune's counter still
    receives the citizens of the communes it replaced."""
    graph = graph or load_graph()
    home = governing_unit_id(graph, kiosk_unit.pk)
    heads = [home, *sorted(graph.predecessors_ever(home))]
    ids: list[int] = []
    for head in heads:
        for uid in [head, *sorted(graph.descendants_ever(head))]:
            if uid not in ids and (uid == head or graph.units[uid].level == Level.SECTION):
                ids.append(uid)
    return [graph.units[uid] for uid in ids]


def code_prefixes(kiosk_unit: OrgUnit, graph: OrgGraph | None = None) -> list[str]:
    """The unit codes a citizen may have to pick on the kiosk: the unit it serves, then only those of the
    other accepted units (its sections, merged predecessors) that dossier codes really carry — the desk's
    dossiers are coded with the commune's code, so its citizens are never asked to choose between two."""
    from cchc.dossiers.models import Dossier

    accepted = allowed_units(kiosk_unit, graph)
    head, others = accepted[0], accepted[1:]
    used = [u.code for u in others if Dossier.objects.filter(unit_id=u.pk).exists()]
    return [head.code, *used]


def serving_unit(unit: OrgUnit, graph: OrgGraph | None = None) -> OrgUnit:
    graph = graph or load_graph()
    return graph.units[governing_unit_id(graph, unit.pk)]


# ---- questions -----------------------------------------------------------------------------------
def question_set_for(unit: OrgUnit, day: date | None = None) -> QuestionSet:
    """The set ``unit`` uses on ``day``: its latest choice made for a date up to ``day``, else the default."""
    day = day or timezone.localdate()
    choice = QuestionSetChoice.objects.filter(unit=unit, valid_from__lte=day).order_by("-valid_from").first()
    if choice is not None:
        chosen = get_set(choice.set_code)
        if chosen is not None:
            return chosen
    return default_set()


def question_set_choices(unit: OrgUnit) -> QuerySet[QuestionSetChoice]:
    return QuestionSetChoice.objects.filter(unit=unit).select_related("chosen_by").order_by("-valid_from")


# ---- the public link printed on the receipt -------------------------------------------------------
def rating_token(dossier_code: str) -> str:
    """A signed token carrying the dossier code: the link cannot be forged for another code."""
    return signing.dumps(dossier_code, salt=LINK_SALT, compress=True)


def code_from_token(token: str) -> str | None:
    try:
        return signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        return None


def rating_link(dossier_code: str) -> str:
    """Đường dẫn đánh giá in trên giấy tiếp nhận (path; the receipt prefixes the site's address and
    prints it as a QR code) for dossiers received online or by post."""
    return reverse("kiosk:link", args=[rating_token(dossier_code)])


# ---- results -------------------------------------------------------------------------------------
@dataclass
class QuestionResult:
    code: str
    text: str
    answered: int
    satisfied: int
    rate: Decimal | None
    options: list[tuple[str, int, Decimal | None, bool]]  # label, count, share of answers, counts as satisfied


@dataclass
class SurveyResults:
    """Kết quả khảo sát của một đơn vị (cả các đơn vị trực thuộc) trong một khoảng ngày."""

    unit: OrgUnit
    start: date
    end: date
    ballots: int = 0
    satisfied: int = 0
    rate: Decimal | None = None
    by_channel: dict[str, int] = field(default_factory=dict)
    questions: list[QuestionResult] = field(default_factory=list)
    comments: list[tuple[date, str, str]] = field(default_factory=list)


def counted() -> Q:
    """Ratings that count in figures: verified ones (registered tablet, signed link, known dossier) and
    anonymous ones whose dossier has since been imported."""
    from cchc.dossiers.models import Dossier

    return Q(verified=True) | Q(Exists(Dossier.objects.filter(code=OuterRef("dossier_code"))))


def ratings_in(units: list[OrgUnit] | list[int], start: date, end: date) -> QuerySet[Rating]:
    """Ratings of dossiers of ``units`` given from start to end (the indicator functions' filter)."""
    ids = [u if isinstance(u, int) else u.pk for u in units]
    return Rating.objects.filter(counted(), unit_id__in=ids, rated_on__range=(start, end))


def subtree_ratings(unit: OrgUnit, start: date, end: date, graph: OrgGraph | None = None) -> QuerySet[Rating]:
    """Ratings that count for ``unit`` over start…end: its own and those of every unit under it on the
    days it hung there (the tree as it stood then), plus a merged predecessor's after the merge."""
    graph = graph or load_graph()
    spans = graph.subtree_spans(unit.pk, start, end)
    clauses = [Q(unit_id=uid, rated_on__range=window) for uid, windows in spans.items() for window in windows]
    if not clauses:
        return Rating.objects.none()
    return Rating.objects.filter(counted(), reduce(or_, clauses))


def survey_results(unit: OrgUnit, start: date, end: date, comments: int = 20) -> SurveyResults:
    ratings = subtree_ratings(unit, start, end)
    result = SurveyResults(unit=unit, start=start, end=end)
    result.ballots = ratings.count()
    result.satisfied = ratings.filter(satisfied=True).count()
    result.rate = percent(result.satisfied, result.ballots)
    result.by_channel = dict(Counter(ratings.values_list("channel", flat=True)))
    # Per question, over every question set used in the range (in the order of first use).
    set_codes = list(dict.fromkeys(ratings.order_by("rated_at").values_list("question_set", flat=True)))
    counts = Counter(
        Answer.objects.filter(rating__in=ratings).values_list("rating__question_set", "question", "option")
    )
    seen: set[str] = set()
    for set_code in set_codes:
        qset = get_set(set_code)
        if qset is None:
            continue
        for question in qset.questions:
            if question.code in seen:
                continue
            seen.add(question.code)
            per_option = {
                o.code: sum(
                    n
                    for (s, q, opt), n in counts.items()
                    if q == question.code and opt == o.code and (get_set(s) or qset).question(question.code) is not None
                )
                for o in question.options
            }
            answered = sum(per_option.values())
            sat = sum(n for code, n in per_option.items() if (question.option(code) or question.options[0]).satisfied)
            result.questions.append(
                QuestionResult(
                    code=question.code,
                    text=question.short,
                    answered=answered,
                    satisfied=sat,
                    rate=percent(sat, answered),
                    options=[
                        (o.label, per_option[o.code], percent(per_option[o.code], answered), o.satisfied)
                        for o in question.options
                    ],
                )
            )
    result.comments = [
        (timezone.localtime(r.rated_at).date(), r.dossier_code, r.comment)
        for r in ratings.exclude(comment="").order_by("-rated_at")[:comments]
    ]
    return result


# ---- home page -----------------------------------------------------------------------------------
def kiosk_panel(user, unit: OrgUnit | None):
    """Trang chủ: the kiosk's ratings of the unit (today and this month) for those who run its desk."""
    from cchc.accounts.scope import Action, can
    from cchc.core.registry import HomePanel, HomeRow
    from cchc.core.vnformat import format_percent

    if unit is None or not can(user, Action.EDIT, unit.pk):
        return None
    serving = serving_unit(unit)
    today = timezone.localdate()
    first = today.replace(day=1)
    month = subtree_ratings(serving, first, today)
    ballots, satisfied = month.count(), month.filter(satisfied=True).count()
    results = reverse("surveys:results")
    rate = format_percent(percent(satisfied, ballots)) if ballots else "chưa có phiếu"
    rows = [
        HomeRow(
            "Phiếu đánh giá hôm nay",
            month.filter(rated_on=today).count(),
            f"{results}?tu={today:%d/%m/%Y}&den={today:%d/%m/%Y}",
        ),
        HomeRow(
            f"Phiếu tháng {today:%m/%Y}",
            ballots,
            f"{results}?tu={first:%d/%m/%Y}&den={today:%d/%m/%Y}",
            detail=f"hài lòng {satisfied} phiếu ({rate})" if ballots else "",
        ),
    ]
    links = [("Mở màn hình đánh giá (ki-ốt)", reverse("kiosk:page", args=[serving.code]))]
    return HomePanel("Đánh giá sự hài lòng tại ki-ốt", rows, order=20, links=links)
