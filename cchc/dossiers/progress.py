"""Tra cứu tiến độ hồ sơ: what a citizen holding the receipt reads about the dossier on the public pages
(code + mã tra cứu), public facts only. Re-exported by :mod:`cchc.dossiers.selectors`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from cchc.accounts import scope
from cchc.core.text import initials
from cchc.core.vnformat import format_date
from cchc.dossiers import lookupkeys, rules
from cchc.dossiers.models import OPEN_STATUSES, Dossier, DossierEvent, EventKind, Status

# How the citizen reads where the dossier is, by the role of the person holding it (no names: see
# DossierProgress). Roles not listed read as the unit's staff.
PUBLIC_HOLDER = {
    "commune_officer": ("công chức chuyên môn", "Hồ sơ đang được công chức chuyên môn xử lý."),
    "leader": ("lãnh đạo", "Hồ sơ đang được lãnh đạo xem xét, quyết định."),
    "one_stop_clerk": ("Bộ phận Một cửa", "Hồ sơ đang ở Bộ phận Một cửa."),
    "province_reviewer": ("chuyên viên cấp tỉnh", "Hồ sơ đang được chuyên viên cấp tỉnh xử lý."),
}
_PUBLIC_HOLDER_OTHER = ("cán bộ của cơ quan giải quyết", "Hồ sơ đang được cán bộ của cơ quan giải quyết xử lý.")


def public_holder(role: str) -> tuple[str, str]:
    """(who, sentence) for a person holding a dossier, as the public lookup says it."""
    return PUBLIC_HOLDER.get(role, _PUBLIC_HOLDER_OTHER)


def lookup_link(dossier: Dossier, base_url: str) -> str:
    """The address printed as the receipt's QR code: the public lookup with the code and the mã tra cứu."""
    query = urlencode({"ma": dossier.code, "khoa": dossier.lookup_key})
    return f"{base_url.rstrip('/')}{reverse('public:lookup')}?{query}"


@dataclass(frozen=True)
class ProgressStep:
    on: date
    label: str


@dataclass(frozen=True)
class DossierProgress:
    """What a citizen holding the receipt may read about the dossier: public facts only — no staff names,
    no notes (they may hold personal data), of the applicant only the initials."""

    code: str
    unit_code: str
    unit_name: str
    procedure_name: str
    initials: str
    received_on: date
    due_on: date  # the appointment, moved only by the working days the clock stood still for papers
    new_due_on: date | None  # the new appointment of the apology letter, when the agency was late
    step: str  # the current step, in plain words
    step_detail: str  # where the dossier is / what the citizen has to do
    result: str
    timeliness: str  # "Trong hạn", "Đã quá hạn", "Trả kết quả đúng hạn"…; empty when it does not apply
    late: bool | None
    closed: bool
    steps: tuple[ProgressStep, ...]


# EventKind → the step as the citizen reads it; internal kinds (the import) are left out.
PUBLIC_STEPS = {
    EventKind.RECEIVED: "Tiếp nhận hồ sơ",
    EventKind.HANDOVER: "Chuyển hồ sơ",
    EventKind.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung, hoàn thiện hồ sơ",
    EventKind.SUPPLEMENT_RECEIVED: "Nhận giấy tờ bổ sung",
    EventKind.SUSPENDED: "Tạm dừng giải quyết",
    EventKind.RESUMED: "Tiếp tục giải quyết",
    EventKind.REFUSED: "Từ chối giải quyết",
    EventKind.WITHDRAWN: "Rút hồ sơ theo đề nghị của người nộp",
    EventKind.STOPPED: "Dừng giải quyết",
    EventKind.APOLOGY: "Xin lỗi vì chậm trả kết quả, hẹn lại ngày trả",
    EventKind.RESULT_READY: "Có kết quả giải quyết",
    EventKind.RETURNED: "Trả kết quả",
}
_TIMELY = {"som": "trước hạn", "dung": "đúng hạn", "tre": "quá hạn"}


def lookup_dossier(code: str, key: str, today: date | None = None) -> DossierProgress | None:
    """The progress of the dossier ``code`` if ``key`` is its mã tra cứu, else None — the same None for
    an unknown code, a wrong key, no key, or a dossier whose key was never issued. The key is compared
    (in constant time) even when the code does not exist, so the answer's timing does not tell either."""
    typed = "".join((code or "").split())
    candidates = {typed, typed.upper()} if 0 < len(typed) <= 80 else set()
    dossier = (
        Dossier.objects.select_related("unit", "procedure", "holder", "holder_user").filter(code__in=candidates).first()
        if candidates
        else None
    )
    if not lookupkeys.matches(dossier.lookup_key if dossier is not None else None, key) or dossier is None:
        return None
    return _progress(dossier, today or timezone.localdate())


def _progress(d: Dossier, today: date) -> DossierProgress:
    counter = f"Bộ phận Một cửa — {d.unit.name}"
    step, detail = {
        Status.PROCESSING: ("Đang giải quyết", _where_now(d)),
        Status.SUPPLEMENT: (
            "Chờ bổ sung giấy tờ",
            "Ông/bà cần bổ sung, hoàn thiện hồ sơ theo phiếu yêu cầu đã nhận; thời hạn giải quyết tạm dừng "
            "cho đến khi nhận đủ giấy tờ.",
        ),
        Status.SUSPENDED: ("Tạm dừng giải quyết", "Cơ quan giải quyết tạm dừng hồ sơ và sẽ thông báo khi tiếp tục."),
        Status.RESULT_READY: (
            "Đã có kết quả, mời nhận",
            f"Mời ông/bà mang giấy tiếp nhận hồ sơ đến {counter} để nhận kết quả.",
        ),
        Status.RETURNED: (
            "Đã trả kết quả",
            f"Đã trả kết quả ngày {format_date(d.returned_on)}"
            + (f" ({d.get_return_method_display().lower()})." if d.return_method else "."),
        ),
        Status.REFUSED: ("Từ chối giải quyết", "Lý do ghi trong phiếu từ chối gửi ông/bà."),
        Status.WITHDRAWN: ("Đã rút hồ sơ", "Hồ sơ đã được rút theo đề nghị của người nộp."),
        Status.STOPPED: ("Dừng giải quyết", "Cơ quan giải quyết đã dừng giải quyết hồ sơ."),
    }.get(d.status, (d.get_status_display(), ""))

    if d.status in OPEN_STATUSES - {Status.RESULT_READY}:
        result = "Chưa có kết quả"
    elif d.status == Status.RESULT_READY:
        result = f"Đã có kết quả từ ngày {format_date(d.result_ready_on)}" if d.result_ready_on else "Đã có kết quả"
    elif d.status == Status.RETURNED:
        result = f"Đã trả kết quả ngày {format_date(d.returned_on)}" if d.returned_on else "Đã trả kết quả"
    else:
        result = f"Không giải quyết ({step.lower()})"

    # Measured against the appointment (due_on), as the statistics do: an apology does not make a late
    # dossier on time.
    late: bool | None
    if d.status == Status.RETURNED and d.outcome:
        timeliness, late = f"Trả kết quả {_TIMELY[d.outcome]}", d.outcome == "tre"
    elif d.status == Status.RESULT_READY:
        verdict = rules.classify(d.result_ready_on or today, d.due_on)
        timeliness, late = f"Có kết quả {_TIMELY[verdict]}", verdict == "tre"
    elif d.status in OPEN_STATUSES:
        late = d.due_on < today
        timeliness = "Đã quá hạn" if late else "Trong hạn"
    else:
        timeliness, late = "", None

    return DossierProgress(
        code=d.code,
        unit_code=d.unit.code,
        unit_name=d.unit.name,
        procedure_name=d.procedure.name,
        initials=initials(d.applicant_name),
        received_on=d.received_on,
        due_on=d.due_on,
        new_due_on=d.new_due_on if d.apology_on else None,
        step=step,
        step_detail=detail,
        result=result,
        timeliness=timeliness,
        late=late,
        closed=not d.is_open,
        steps=tuple(_public_steps(d)),
    )


def _where_now(d: Dossier) -> str:
    """Where a dossier being processed is, in the citizen's words: with whom (by role, never a name), in
    which section of the unit, or at which other agency."""
    if d.holder_user_id and d.holder_user is not None:
        return public_holder(d.holder_user.role)[1]
    if d.holder_id and d.holder_id != d.unit_id and d.holder is not None:
        if d.holder.pk in _own_units(d.unit_id):
            return f"Hồ sơ đang ở {d.holder.name}."
        return f"Hồ sơ đang được giải quyết tại {d.holder.name}."
    return "Hồ sơ đang được giải quyết."


def _own_units(unit_id: int) -> set[int]:
    from cchc.org.selectors import load_graph

    graph = load_graph()
    return scope.unit_ids_own(graph, scope.governing_unit_id(graph, unit_id))


def _handover_label(e: DossierEvent, own: set[int]) -> str:
    """ "Chuyển cho công chức chuyên môn xử lý", "Chuyển về Bộ phận Một cửa", "Chuyển đến Sở Tư pháp"."""
    role = e.data.get("to_role") or ""
    if role:
        return f"Chuyển cho {public_holder(role)[0]}"
    if e.to_unit is None:
        return PUBLIC_STEPS[EventKind.HANDOVER]
    if e.to_unit_id in own:
        return f"Chuyển về {e.to_unit.name}"
    return f"Chuyển hồ sơ đến {e.to_unit.name}"


def _public_steps(d: Dossier) -> list[ProgressStep]:
    """The timeline: the steps logged here, each with its date and, for a hand-over, the receiving agency.
    A dossier imported from the provincial system has no log here: its steps come from its dates."""
    steps: list[ProgressStep] = []
    seen: set[str] = set()
    own = _own_units(d.unit_id)
    for e in d.events.filter(kind__in=list(PUBLIC_STEPS)).select_related("to_unit").order_by("at", "pk"):
        label = PUBLIC_STEPS[e.kind]
        if e.kind == EventKind.HANDOVER:
            label = _handover_label(e, own)
        elif e.kind in (EventKind.SUPPLEMENT_RECEIVED, EventKind.APOLOGY) and e.data.get("new_due_on"):
            label += f" (hẹn trả ngày {format_date(date.fromisoformat(e.data['new_due_on']))})"
        steps.append(ProgressStep(timezone.localtime(e.at).date(), label))
        seen.add(e.kind)
    if EventKind.RECEIVED in seen:
        return steps
    closing = {
        Status.REFUSED: EventKind.REFUSED,
        Status.WITHDRAWN: EventKind.WITHDRAWN,
        Status.STOPPED: EventKind.STOPPED,
    }.get(d.status)
    from_row = [
        (EventKind.RECEIVED, d.received_on),
        (EventKind.APOLOGY, d.apology_on),
        (EventKind.RESULT_READY, d.result_ready_on),
        (EventKind.RETURNED, d.returned_on),
        (closing, d.closed_on if closing else None),
    ]
    steps += [ProgressStep(on, PUBLIC_STEPS[kind]) for kind, on in from_row if on and kind not in seen]
    return sorted(steps, key=lambda s: s.on)
