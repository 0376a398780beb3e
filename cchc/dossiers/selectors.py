"""Đọc: danh mục thủ tục, danh sách hồ sơ (theo phạm vi), dòng thời gian, dữ liệu các mẫu phiếu, việc cần làm.

The citizen's progress lookup (the public pages) is :mod:`cchc.dossiers.progress`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from cchc.accounts import scope
from cchc.core.registry import TodoItem
from cchc.core.text import FuzzyIndex, fold
from cchc.dossiers import rules
from cchc.dossiers.models import OPEN_STATUSES, Dossier, DossierEvent, EventKind, Procedure
from cchc.dossiers.progress import lookup_link
from cchc.dossiers.stats import stats, units_for  # noqa: F401 — re-exported for the indicator store
from cchc.org.models import OrgUnit
from cchc.workdays.selectors import get_calendar_for_unit


# ---- catalogue ----------------------------------------------------------------------------------------
def search_procedures(text: str = "", on: date | None = None, limit: int | None = 20) -> QuerySet[Procedure]:
    """Thủ tục còn hiệu lực khớp mã hoặc (các từ của) tên, for the counter's search-as-you-type."""
    qs = Procedure.objects.select_related("field")
    if on is not None:
        qs = qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )
    for word in text.split():
        qs = qs.filter(Q(code__icontains=word) | Q(name__icontains=word) | Q(field__name__icontains=word))
    qs = qs.order_by("field__name", "name")
    return qs[:limit] if limit else qs


def procedures_of_unit(unit: OrgUnit, on: date) -> QuerySet[Procedure]:
    """The procedures ``unit`` handles on ``on``: those of its level (a commune handles level "xa"), in force.

    There is no table saying which unit handles which procedure yet: the provincial decisions publishing
    the catalogue assign procedures by level, and every unit of a level handles the same list. This is the
    one place that rule lives; a per-unit list would replace it here.
    """
    return _in_force(Procedure.objects.select_related("field"), on).filter(level=unit.level)


def find_procedures(
    text: str,
    on: date,
    level: str | None = None,
    limit: int | None = None,
    *,
    among: QuerySet[Procedure] | None = None,
) -> list[Procedure]:
    """Procedures in force matching what someone typed, best first, forgiving missing diacritics and a
    one-letter slip ("dang ki khai snh"); a code ("1.001193") puts its procedure first. ``among``
    narrows the candidates (e.g. ``procedures_of_unit``). An empty text lists them all by field and name."""
    qs = _in_force(among if among is not None else Procedure.objects.all(), on)
    if level:
        qs = qs.filter(level=level)
    if not text.strip():
        ordered = qs.select_related("field").order_by("field__name", "name")
        return list(ordered[:limit] if limit else ordered)
    rows = tuple(qs.order_by("pk").values_list("pk", "code", "name", "field__name"))
    pks = _catalogue_index(rows).search(text, limit)
    by_pk = Procedure.objects.select_related("field").in_bulk(pks)
    return [by_pk[pk] for pk in pks]


def _in_force(qs: QuerySet[Procedure], on: date) -> QuerySet[Procedure]:
    return qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


@lru_cache(maxsize=8)
def _catalogue_index(rows: tuple[tuple[int, str, str, str], ...]) -> FuzzyIndex[int]:
    """The search index of a catalogue, keyed by its very rows: any edit of a code, name or field gives
    other rows and so a fresh index, with no invalidation to forget; the unchanged catalogue is folded once."""
    return FuzzyIndex((pk, code, f"{name} {field_name}") for pk, code, name, field_name in rows)


# ---- dossiers -----------------------------------------------------------------------------------------
@dataclass
class DossierFilter:
    unit_id: int | None = None
    field_id: int | None = None
    status: str = ""
    late: str = ""  # "" | "tre" (finished late or pending overdue today) | "tre_chua_xin_loi"
    start: date | None = None
    end: date | None = None
    text: str = ""
    held_by: int | None = None  # the user the dossiers were handed to ("Hồ sơ chuyển cho tôi")
    due_today: bool = False  # open and due today ("Đến hạn trả hôm nay")


def dossiers_for(user: Any, f: DossierFilter | None = None, today: date | None = None) -> QuerySet[Dossier]:
    """Hồ sơ the user may see, filtered. The period filters on the receipt date."""
    f = f or DossierFilter()
    today = today or timezone.localdate()
    qs = scope.scoped(Dossier.objects.select_related("unit", "procedure", "field"), user, scope.Action.VIEW)
    if f.unit_id:
        qs = qs.filter(unit_id=f.unit_id)
    if f.field_id:
        qs = qs.filter(field_id=f.field_id)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.start:
        qs = qs.filter(received_on__gte=f.start)
    if f.end:
        qs = qs.filter(received_on__lte=f.end)
    if f.due_today:
        qs = qs.filter(status__in=OPEN_STATUSES, due_on=today)
    if f.held_by:
        qs = qs.filter(holder_user_id=f.held_by, status__in=OPEN_STATUSES)
    if f.late:
        qs = qs.filter(late_q(today))
        if f.late == "tre_chua_xin_loi":
            qs = qs.filter(apology_on__isnull=True)
    if f.text:
        qs = qs.filter(text_q(f.text))
    return qs


def text_q(text: str) -> Q:
    """What a search box finds: the dossier code (or part of it), the applicant's ID number, or the
    applicant's name typed with or without diacritics ("Nguyen Van Thu", "nguyễn thu"): every folded word
    of the query in the folded name (cchc.core.text.fold)."""
    typed = text.strip()
    compact = "".join(typed.split())
    by_number = Q(code__icontains=compact) | Q(applicant_id_number__icontains=compact)
    words = fold(typed).split()
    if not words:
        return by_number
    by_name = Q()
    for word in words:
        by_name &= Q(applicant_folded__icontains=word)
    return by_number | by_name


def held_by(user: Any) -> QuerySet[Dossier]:
    """Open dossiers handed to ``user`` in person (within what the user may see)."""
    return scope.scoped(Dossier.objects.filter(holder_user_id=user.pk, status__in=OPEN_STATUSES), user)


def late_q(today: date) -> Q:
    """Finished late, or still open with the due date passed (as of ``today``)."""
    return Q(outcome="tre") | Q(status__in=OPEN_STATUSES, due_on__lt=today)


def late_without_apology(user: Any, today: date | None = None) -> QuerySet[Dossier]:
    """Hồ sơ quá hạn chưa có văn bản xin lỗi, the oldest due first."""
    today = today or timezone.localdate()
    return dossiers_for(user, DossierFilter(late="tre_chua_xin_loi"), today).order_by("due_on", "code")


def due_soon(user: Any, today: date | None = None, unit: Any = None) -> QuerySet[Dossier]:
    """Open dossiers due within the warning window (``warn_working_days`` working days, today included)."""
    today = today or timezone.localdate()
    cal = get_calendar_for_unit(unit, today)
    limit = cal.add_working_days(today, load_warn_days())
    return scoped_open(user).filter(due_on__gte=today, due_on__lte=limit)


def load_warn_days() -> int:
    return rules.load_rules().warn_working_days


def scoped_open(user: Any) -> QuerySet[Dossier]:
    return scope.scoped(Dossier.objects.filter(status__in=OPEN_STATUSES), user, scope.Action.EDIT)


def todo_items(user: Any, unit: Any) -> list[TodoItem]:
    """Việc cần làm trên trang chủ: hồ sơ chuyển cho mình; hồ sơ sắp đến hạn, quá hạn, quá hạn chưa xin lỗi
    (units the user edits)."""
    items = []
    url = reverse("dossiers:list")
    held = held_by(user).count() if getattr(user, "pk", None) else 0
    if held:
        items.append(
            TodoItem(
                "Hồ sơ được chuyển cho bạn",
                "Xử lý rồi chuyển tiếp hoặc chuyển trả Bộ phận Một cửa.",
                f"{url}?cua_toi=1",
                "warning",
                held,
            )
        )
    if scope.unit_ids(user, scope.Action.EDIT) == frozenset():
        return items
    today = timezone.localdate()
    overdue = scoped_open(user).filter(due_on__lt=today).count()
    if overdue:
        items.append(
            TodoItem(
                "Hồ sơ đang giải quyết đã quá hạn",
                "Cần giải quyết ngay và gửi văn bản xin lỗi.",
                f"{url}?tre=tre&trang_thai=dang_xu_ly",
                "danger",
                overdue,
            )
        )
    no_apology = late_without_apology(user, today).filter(Q(status__in=OPEN_STATUSES) | Q(outcome="tre")).count()
    if no_apology:
        items.append(
            TodoItem(
                "Hồ sơ quá hạn chưa có văn bản xin lỗi",
                "Mỗi hồ sơ trễ hạn cần một văn bản xin lỗi.",
                reverse("dossiers:late"),
                "danger",
                no_apology,
            )
        )
    try:
        soon = due_soon(user, today, unit).count()
    except ValueError:  # a calendar without this year: the calendar app reports it on its own page
        soon = 0
    if soon:
        items.append(
            TodoItem(
                "Hồ sơ sắp đến hạn trả kết quả",
                f"Đến hạn trong {load_warn_days()} ngày làm việc tới.",
                url + "?sap_han=1",
                "warning",
                soon,
            )
        )
    return items


def desk_panel(user: Any, unit: Any) -> Any:
    """Trang chủ: the desk's day — received today, due today, results waiting, overdue — for whoever
    receives and moves the unit's dossiers (a one-stop clerk, the commune's officers)."""
    from cchc.core.registry import HomePanel, HomeRow
    from cchc.dossiers.models import Status

    if unit is None or not scope.can(user, scope.Action.EDIT, unit.pk):
        return None
    today = timezone.localdate()
    mine = scope.scoped(Dossier.objects.all(), user, scope.Action.EDIT)
    open_ = mine.filter(status__in=OPEN_STATUSES)
    url = reverse("dossiers:list")
    day = today.strftime("%d/%m/%Y")
    rows = [
        HomeRow("Tiếp nhận hôm nay", mine.filter(received_on=today).count(), f"{url}?tu={day}&den={day}"),
        HomeRow("Đến hạn trả hôm nay", open_.filter(due_on=today).count(), f"{url}?han=hom_nay", "warning"),
        HomeRow(
            "Đã có kết quả, chờ trả",
            mine.filter(status=Status.RESULT_READY).count(),
            f"{url}?trang_thai={Status.RESULT_READY}",
        ),
        HomeRow("Đang giải quyết, đã quá hạn", open_.filter(due_on__lt=today).count(), f"{url}?tre=tre", "danger"),
        HomeRow(
            "Quá hạn chưa có văn bản xin lỗi",
            mine.filter(late_q(today), apology_on__isnull=True).count(),
            reverse("dossiers:late"),
            "danger",
        ),
    ]
    first = today.replace(day=1).strftime("%d/%m/%Y")
    links = [
        ("Tiếp nhận hồ sơ mới", reverse("dossiers:intake")),
        ("Sổ theo dõi hồ sơ tháng này (mẫu 07)", f"{reverse('dossiers:register')}?tu={first}&den={day}"),
    ]
    return HomePanel(f"Hồ sơ của {unit.name} hôm nay, {day}", rows, order=10, links=links)


def timeline(dossier: Dossier) -> list[DossierEvent]:
    return list(dossier.events.select_related("user", "from_unit", "to_unit", "from_user", "to_user"))


# ---- hand-over (chuyển hồ sơ) ---------------------------------------------------------------------------
@dataclass(frozen=True)
class HandoverTargets:
    """Where a dossier may be handed now: people of its unit (công chức chuyên môn, lãnh đạo, Bộ phận Một
    cửa), the unit's own sections, and the agencies above it (the province and its departments). Whoever or
    whatever holds it now is left out: a hand-over always moves it."""

    people: list[Any]
    sections: list[OrgUnit]
    agencies: list[OrgUnit]


def unit_people(unit: OrgUnit) -> Any:
    """Active users who work for ``unit``: its own users and those of its sections (Bộ phận Một cửa)."""
    from django.contrib.auth import get_user_model

    from cchc.org.selectors import load_graph

    graph = load_graph()
    home = scope.governing_unit_id(graph, unit.pk)
    own = scope.unit_ids_own(graph, home)
    return (
        get_user_model()
        .objects.filter(is_active=True, unit_id__in=own)
        .select_related("unit")
        .order_by("role", "full_name", "username")
    )


def handover_targets(dossier: Dossier, today: date | None = None) -> HandoverTargets:
    from cchc.org.models import Level
    from cchc.org.selectors import load_graph

    today = today or timezone.localdate()
    graph = load_graph()
    home = scope.governing_unit_id(graph, dossier.unit_id)
    people = [u for u in unit_people(dossier.unit) if u.pk != dossier.holder_user_id]
    sections = [
        u
        for u in graph.children_on(home, today)
        if u.level == Level.SECTION and (u.pk != dossier.holder_id or dossier.holder_user_id)
    ]
    agencies = []
    for above in graph.ancestors_on(home, today):
        agencies.append(above)
        agencies += [u for u in graph.children_on(above.pk, today) if u.level == Level.SECTION]
    agencies = [u for u in agencies if u.pk != dossier.holder_id or dossier.holder_user_id]
    if dossier.holder_id != home or dossier.holder_user_id:
        sections.insert(0, graph.units[home])  # back to the unit as a whole
    return HandoverTargets(people, sections, agencies)


def pending_state(dossier: Dossier, as_of: date | None = None) -> str:
    """ "trong_han" / "qua_han" for an open dossier, its outcome for a finished one."""
    if dossier.outcome:
        return dossier.outcome
    if dossier.closed_on:
        return ""
    return rules.pending_state(dossier.due_on, as_of or timezone.localdate())


# ---- data of the official forms (rendered by cchc.documents) -----------------------------------------
def _unit_header(dossier: Dossier) -> dict[str, Any]:
    return {"unit_code": dossier.unit.code, "unit_name": dossier.unit.name, "place": dossier.unit.place_name}


def receipt_data(dossier: Dossier, base_url: str | None = None) -> dict[str, Any]:
    """Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả. Its QR code opens the public progress lookup with
    both the code and the mã tra cứu (``base_url``: the site's public address, see ``public_base_url``)."""
    from cchc.core.siteurl import public_base_url

    received_at = timezone.localtime(dossier.received_at) if dossier.received_at else None
    due_at = timezone.localtime(dossier.due_at) if dossier.due_at else None
    base = (base_url or public_base_url()).rstrip("/")
    link = lookup_link(dossier, base) if dossier.lookup_key else ""
    return {
        **_unit_header(dossier),
        "code": dossier.code,
        "qr_text": link or dossier.code,
        "lookup_key": dossier.lookup_key,
        "lookup_url": link,
        "lookup_page": base + reverse("public:lookup"),
        "applicant": {
            "name": dossier.applicant_name,
            "id_number": dossier.applicant_id_number,
            "address": dossier.applicant_address,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
        },
        "procedure_code": dossier.procedure.code,
        "procedure_name": dossier.procedure.name,
        "papers": [{"name": p.name, "kind": p.get_kind_display(), "count": p.count} for p in dossier.papers.all()],
        "sets": dossier.sets,
        "processing_time": dossier.procedure.time_label,
        "received_at": received_at,
        "received_on": dossier.received_on,
        "due_at": due_at,
        "due_on": dossier.original_due_on,
        "return_place": f"Bộ phận Một cửa — {dossier.unit.name}",
        "register_line": dossier.register_line,
        "channel": dossier.get_channel_display(),
        "receiver": _first_actor(dossier, EventKind.RECEIVED),
    }


def _first_actor(dossier: Dossier, kind: str) -> str:
    event = dossier.events.filter(kind=kind).select_related("user").order_by("at").first()
    if event is None:
        return ""
    return (getattr(event.user, "display_name", "") or event.actor_label) if event.user else event.actor_label


def _event_data(dossier: Dossier, kind: str) -> DossierEvent | None:
    return dossier.events.filter(kind=kind).order_by("-at", "-pk").first()


def supplement_data(dossier: Dossier) -> dict[str, Any]:
    """Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (the latest request)."""
    e = _event_data(dossier, EventKind.SUPPLEMENT_REQUESTED)
    return {
        **_unit_header(dossier),
        "code": dossier.code,
        "applicant_name": dossier.applicant_name,
        "procedure_name": dossier.procedure.name,
        "received_on": dossier.received_on,
        "requested_at": e and timezone.localtime(e.at),
        "request": e.note if e else "",
        "officer": e.actor_label if e else "",
    }


def refusal_data(dossier: Dossier) -> dict[str, Any]:
    """Mẫu 03 — Phiếu từ chối tiếp nhận, giải quyết hồ sơ."""
    e = _event_data(dossier, EventKind.REFUSED)
    return {
        **_unit_header(dossier),
        "code": dossier.code,
        "applicant_name": dossier.applicant_name,
        "procedure_name": dossier.procedure.name,
        "received_on": dossier.received_on,
        "refused_at": e and timezone.localtime(e.at),
        "reason": e.note if e else "",
    }


def stop_data(dossier: Dossier) -> dict[str, Any]:
    """Mẫu 05 — Thông báo dừng giải quyết hồ sơ: when and why the deciding agency stopped."""
    e = _event_data(dossier, EventKind.STOPPED)
    return {"stopped_at": e and timezone.localtime(e.at), "reason": e.note if e else ""}


def apology_data(dossier: Dossier) -> dict[str, Any]:
    """Mẫu 04 — Văn bản xin lỗi và hẹn lại ngày trả kết quả."""
    e = _event_data(dossier, EventKind.APOLOGY)
    return {
        **_unit_header(dossier),
        "addressee": dossier.applicant_name,
        "address": dossier.applicant_address,
        "received_on": dossier.received_on,
        "field": dossier.field.name,
        "code": dossier.code,
        "procedure_name": dossier.procedure.name,
        "due_on": dossier.due_on,
        "apology_on": dossier.apology_on,
        "reason": e.note if e else "",
        "new_due_on": dossier.new_due_on,
    }


def control_slip_data(dossier: Dossier) -> dict[str, Any]:
    """Mẫu 06 — Phiếu kiểm soát quá trình giải quyết hồ sơ: one line per hand-over."""
    lines = []
    for e in dossier.events.filter(
        kind__in=[EventKind.RECEIVED, EventKind.HANDOVER, EventKind.RESULT_READY, EventKind.RETURNED]
    ).select_related("from_unit", "to_unit", "from_user", "to_user"):
        taker = _person(e.to_user)
        lines.append(
            {
                "kind": e.get_kind_display(),
                "at": timezone.localtime(e.at),
                "from_unit": e.from_unit.name if e.from_unit else "",
                "to_unit": e.to_unit.name if e.to_unit else "",
                "by": _person(e.from_user) or e.actor_label,
                "taker": taker or (e.to_unit.name if e.kind == EventKind.HANDOVER and e.to_unit else ""),
                "note": e.note,
            }
        )
    return {
        **_unit_header(dossier),
        "code": dossier.code,
        "applicant_name": dossier.applicant_name,
        "procedure_name": dossier.procedure.name,
        "received_at": dossier.received_at,
        "due_on": dossier.due_on,
        "lines": lines,
        "outcome": dossier.get_outcome_display() if dossier.outcome else "",
    }


def _person(user: Any) -> str:
    """The full name for the hand-over log (both sign beside it); empty for no one."""
    return user.display_name if user is not None else ""


def register_data(user: Any, unit_id: int, start: date, end: date) -> dict[str, Any]:
    """Mẫu 07 — Sổ theo dõi hồ sơ of a unit over a period (dossiers received in it)."""
    unit = scope.access_unit(user, unit_id)
    rows = (
        Dossier.objects.filter(unit=unit, received_on__range=(start, end))
        .select_related("procedure")
        .order_by("received_on", "code")
    )
    return {
        "unit_code": unit.code,
        "unit_name": unit.name,
        "place": unit.place_name,
        "start": start,
        "end": end,
        "rows": [
            {
                "line": i,
                "code": d.code,
                "procedure_name": d.procedure.name,
                "applicant_name": d.applicant_name,
                "received_on": d.received_on,
                "due_on": d.due_on,
                "returned_on": d.returned_on,
                "outcome": d.get_outcome_display() if d.outcome else "",
                "note": d.note,
            }
            for i, d in enumerate(rows, start=1)
        ],
    }
