"""Ghi: tiếp nhận và các bước giải quyết hồ sơ. Every write checks scope, logs a DossierEvent and an audit
row, and keeps the summary table current, in one transaction.

The procedure catalogue's writes (:mod:`cchc.dossiers.procedures`) and the dossier's records for the
QĐ 766 index (:mod:`cchc.dossiers.records`) live beside it; they are re-exported here (``__all__``) so
that ``services.import_procedures``, ``services.update_records``… stay the app's one entry for writes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from cchc.accounts import scope
from cchc.core import audit
from cchc.core.audit import Verb
from cchc.core.text import fold
from cchc.core.vnformat import format_date
from cchc.dossiers import lookupkeys, rules, summary
from cchc.dossiers.models import (
    OPEN_STATUSES,
    Channel,
    DailySequence,
    Dossier,
    DossierEvent,
    EventKind,
    OnlineForm,
    PaperReceived,
    Procedure,
    ReturnMethod,
    Status,
)
from cchc.dossiers.procedures import can_manage_catalogue, import_procedures, save_procedure
from cchc.dossiers.records import (
    INTAKE_RECORD_FIELDS,
    RECORD_FIELDS,
    check_records,
    procedure_fee_amount,
    update_records,
)
from cchc.indicators.services import mark_stale, mark_stale_since
from cchc.org.models import OrgUnit
from cchc.workdays.selectors import get_calendar_for_unit


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


def compute_due(unit: OrgUnit, procedure: Procedure, received_at: datetime) -> tuple[date, datetime | None]:
    """Ngày hẹn trả of a dossier of ``procedure`` received at ``received_at`` (local time) by ``unit``."""
    cal = get_calendar_for_unit(unit, received_at.date())
    return rules.due_date(cal, received_at, procedure.time_unit, procedure.time_value, procedure.cutoff)


def _local(moment: datetime | None) -> datetime:
    moment = moment or timezone.now()
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def next_code(unit: OrgUnit, day: date) -> str:
    """Mã hồ sơ: the unit's next daily number (row lock on the counter, so two counters never share one)."""
    seq, _ = DailySequence.objects.select_for_update().get_or_create(unit=unit, day=day)
    seq.last += 1
    seq.save(update_fields=["last"])
    code = rules.format_code(unit.code, day, seq.last)
    while Dossier.objects.filter(code=code).exists():  # an imported dossier may already use the number
        seq.last += 1
        seq.save(update_fields=["last"])
        code = rules.format_code(unit.code, day, seq.last)
    return code


def _event(
    dossier: Dossier, actor: Any, kind: str, at: datetime, from_status: str = "", note: str = "", **extra: Any
) -> DossierEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    # The full name, as forms 01 and 06 print who received and who handed over.
    label = (getattr(user, "display_name", "") or user.get_username()) if user is not None else str(actor or "")
    data = {k: (v.isoformat() if isinstance(v, date | datetime) else v) for k, v in extra.pop("data", {}).items()}
    return DossierEvent.objects.create(
        dossier=dossier,
        kind=kind,
        at=at,
        user=user,
        actor_label=label,
        from_status=from_status,
        to_status=dossier.status,
        note=note,
        data=data,
        **extra,
    )


@transaction.atomic
def receive(
    actor: Any,
    *,
    unit: OrgUnit,
    procedure: Procedure,
    applicant: Applicant,
    channel: str = Channel.COUNTER,
    online_form: str | None = None,
    received_at: datetime | None = None,
    sets: int = 1,
    papers: list[tuple[str, str, int]] | None = None,
    note: str = "",
    missing: list[str] | None = None,
    missing_reason: str = "",
    records: dict[str, Any] | None = None,
) -> Dossier:
    """Tiếp nhận hồ sơ: code, due date from the procedure and the calendar, the papers, the first event.
    A dossier still missing papers of the procedure (``missing``) is received only with a reason, which
    the receipt event records with the list; otherwise the counter issues form 02 or 03 instead.
    ``records``: what the counter knows of INTAKE_RECORD_FIELDS (None: chưa rõ); the fee defaults from
    the procedure. The dossier starts with 0 supplement requests: this product sees every one from here."""
    scope.require(actor, scope.Action.EDIT, unit)
    missing = _check_intake(channel, applicant, missing, missing_reason)
    at = _local(received_at)
    _check_in_force(procedure, at.date())
    intake = Intake(unit, procedure, applicant, channel, online_form, at, sets, note)
    dossier = _new_dossier(intake, _intake_records(procedure, channel, records))
    PaperReceived.objects.bulk_create(
        PaperReceived(dossier=dossier, name=n, kind=k, count=c) for n, k, c in papers or []
    )
    _log_receipt(dossier, actor, missing, missing_reason.strip())
    summary.apply_change(None, summary.contribution(dossier))
    mark_stale_since(unit, dossier.received_on)
    return dossier


@dataclass(frozen=True)
class Intake:
    """What the counter states of a dossier it receives (:func:`receive`'s arguments, checked)."""

    unit: OrgUnit
    procedure: Procedure
    applicant: Applicant
    channel: str
    online_form: str | None
    at: datetime  # local time
    sets: int
    note: str


def _check_intake(channel: str, applicant: Applicant, missing: list[str] | None, missing_reason: str) -> list[str]:
    """Refuse an unknown channel, a nameless applicant, missing papers without a reason; the papers still
    missing (blank entries dropped)."""
    if channel not in Channel.values:
        raise ValidationError({"channel": "Kênh tiếp nhận không hợp lệ."})
    if not applicant.name.strip():
        raise ValidationError({"applicant_name": "Cần ghi họ tên người nộp hồ sơ."})
    missing = [m for m in missing or [] if m.strip()]
    if missing and not missing_reason.strip():
        raise ValidationError(
            {"missing_reason": "Hồ sơ còn thiếu giấy tờ: cần ghi lý do vẫn tiếp nhận, hoặc hướng dẫn bổ sung."}
        )
    return missing


def _check_in_force(procedure: Procedure, day: date) -> None:
    if (procedure.valid_to and day > procedure.valid_to) or (procedure.valid_from and day < procedure.valid_from):
        raise ValidationError(
            {"procedure": f"Thủ tục {procedure.code} không còn hiệu lực vào ngày {format_date(day)}."}
        )


def _intake_records(procedure: Procedure, channel: str, records: dict[str, Any] | None) -> dict[str, Any]:
    """The known INTAKE_RECORD_FIELDS (None dropped: chưa rõ), the fee from the catalogue unless given."""
    records = {k: v for k, v in (records or {}).items() if v is not None}
    if set(records) - set(INTAKE_RECORD_FIELDS):
        raise ValidationError("Khi tiếp nhận chỉ ghi được phí, thanh toán, số hóa và tài khoản VNeID.")
    if "fee_due" not in records:
        records["fee_due"] = procedure_fee_amount(procedure)
    check_records(Dossier(channel=channel), records)
    return records


def _new_dossier(intake: Intake, records: dict[str, Any]) -> Dossier:
    """The dossier row: its code, due date (the procedure's time on the unit's calendar), register line."""
    unit, procedure, applicant, at = intake.unit, intake.procedure, intake.applicant, intake.at
    day = at.date()
    due_on, due_at = compute_due(unit, procedure, at.replace(tzinfo=None))
    if due_at is not None and timezone.is_naive(due_at):
        due_at = timezone.make_aware(due_at)
    register_line = Dossier.objects.filter(unit=unit, received_on__year=day.year).count() + 1
    return Dossier.objects.create(
        code=next_code(unit, day),
        lookup_key=lookupkeys.new_key(),
        unit=unit,
        procedure=procedure,
        field_id=procedure.field_id,
        channel=intake.channel,
        online_form=procedure.online_form if intake.online_form is None else intake.online_form,
        applicant_name=applicant.name.strip(),
        applicant_folded=fold(applicant.name)[:200],
        applicant_id_number=applicant.id_number.strip(),
        applicant_address=applicant.address.strip(),
        applicant_phone=applicant.phone.strip(),
        applicant_email=applicant.email.strip(),
        sets=intake.sets,
        register_line=register_line,
        received_at=at,
        received_on=day,
        original_due_on=due_on,
        due_on=due_on,
        due_at=due_at,
        holder=unit,
        note=intake.note,
        supplement_requests=0,
        **records,
    )


def _log_receipt(dossier: Dossier, actor: Any, missing: list[str], missing_reason: str) -> None:
    """The RECEIVED event (with what was still missing and why) and the audit row."""
    received = {"due_on": dossier.due_on, "procedure": dossier.procedure.code, "channel": dossier.channel}
    if missing:
        received.update(missing=missing, missing_reason=missing_reason)
    _event(
        dossier,
        actor,
        EventKind.RECEIVED,
        dossier.received_at,
        to_unit=dossier.unit,
        note=f"Tiếp nhận khi còn thiếu: {'; '.join(missing)}. Lý do: {missing_reason}" if missing else "",
        data=received,
    )
    audit.record(
        actor,
        Verb.DOSSIER_RECEIVE,
        dossier,
        unit=dossier.unit,
        data={"code": dossier.code, "due_on": dossier.due_on.isoformat()},
    )


class CounterSlip(models.TextChoices):
    """What the counter hands a citizen whose dossier it does not receive (no code, nothing counted)."""

    GUIDANCE = "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)"
    REFUSAL = "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu 03)"


@transaction.atomic
def record_counter_slip(
    actor: Any, *, unit: OrgUnit, procedure: Procedure, applicant_name: str, slip: str, missing: list[str], reason: str
) -> None:
    """Ghi nhận việc hướng dẫn bổ sung (mẫu 02) hoặc từ chối tiếp nhận (mẫu 03) tại quầy: no dossier is
    created (the citizen takes the papers home), but the fact stays in the audit trail with its reason."""
    scope.require(actor, scope.Action.EDIT, unit)
    if slip not in CounterSlip.values:
        raise ValidationError("Phiếu không hợp lệ.")
    if slip == CounterSlip.REFUSAL and not reason.strip():
        raise ValidationError({"refusal_reason": "Cần ghi lý do từ chối tiếp nhận hồ sơ."})
    if slip == CounterSlip.GUIDANCE and not missing and not reason.strip():
        raise ValidationError({"refusal_reason": "Cần ghi nội dung cần bổ sung, hoàn thiện."})
    audit.record(
        actor,
        Verb.COUNTER_GUIDANCE if slip == CounterSlip.GUIDANCE else Verb.COUNTER_REFUSAL,
        ("dossiers.procedure", procedure.code),
        unit=unit,
        data={"procedure": procedure.code, "applicant": applicant_name.strip(), "missing": missing, "reason": reason},
    )


def _first_changed_day(before: dict, after: dict) -> date | None:
    """The first day whose summary figures differ between two contributions of one dossier."""

    def nonzero(cols: dict | None) -> dict:
        return {k: v for k, v in (cols or {}).items() if v}

    days = [key[3] for key in set(before) | set(after) if nonzero(before.get(key)) != nonzero(after.get(key))]
    return min(days, default=None)


def issue_lookup_key(dossier: Dossier, actor: Any = "giấy tiếp nhận") -> str:
    """The dossier's mã tra cứu, issued now if it has none (an imported dossier, when its receipt is first
    printed here). Two printers at once get the same key: only an empty key is ever written."""
    if dossier.lookup_key:
        return dossier.lookup_key
    with transaction.atomic():
        issued = Dossier.objects.filter(pk=dossier.pk, lookup_key="").update(lookup_key=lookupkeys.new_key())
        dossier.lookup_key = Dossier.objects.values_list("lookup_key", flat=True).get(pk=dossier.pk)
        if issued:
            # The key itself stays out of the audit trail: it is a secret of the applicant.
            audit.record(actor, Verb.DOSSIER_ISSUE_LOOKUP_KEY, dossier, unit=dossier.unit, data={"code": dossier.code})
            mark_stale(dossier.unit_id, dossier.received_on)  # one more dossier citizens can follow
    return dossier.lookup_key


class TransitionRefused(ValidationError):
    """A step that the dossier's state does not allow."""


# kind → (statuses it may start from, status it leads to (None: unchanged), label of the action button)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None, str]] = {
    EventKind.HANDOVER: (frozenset({Status.PROCESSING}), None, "Chuyển hồ sơ"),
    EventKind.SUPPLEMENT_REQUESTED: (frozenset({Status.PROCESSING}), Status.SUPPLEMENT, "Yêu cầu bổ sung"),
    EventKind.SUPPLEMENT_RECEIVED: (frozenset({Status.SUPPLEMENT}), Status.PROCESSING, "Nhận hồ sơ bổ sung"),
    EventKind.SUSPENDED: (frozenset({Status.PROCESSING}), Status.SUSPENDED, "Tạm dừng"),
    EventKind.RESUMED: (frozenset({Status.SUSPENDED}), Status.PROCESSING, "Tiếp tục giải quyết"),
    EventKind.REFUSED: (
        frozenset({Status.PROCESSING, Status.SUPPLEMENT, Status.SUSPENDED}),
        Status.REFUSED,
        "Từ chối giải quyết",
    ),
    EventKind.WITHDRAWN: (
        frozenset({Status.PROCESSING, Status.SUPPLEMENT, Status.SUSPENDED}),
        Status.WITHDRAWN,
        "Công dân rút hồ sơ",
    ),
    EventKind.STOPPED: (frozenset({Status.PROCESSING, Status.SUSPENDED}), Status.STOPPED, "Dừng giải quyết"),
    EventKind.APOLOGY: (frozenset(OPEN_STATUSES), None, "Xin lỗi, hẹn lại ngày trả"),
    EventKind.RESULT_READY: (frozenset({Status.PROCESSING}), Status.RESULT_READY, "Có kết quả"),
    EventKind.RETURNED: (frozenset({Status.RESULT_READY}), Status.RETURNED, "Trả kết quả"),
}
CLOSING = {Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED}


def allowed_actions(dossier: Dossier) -> list[tuple[str, str]]:
    """(kind, label) of the steps the dossier's state allows now (the apology only once)."""
    out = []
    for kind, (sources, _, label) in TRANSITIONS.items():
        if dossier.status in sources and not (kind == EventKind.APOLOGY and dossier.apology_on):
            out.append((kind, label))
    return out


@transaction.atomic
def transition(
    actor: Any,
    dossier_id: int,
    kind: str,
    *,
    at: datetime | None = None,
    note: str = "",
    to_unit: OrgUnit | None = None,
    new_due_on: date | None = None,
    return_method: str = "",
    to_user: Any = None,
) -> Dossier:
    """Thực hiện một bước trên hồ sơ. Refuses a step the current state does not allow; the due date
    moves only on SUPPLEMENT_RECEIVED (by the working days the clock was paused), logged with both dates.
    A hand-over goes to a person of the unit (``to_user``) or to an agency (``to_unit``)."""
    dossier = scope.access(Dossier.objects.select_for_update(), actor, scope.Action.VIEW, pk=dossier_id)
    target = _allowed_step(actor, dossier, kind)
    moment = _local(at)
    if moment.date() < dossier.received_on:
        raise TransitionRefused("Ngày thực hiện không được trước ngày tiếp nhận hồ sơ.")
    step = Step(dossier, actor, kind, moment.date(), note, to_unit, to_user, new_due_on, return_method)
    before = summary.contribution(dossier)
    from_status = dossier.status
    effect = STEP_EFFECTS.get(kind)
    if effect is not None:
        effect(step)
    if kind in (EventKind.REFUSED, EventKind.STOPPED) and not step.note.strip():
        raise TransitionRefused("Cần ghi rõ lý do.")
    if target is not None:
        dossier.status = target
    if dossier.status in CLOSING:
        dossier.closed_on = step.day
    dossier.save()
    _event(dossier, actor, kind, moment, from_status=from_status, note=step.note, data=step.data, **step.sides)
    audit.record(
        actor,
        Verb(f"dossiers.{kind}"),  # one member per step: DOSSIER_HANDOVER, DOSSIER_REFUSED…
        dossier,
        unit=dossier.unit,
        data={"code": dossier.code, "from": from_status, "to": dossier.status, **_counted(kind, dossier)},
    )
    _refresh_summary(dossier, before)
    return dossier


def _allowed_step(actor: Any, dossier: Dossier, kind: str) -> str | None:
    """The status step ``kind`` leads to (None: unchanged), after checking that ``actor`` may take it and
    that the dossier's state allows it."""
    if not can_act(actor, dossier, kind):
        scope.require(actor, scope.Action.EDIT, dossier.unit_id)
    if kind not in TRANSITIONS:
        raise TransitionRefused("Bước xử lý không hợp lệ.")
    sources, target, label = TRANSITIONS[kind]
    if dossier.status not in sources:
        raise TransitionRefused(
            f"Không thể “{label.lower()}” khi hồ sơ đang ở trạng thái “{dossier.get_status_display().lower()}”."
        )
    return target


@dataclass
class Step:
    """One step being taken (:func:`transition`'s arguments); its effect fills ``data`` (the event's
    details) and ``sides`` (who gives and who receives, for a hand-over) and may write the note."""

    dossier: Dossier
    actor: Any
    kind: str
    day: date
    note: str
    to_unit: OrgUnit | None
    to_user: Any
    new_due_on: date | None
    return_method: str
    data: dict[str, Any] = field(default_factory=dict)
    sides: dict[str, Any] = field(default_factory=dict)


def _supplement_requested(step: Step) -> None:
    if not step.note.strip():
        raise TransitionRefused("Cần ghi rõ nội dung yêu cầu bổ sung.")
    dossier = step.dossier
    step.data["paused_from"] = step.day
    # Counted here, in the step's transaction; more than one makes the dossier late in the QĐ 766 index.
    # An imported dossier with an unknown count (NULL) starts from the one being recorded now.
    dossier.supplement_requests = (dossier.supplement_requests or 0) + 1
    step.data["supplement_requests"] = dossier.supplement_requests


def _supplement_received(step: Step) -> None:
    """The clock restarts: the due date moves by the working days it was paused."""
    dossier, day = step.dossier, step.day
    started = dossier.events.filter(kind=EventKind.SUPPLEMENT_REQUESTED).order_by("-at", "-pk").first()
    paused_from = date.fromisoformat(started.data["paused_from"]) if started else day
    cal = get_calendar_for_unit(dossier.unit, dossier.received_on)
    paused = max(cal.working_days_between(paused_from, day), 0)
    old_due = dossier.due_on
    dossier.due_on = cal.add_working_days(old_due, paused) if paused else old_due
    dossier.paused_days += paused
    step.data.update(paused_from=paused_from, paused_working_days=paused, old_due_on=old_due, new_due_on=dossier.due_on)
    step.note = step.note or (
        f"Tạm dừng tính thời hạn {paused} ngày làm việc; ngày hẹn trả dời từ "
        f"{format_date(old_due)} sang {format_date(dossier.due_on)}."
    )


def _apology(step: Step) -> None:
    dossier = step.dossier
    if dossier.apology_on:
        raise TransitionRefused("Hồ sơ đã có văn bản xin lỗi; chỉ xin lỗi một lần.")
    if step.new_due_on is None or step.new_due_on <= dossier.due_on:
        raise TransitionRefused("Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại.")
    if not step.note.strip():
        raise TransitionRefused("Cần ghi lý do chậm trả kết quả.")
    dossier.apology_on, dossier.new_due_on = step.day, step.new_due_on
    step.data.update(due_on=dossier.due_on, new_due_on=step.new_due_on)


def _result_ready(step: Step) -> None:
    step.dossier.result_ready_on = step.day


def _returned(step: Step) -> None:
    dossier = step.dossier
    if step.return_method not in ReturnMethod.values:
        raise TransitionRefused("Cần chọn hình thức trả kết quả (tại quầy, bưu chính, trực tuyến).")
    dossier.returned_on, dossier.return_method = step.day, step.return_method
    # Measured against the due date, not the apology's new date: a late dossier stays late.
    dossier.outcome = rules.classify(step.day, dossier.due_on)
    step.data.update(outcome=dossier.outcome, due_on=dossier.due_on)


def _refresh_summary(dossier: Dossier, before: dict) -> None:
    """Move the dossier's summary rows from ``before`` to what it counts now; stale figures from the first
    changed day on."""
    after = summary.contribution(dossier)
    summary.apply_change(before, after)
    changed = _first_changed_day(before, after)
    if changed is not None:
        # A stock moved too (pending, overdue): every period ending from that day on is affected.
        mark_stale_since(dossier.unit_id, changed)


def _counted(kind: str, dossier: Dossier) -> dict[str, int]:
    """The supplement count a request step set, for its audit row (the index reads it)."""
    if kind == EventKind.SUPPLEMENT_REQUESTED:
        return {"supplement_requests": dossier.supplement_requests}
    return {}


def can_act(actor: Any, dossier: Dossier, kind: str) -> bool:
    """Whether ``actor`` may take step ``kind`` on ``dossier``: an officer who edits the unit's records, or
    the person the dossier was handed to (a leader, who does not edit, hands it back or records the
    result)."""
    if scope.can(actor, scope.Action.EDIT, dossier.unit_id):
        return True
    holder = dossier.holder_user_id
    return holder is not None and holder == getattr(actor, "pk", None) and kind in HOLDER_STEPS


HOLDER_STEPS = frozenset({EventKind.HANDOVER, EventKind.RESULT_READY})


def _handover(step: Step) -> None:
    """Move the dossier to a person of its unit or to an agency; logs both sides (unit and person)."""
    from cchc.dossiers.selectors import unit_people

    dossier, to_unit, to_user = step.dossier, step.to_unit, step.to_user
    if to_user is not None:
        if not unit_people(dossier.unit).filter(pk=to_user.pk).exists():
            raise TransitionRefused("Người nhận phải là cán bộ, công chức đang làm việc của đơn vị giải quyết hồ sơ.")
        to_unit = to_user.unit
    if to_unit is None:
        raise TransitionRefused("Cần chọn người hoặc cơ quan nhận hồ sơ.")
    holder = dossier.holder or dossier.unit
    if to_unit.pk == holder.pk and getattr(to_user, "pk", None) == dossier.holder_user_id:
        who = dossier.holder_user.display_name if dossier.holder_user_id else holder.name
        raise TransitionRefused(f"Hồ sơ đang ở {who}; hãy chọn người hoặc cơ quan khác.")
    giver = step.actor if getattr(step.actor, "is_authenticated", False) else None
    step.sides.update(from_unit=holder, to_unit=to_unit, from_user=giver, to_user=to_user)
    step.data.update(to_role=getattr(to_user, "role", ""))
    dossier.holder, dossier.holder_user = to_unit, to_user


# kind → what the step does to the dossier besides its status (the other steps only change the status)
STEP_EFFECTS: dict[str, Callable[[Step], None]] = {
    EventKind.HANDOVER: _handover,
    EventKind.SUPPLEMENT_REQUESTED: _supplement_requested,
    EventKind.SUPPLEMENT_RECEIVED: _supplement_received,
    EventKind.APOLOGY: _apology,
    EventKind.RESULT_READY: _result_ready,
    EventKind.RETURNED: _returned,
}


__all__ = [
    "INTAKE_RECORD_FIELDS",
    "RECORD_FIELDS",
    "Applicant",
    "CounterSlip",
    "OnlineForm",
    "TransitionRefused",
    "allowed_actions",
    "can_act",
    "can_manage_catalogue",
    "check_records",
    "compute_due",
    "import_procedures",
    "issue_lookup_key",
    "procedure_fee_amount",
    "receive",
    "record_counter_slip",
    "save_procedure",
    "transition",
    "update_records",
]
