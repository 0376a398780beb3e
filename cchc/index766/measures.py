"""Số đo (measures) của Bộ chỉ số QĐ 766: named counts computed from the records, which the formula files
combine (numerator, denominator, extra ratios).

Every measure is registered here by name with what it counts. They are computed together, for many
units at once, by three reads: one conditional aggregate over the dossiers received in the range grouped
by (unit, procedure) — a province of 100 communes is one pass —, one over the feedback items grouped by
unit, and the procedure catalogue (small, read whole). "Known" measures count only the records where the
field is filled: a component whose denominator is 0 reads "no data", never 0 points.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from cchc.dossiers.models import Dossier, OnlineForm, Procedure
from cchc.feedback.models import FeedbackItem
from cchc.surveys.models import Rating


class RecordSource(StrEnum):
    """What records a measure counts (and so what a component's drill-down lists)."""

    DOSSIERS = "dossiers"
    PROCEDURES = "procedures"
    FEEDBACK = "feedback"
    DERIVED = "derived"  # computed from other measures (a difference of dossier counts)


@dataclass(frozen=True)
class Measure:
    name: str
    label: str  # tiếng Việt, shown beside the figure
    source: RecordSource


_MEASURES: dict[str, Measure] = {}
_DERIVED: dict[str, Callable[[dict[str, int]], int]] = {}


def register(name: str, label: str, source: RecordSource) -> None:
    _MEASURES[name] = Measure(name, label, source)


def derived(name: str, label: str) -> Callable[[Callable[[dict[str, int]], int]], Callable[[dict[str, int]], int]]:
    def deco(fn: Callable[[dict[str, int]], int]) -> Callable[[dict[str, int]], int]:
        register(name, label, RecordSource.DERIVED)
        _DERIVED[name] = fn
        return fn

    return deco


def is_known(name: str) -> bool:
    return name in _MEASURES


def get(name: str) -> Measure:
    return _MEASURES[name]


def names() -> list[str]:
    return sorted(_MEASURES)


# ---- the dossiers received in the range ------------------------------------------------------------
def _on_time_or_within(as_of: date) -> Q:
    """Tiến độ: finished by ``as_of`` no later than due_on (the supplement pause is already in due_on: the
    services move it when the supplement arrives), or not finished at ``as_of`` and still within due_on;
    more than one supplement request makes the dossier late. The end of a dossier is, in this order, the
    day its result was ready, the day it was returned, the day it was closed (refused, stopped, withdrawn)."""
    few_supplements = Q(supplement_requests__isnull=True) | Q(supplement_requests__lte=1)
    finished = Q(end_day__isnull=False, end_day__lte=as_of)
    return few_supplements & ((finished & Q(end_day__lte=F("due_on"))) | (~finished & Q(due_on__gte=as_of)))


def _complained() -> Q:
    """Hồ sơ bị phản ánh, kiến nghị hoặc được đánh giá "không hài lòng"."""
    feedback = FeedbackItem.objects.exclude(dossier_code="").values("dossier_code")
    ratings = Rating.objects.filter(satisfied=False, verified=True).values("dossier_code")
    return Q(code__in=feedback) | Q(code__in=ratings)


_FLAGS = {  # measure stem → dossier field (BooleanField, NULL = not known)
    "synced": ("synced_to_portal", "Hồ sơ đã đồng bộ lên Cổng DVC quốc gia"),
    "e_result": ("e_result", "Hồ sơ có kết quả điện tử"),
    "digitised": ("digitised", "Hồ sơ có thành phần được số hóa"),
    "e_certified_copy": ("e_certified_copy", "Hồ sơ chứng thực bản sao điện tử"),
    "reused_data": ("reused_data", "Hồ sơ tái sử dụng dữ liệu đã số hóa"),
    "stored_in_repository": ("stored_in_repository", "Hồ sơ có kết quả lưu vào Kho dữ liệu"),
    "vneid_authenticated": ("vneid_authenticated", "Hồ sơ của tài khoản định danh VNeID"),
}


def dossier_filters(as_of: date) -> dict[str, Q]:
    """The condition of every dossier measure (its count is the dossiers received in the range matching it);
    the drill-down reads the same conditions. ``end_day`` must be annotated (see ``with_end_day``)."""
    eligible = Q(procedure__online_form=OnlineForm.FULL)
    fee = Q(fee_due__gt=0, paid_online__isnull=False)
    filters: dict[str, Q] = {
        "dossiers_received": Q(),
        "dossiers_on_time_or_within": _on_time_or_within(as_of),
        "dossiers_complained": _complained(),
        "dossiers_full_online_eligible": eligible,
        # Submitted online, and with an electronic result: an online dossier whose result was paper only
        # (e_result False) does not count; an unknown e_result (NULL) does not disqualify it.
        "dossiers_full_online_submitted": eligible & Q(channel="truc_tuyen") & ~Q(e_result=False),
        "dossiers_with_fee": fee,
        "dossiers_fee_paid_online": fee & Q(paid_online=True),
    }
    for stem, (field, _label) in _FLAGS.items():
        filters[f"dossiers_{stem}_known"] = Q(**{f"{field}__isnull": False})
        filters[f"dossiers_{stem}"] = Q(**{field: True})
    return filters


def with_end_day(qs):
    """Annotate the day a dossier ended: result ready, else returned, else closed (refused, stopped…)."""
    return qs.annotate(end_day=Coalesce("result_ready_on", "returned_on", "closed_on"))


def _dossier_aggregates(as_of: date) -> dict[str, Count]:
    return {name: Count("pk", filter=q) if q else Count("pk") for name, q in dossier_filters(as_of).items()}


for _name, _label in {
    "dossiers_received": "Hồ sơ tiếp nhận trong kỳ",
    "dossiers_on_time_or_within": "Hồ sơ giải quyết trước hạn, đúng hạn hoặc đang trong hạn",
    "dossiers_complained": "Hồ sơ bị phản ánh, kiến nghị hoặc đánh giá không hài lòng",
    "dossiers_full_online_eligible": "Hồ sơ của TTHC đủ điều kiện trực tuyến toàn trình",
    "dossiers_full_online_submitted": "Hồ sơ nộp trực tuyến của TTHC toàn trình",
    "dossiers_with_fee": "Hồ sơ có phí, lệ phí (đã biết hình thức nộp)",
    "dossiers_fee_paid_online": "Hồ sơ thanh toán trực tuyến",
}.items():
    register(_name, _label, RecordSource.DOSSIERS)
for _stem, (_field, _label) in _FLAGS.items():
    register(f"dossiers_{_stem}", _label, RecordSource.DOSSIERS)
    register(f"dossiers_{_stem}_known", _label + " (số hồ sơ đã có thông tin)", RecordSource.DOSSIERS)
for _name, _label in {
    "procedures_full_online_used": "TTHC toàn trình có phát sinh hồ sơ",
    "procedures_full_online_used_online": "TTHC toàn trình có phát sinh hồ sơ trực tuyến",
    "procedures_with_fee": "TTHC có phí, lệ phí",
    "procedures_online_payment": "TTHC có phí đã cung cấp thanh toán trực tuyến",
    "procedures_with_fee_dossiers": "TTHC có phí có phát sinh hồ sơ có phí",
    "procedures_announce_due": "TTHC có văn bản quy định hiệu lực trong kỳ (đã có quyết định công bố)",
    "procedures_announced_on_time": "TTHC công bố đúng hạn",
    "procedures_publish_due": "TTHC có quyết định công bố trong kỳ (đã có ngày công khai)",
    "procedures_published_on_time": "TTHC công khai đúng hạn",
    "procedures_completeness_known": "TTHC đã đánh giá nội dung công khai",
    "procedures_published_complete": "TTHC công khai đầy đủ nội dung",
    "procedures_population_known": "TTHC đã xác định việc kết nối dữ liệu dân cư",
    "procedures_population_linked": "TTHC kết nối, khai thác dữ liệu dân cư",
}.items():
    register(_name, _label, RecordSource.PROCEDURES)
for _name, _label in {
    "feedback_due": "Phản ánh, kiến nghị đến hạn xử lý trong kỳ",
    "feedback_on_time": "Phản ánh, kiến nghị xử lý đúng hạn",
    "feedback_rated": "Phản ánh, kiến nghị đã trả lời có đánh giá",
    "feedback_satisfied": "Phản ánh, kiến nghị hài lòng với kết quả xử lý",
}.items():
    register(_name, _label, RecordSource.FEEDBACK)


@derived("dossiers_late", "Hồ sơ trễ hạn")
def _late(m: dict[str, int]) -> int:
    return m["dossiers_received"] - m["dossiers_on_time_or_within"]


@derived("dossiers_satisfactory", "Hồ sơ không trễ hạn, không bị phản ánh hay đánh giá không hài lòng")
def _satisfactory(m: dict[str, int]) -> int:
    # 100% − (tỷ lệ trễ hạn + tỷ lệ bị phản ánh/không hài lòng): the two rates add up, floored at 0.
    return max(0, m["dossiers_received"] - _late(m) - m["dossiers_complained"])


# ---- the reads ---------------------------------------------------------------------------------------
Windows = dict[tuple[date, date], set[int]]  # a stretch of days → the units whose records count for it


def dossiers_in(windows: Windows) -> Q:
    """The dossiers received by these units on these days (the drill-down reads the same rows)."""
    q = Q(pk__in=[])
    for (start, end), unit_ids in windows.items():
        q |= Q(unit_id__in=sorted(unit_ids), received_on__gte=start, received_on__lte=end)
    return q


@dataclass
class Raw:
    """Per recording unit: the dossier counts, the procedures used, the feedback counts."""

    dossiers: dict[int, dict[str, int]]
    used: dict[int, dict[int, tuple[int, int]]]  # unit → procedure → (online dossiers, fee dossiers)
    feedback: dict[int, dict[str, int]]


def read_raw(windows: Windows, as_of: date) -> Raw:
    """Every count of these units over their windows: one dossier pass and one feedback pass."""
    dossiers: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    used: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    feedback: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if not windows:
        return Raw({}, {}, {})
    aggs = _dossier_aggregates(as_of)
    aggs["_fee_any"] = Count("pk", filter=Q(fee_due__gt=0))
    rows = (
        with_end_day(Dossier.objects.filter(dossiers_in(windows)))
        .values("unit_id", "procedure_id")
        .annotate(**aggs)
        .order_by()
    )
    for row in rows:
        unit_id, procedure_id = row.pop("unit_id"), row.pop("procedure_id")
        fee_any = row.pop("_fee_any")
        target = dossiers[unit_id]
        for key, value in row.items():
            target[key] += value
        used[unit_id][procedure_id] = (row["dossiers_full_online_submitted"], fee_any)
    for row in _feedback_rows(windows, as_of):
        unit_id = row.pop("unit_id")
        for key, value in row.items():
            feedback[unit_id][key] += value
    return Raw(dict(dossiers), dict(used), dict(feedback))


def _feedback_rows(windows: Windows, as_of: date) -> Iterable[dict]:
    """Phản ánh, kiến nghị: due in the range = answered in it, or not answered (nor forwarded) by ``as_of``
    with the deadline passed within it (late); on time = answered no later than its deadline."""
    q = Q(pk__in=[])
    for (start, end), unit_ids in windows.items():
        answered = Q(answered_on__gte=start, answered_on__lte=min(end, as_of))
        overdue = (Q(answered_on__isnull=True) | Q(answered_on__gt=as_of)) & Q(
            forwarded_on__isnull=True, deadline__gte=start, deadline__lte=end, deadline__lt=as_of
        )
        q |= Q(unit_id__in=sorted(unit_ids)) & (answered | overdue)
    answered_any = Q(answered_on__isnull=False, answered_on__lte=as_of)
    return (
        FeedbackItem.objects.filter(q)
        .values("unit_id")
        .annotate(
            feedback_due=Count("pk"),
            feedback_on_time=Count("pk", filter=answered_any & Q(answered_on__lte=F("deadline"))),
            feedback_rated=Count("pk", filter=answered_any & Q(satisfied__isnull=False)),
            feedback_satisfied=Count("pk", filter=answered_any & Q(satisfied=True)),
        )
        .order_by()
    )


@dataclass(frozen=True)
class ProcedureFacts:
    """What the index reads of one procedure (the catalogue is small: read whole, once per computation)."""

    pk: int
    code: str
    name: str
    level: str
    online_full: bool
    has_fee: bool | None
    online_payment: bool | None
    announced_on: date | None
    basis_effective_on: date | None
    published_on: date | None
    published_complete: bool | None
    population_data_linked: bool | None
    valid_from: date | None
    valid_to: date | None


def procedure_facts() -> dict[int, ProcedureFacts]:
    fields = [f for f in ProcedureFacts.__dataclass_fields__ if f != "online_full"]
    return {
        row["pk"]: ProcedureFacts(online_full=row.pop("online_form") == OnlineForm.FULL, **row)
        for row in Procedure.objects.values(*fields, "online_form")
    }


def combine(
    unit_ids: Iterable[int],
    raw: Raw,
    procedures: dict[int, ProcedureFacts],
    levels: set[str],
    start: date,
    end: date,
    timing: Callable[[ProcedureFacts], tuple[bool | None, bool | None]],
) -> dict[str, int]:
    """Every measure of an area: the sum over its recording units, procedures counted once over the area.

    ``levels``: the deciding levels (tỉnh, huyện, xã) whose procedures are the area's; ``timing``: for a
    procedure, (announced on time, published on time) — None when not known or not due in the range."""
    ids = list(unit_ids)
    m: dict[str, int] = defaultdict(int)
    for uid in ids:
        for key, value in raw.dossiers.get(uid, {}).items():
            m[key] += value
        for key, value in raw.feedback.get(uid, {}).items():
            m[key] += value
    online_used: dict[int, int] = defaultdict(int)
    fee_used: set[int] = set()
    for uid in ids:
        for pid, (online, fee) in raw.used.get(uid, {}).items():
            online_used[pid] += online
            if fee:
                fee_used.add(pid)
    for pid, online in online_used.items():
        facts = procedures.get(pid)
        if facts is not None and facts.online_full:
            m["procedures_full_online_used"] += 1
            m["procedures_full_online_used_online"] += 1 if online else 0
    for facts in procedures.values():
        if facts.level not in levels or not _valid_during(facts, start, end):
            continue
        _procedure_measures(m, facts, facts.pk in fee_used, timing(facts))
    for name in _MEASURES:
        m.setdefault(name, 0)
    for name, fn in _DERIVED.items():
        m[name] = fn(m)
    return dict(m)


def _valid_during(facts: ProcedureFacts, start: date, end: date) -> bool:
    return (facts.valid_from is None or facts.valid_from <= end) and (facts.valid_to is None or facts.valid_to >= start)


def _procedure_measures(
    m: dict[str, int], facts: ProcedureFacts, fee_used: bool, timing: tuple[bool | None, bool | None]
) -> None:
    if facts.has_fee:
        m["procedures_with_fee"] += 1
        m["procedures_online_payment"] += 1 if facts.online_payment else 0
        m["procedures_with_fee_dossiers"] += 1 if fee_used else 0
    announced, published = timing
    if announced is not None:
        m["procedures_announce_due"] += 1
        m["procedures_announced_on_time"] += 1 if announced else 0
    if published is not None:
        m["procedures_publish_due"] += 1
        m["procedures_published_on_time"] += 1 if published else 0
    if facts.published_complete is not None:
        m["procedures_completeness_known"] += 1
        m["procedures_published_complete"] += 1 if facts.published_complete else 0
    if facts.population_data_linked is not None:
        m["procedures_population_known"] += 1
        m["procedures_population_linked"] += 1 if facts.population_data_linked else 0


def rederive(m: dict[str, int]) -> dict[str, int]:
    """The measures again after a change of their counts (points at stake: one dossier counted late)."""
    out = dict(m)
    for name, fn in _DERIVED.items():
        out[name] = fn(out)
    return out
