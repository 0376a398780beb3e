"""Demo: the demo commune's latest complete month (and the running month so far) with every record the
QĐ 766 service-quality index reads.

Xã Sơn Tây's dossiers from the first day of the previous month to today are received at the counter and
moved on through ``cchc.dossiers.services`` (events, supplement counts, audit and summary as in real use):
most resolved early or on time, some paused for a supplement (one asked twice), a few late, a few still
pending past their deadline, some refused or withdrawn; fees paid online or not, papers digitised mostly,
electronic results and portal sync in realistic shares. Deterministic (a fixed seed over dates relative
to today) and idempotent (a dossier already made is not made again; records already known are kept).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from cchc.accounts.actors import DEMO
from cchc.org.models import OrgUnit

MONTH_UNIT = "000.16.21.H42"  # Xã Sơn Tây
MONTH_NOTE = "Hồ sơ minh họa tháng gần nhất (chỉ số QĐ 766)"  # marks the dossiers made here
SEED = 20260766
NAMES = ["Nguyễn Văn", "Trần Thị", "Lê Hữu", "Phạm Thị", "Hoàng Minh", "Võ Thị", "Đặng Quang", "Bùi Thị Thu"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hiếu", "Lan", "Long", "Mai", "Nam", "Oanh", "Phúc", "Sơn", "Tâm", "Yến"]
RESULT_FIELDS = ("e_result", "stored_in_repository")


def month_window(today: date) -> tuple[date, date]:
    """The last complete calendar month before ``today`` and the running month up to ``today``."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1), today


@dataclass
class Planned:
    """One dossier of the month as drawn before anything is written (so the draw never depends on the DB)."""

    received: datetime
    procedure: Any
    channel: str
    name: str
    records: dict[str, Any]
    fate: str
    later: dict[str, Any] = field(default_factory=dict)  # records known once it is finished
    shift: int = 0  # working days early (on time) or late


def intake_records(rng: random.Random, proc: Any, channel: str) -> dict[str, Any]:
    """What the counter knows at receipt: fee (the catalogue's, else the province's rate), online payment,
    digitised papers, reuse, electronic certified copies, VNeID account (online dossiers only)."""
    from cchc.dossiers.services import procedure_fee_amount

    fee = procedure_fee_amount(proc)
    if fee is None:  # "Theo Nghị quyết HĐND tỉnh": the province's rate
        fee = rng.choice([15000, 20000, 30000, 50000])
    online = channel == "truc_tuyen"
    digitised = rng.random() < 0.88
    return {
        "fee_due": fee,
        "paid_online": bool(fee) and rng.random() < (0.75 if online else 0.15),
        "digitised": digitised,
        "reused_data": digitised and rng.random() < 0.4,
        "e_certified_copy": proc.field.code == "CT" and rng.random() < 0.6,
        "vneid_authenticated": online and rng.random() < 0.85,
    }


def result_records(rng: random.Random, finished: bool) -> dict[str, Any]:
    """Portal sync (at receipt) and, for a finished dossier, the electronic result and its storage."""
    values: dict[str, Any] = {"synced_to_portal": rng.random() < 0.93}
    if finished:
        e_result = rng.random() < 0.7
        values.update(e_result=e_result, stored_in_repository=e_result and rng.random() < 0.8)
    return values


def _fate(rng: random.Random, due_passed: bool) -> str:
    if not due_passed:
        return rng.choices(["pending", "ready", "waiting_supplement", "on_time"], [4, 3, 1, 2])[0]
    return rng.choices(
        ["on_time", "paused", "late", "late_apology", "overdue", "refused", "withdrawn"], [70, 9, 4, 4, 6, 4, 3]
    )[0]


def plan(unit: OrgUnit, today: date) -> list[Planned]:
    """The month's dossiers, drawn from a fixed seed and the dates; one is asked for a supplement twice."""
    from cchc.dossiers.models import Procedure
    from cchc.dossiers.rules import due_date
    from cchc.workdays.selectors import get_calendar_for_unit

    start, end = month_window(today)
    cal = get_calendar_for_unit(unit, start)
    procs = [
        p
        for p in Procedure.objects.filter(level="xa").select_related("field").order_by("code")
        if (p.valid_from is None or p.valid_from <= start) and (p.valid_to is None or p.valid_to >= end)
    ]
    weights = [8 if p.time_unit == "trong_ngay" else 5 if p.time_value <= 5 else 2 for p in procs]
    rng = random.Random(f"{SEED}-{start:%Y%m}")
    tz = timezone.get_current_timezone()
    out, day = [], start
    while day <= end and procs:
        for _ in range(rng.choice([1, 1, 2]) if cal.is_working_day(day) else rng.choice([0, 0, 1])):
            proc = rng.choices(procs, weights)[0]
            channel = rng.choices(["truc_tiep", "truc_tuyen", "buu_chinh"], [50, 45, 5])[0]
            if not cal.is_working_day(day):
                channel = "truc_tuyen"  # the counter is closed; the portal is not
            moment = timezone.make_aware(datetime.combine(day, time(rng.randrange(7, 11), rng.choice([5, 20, 40]))), tz)
            # services.compute_due on the one calendar of the window (it would look the province up again).
            due_on, _ = due_date(cal, moment.replace(tzinfo=None), proc.time_unit, proc.time_value, proc.cutoff)
            name = f"{rng.choice(NAMES)} {rng.choice(GIVEN)}"
            fate = _fate(rng, due_on < today)
            records = intake_records(rng, proc, channel)
            later = result_records(rng, fate not in ("pending", "ready", "waiting_supplement", "overdue"))
            out.append(Planned(moment, proc, channel, name, records, fate, later, rng.randrange(0, 3)))
        day += timedelta(days=1)
    # The one asked twice: the first dossier of the month resolved after a pause (else on time).
    twice = next((p for p in out if p.fate == "paused"), None) or next((p for p in out if p.fate == "on_time"), None)
    if twice is not None:
        twice.fate = "twice"
    return out


def month_dossiers(unit: OrgUnit, today: date | None = None, now: datetime | None = None) -> int:
    """Receive and move on the month's planned dossiers not made yet; returns how many were made."""
    from cchc.dossiers.models import Dossier
    from cchc.workdays.selectors import get_calendar_for_unit

    now = timezone.localtime(now) if now else timezone.localtime()
    today = today or now.date()
    start, _ = month_window(today)
    have = set(
        Dossier.objects.filter(unit=unit, note=MONTH_NOTE, received_on__gte=start).values_list(
            "received_at", "applicant_name"
        )
    )
    cal = get_calendar_for_unit(unit, start)
    made = 0
    for planned in plan(unit, today):
        if (planned.received, planned.name) in have or planned.received > now:
            continue
        _make(unit, planned, today, now, cal)
        made += 1
    return made


def _make(unit: OrgUnit, p: Planned, today: date, now: datetime, cal: Any) -> None:
    """One planned dossier: received at the counter, then its fate up to ``now`` (nothing in the future)."""
    from cchc.dossiers.models import EventKind, ReturnMethod
    from cchc.dossiers.services import CLOSING, Applicant, receive, transition, update_records

    tz = timezone.get_current_timezone()
    d = receive(
        DEMO,
        unit=unit,
        procedure=p.procedure,
        channel=p.channel,
        received_at=p.received,
        applicant=Applicant(p.name),
        note=MONTH_NOTE,
        records=p.records,
    )
    day0, method = d.received_on, ReturnMethod.ONLINE if p.channel == "truc_tuyen" else ReturnMethod.COUNTER

    def step(kind: str, day: date, hour: int, **kwargs: Any) -> bool:
        nonlocal d
        moment = timezone.make_aware(datetime.combine(day, time(hour, 30)), tz)
        if moment > now:
            return False  # not yet: the dossier stays where it is
        d = transition(DEMO, d.pk, kind, at=moment, **kwargs)
        return True

    def finish(day: date) -> None:
        if step(EventKind.RESULT_READY, day, 14):
            step(EventKind.RETURNED, day, 16, return_method=method)

    fate, due = p.fate, d.due_on
    if fate in ("paused", "twice", "waiting_supplement"):
        ask, back = day0, day0
        for _ in range(2 if fate == "twice" else 1):
            step(EventKind.SUPPLEMENT_REQUESTED, ask, 15, note="Bổ sung bản sao giấy tờ còn thiếu theo quy định.")
            back = cal.add_working_days(ask, 2)
            if fate == "waiting_supplement" or not step(EventKind.SUPPLEMENT_RECEIVED, back, 9):
                break
            ask = cal.add_working_days(back, 1)
        if fate != "waiting_supplement":
            finish(max(d.due_on, back))  # on time only thanks to the pause
    elif fate == "on_time":
        finish(max(day0, cal.add_working_days(due, -p.shift) if p.shift and due > day0 else due))
    elif fate in ("late", "late_apology"):
        if fate == "late_apology":
            reason = "Cần xác minh thêm tại thực địa."
            step(EventKind.APOLOGY, due, 16, new_due_on=cal.add_working_days(due, 3), note=reason)
        finish(cal.add_working_days(due, 1 + p.shift))
    elif fate in ("refused", "withdrawn"):
        kind = EventKind.REFUSED if fate == "refused" else EventKind.WITHDRAWN
        note = "Hồ sơ không đủ điều kiện giải quyết theo quy định." if fate == "refused" else "Công dân xin rút hồ sơ."
        step(kind, min(due, cal.add_working_days(day0, 1)), 15, note=note)
    elif fate == "ready":
        step(EventKind.RESULT_READY, min(due, today), 8)
    # "pending", "overdue": still being worked on.
    later = {k: v for k, v in p.later.items() if d.status in CLOSING or k not in RESULT_FIELDS}
    update_records(DEMO, d.pk, later)


def fill_records(out: Any = None, today: date | None = None) -> None:
    """Demo step after the public page's: the window's other dossiers of the demo commune (received there
    through the services, so their supplement count is known) get the records still unknown, drawn per code."""
    from cchc.dossiers.models import Dossier
    from cchc.dossiers.services import CLOSING, update_records

    unit = OrgUnit.objects.filter(code=MONTH_UNIT).first()
    if unit is None:
        return
    start, _ = month_window(today or timezone.localdate())
    filled = 0
    others = Dossier.objects.filter(unit=unit, received_on__gte=start).exclude(note=MONTH_NOTE)
    for d in others.select_related("procedure__field").order_by("pk"):
        rng = random.Random(f"{SEED}-{d.code}")
        drawn = {**intake_records(rng, d.procedure, d.channel), **result_records(rng, d.status in CLOSING)}
        unknown = {k: v for k, v in drawn.items() if getattr(d, k) is None}
        if unknown:
            update_records(DEMO, d.pk, unknown)
            filled += 1
    if out is not None:
        out(f"{unit.name}: {filled} hồ sơ khác từ {start:%d/%m/%Y} được ghi số hóa, thanh toán, kết quả điện tử.")
