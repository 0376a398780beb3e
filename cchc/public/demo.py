"""Demo: the one-stop desks of the demo communes, published; and a month of live dossiers up to today.

The dossiers of the dossiers demo stop at a fixed date; the public results page and the board need
dossiers received, resolved and waiting to be collected *today*. They are received and moved through
``cchc.dossiers.services`` (so the summary table, the events and the audit trail are as in real use),
deterministically (a fixed seed, dates relative to today) and only once: a unit that already has demo
dossiers of the last weeks gets none again.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from cchc.accounts.actors import DEMO
from cchc.org.models import Level, OrgUnit
from cchc.public.models import ServiceDesk

HOURS = "Sáng 7h30 - 11h30, chiều 13h30 - 17h00, từ thứ Hai đến thứ Sáu; sáng thứ Bảy 7h30 - 11h30"
LIVE_UNITS = ("000.16.21.H42", "000.00.62.H42")  # Xã Sơn Tây, Xã Sơn Giang
LIVE_NOTE = "Hồ sơ minh họa của trang công khai"  # marks the dossiers this step made (idempotence)
LIVE_WORKING_DAYS = 30
READY_TODAY = 3  # results waiting to be collected today, at least: the board is never empty in the demo
SEED = 20261123

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Thị Thu", "Minh", "Quang", "Thanh", "Thị Hồng", "Xuân"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quý",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vân",
    "Yến",
]


def _lower_kind(name: str) -> str:
    """ "Xã Sơn Tây" → "xã Sơn Tây", as it reads inside a sentence."""
    kind, _, rest = name.partition(" ")
    return f"{kind.lower()} {rest}" if rest else name


def run(out) -> None:
    made = 0
    for index, unit in enumerate(OrgUnit.objects.filter(level=Level.COMMUNE).order_by("code"), start=1):
        place = _lower_kind(unit.name)
        _, created = ServiceDesk.objects.get_or_create(
            unit=unit,
            defaults={
                "name": f"Bộ phận Một cửa UBND {place}",
                "address": f"Trụ sở UBND {place}, tỉnh Hà Tĩnh",
                "phone": f"0239 3{870000 + index:06d}",
                "opening_hours": HOURS,
            },
        )
        made += created
    out(f"{made} nơi tiếp nhận hồ sơ công khai")
    for code in LIVE_UNITS:
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            continue
        count = live_dossiers(unit)
        out(
            f"{unit.name}: {count} hồ sơ minh họa 30 ngày làm việc gần nhất"
            if count
            else f"{unit.name}: đã có hồ sơ minh họa gần đây"
        )


def _actor(unit: OrgUnit) -> Any:
    """The demo one-stop clerk who may receive for ``unit``; else the console actor."""
    from django.contrib.auth import get_user_model

    from cchc.accounts import scope
    from cchc.accounts.models import Role

    for user in get_user_model().objects.filter(role=Role.ONE_STOP_CLERK, is_active=True).order_by("username"):
        if scope.can(user, scope.Action.EDIT, unit):
            return user
    return DEMO


def _working_days(cal: Any, today: date, n: int) -> list[date]:
    days, day = [], today
    while len(days) < n:
        if cal.is_working_day(day):
            days.append(day)
        day -= timedelta(days=1)
    return sorted(days)


def live_dossiers(unit: OrgUnit, today: date | None = None, now: datetime | None = None) -> int:
    """Receive about sixty dossiers for ``unit`` over the last 30 working days and move them on:
    most returned early or on time, some late (some of those with an apology), several with their result
    ready today, the latest still being worked on. Returns how many were made (0: already there)."""
    from cchc.dossiers.models import Channel, Dossier, EventKind, Procedure, ReturnMethod, Status
    from cchc.dossiers.services import Applicant, receive, transition
    from cchc.workdays.selectors import get_calendar_for_unit

    now = timezone.localtime(now) if now else timezone.localtime()
    today = today or now.date()
    if Dossier.objects.filter(unit=unit, note=LIVE_NOTE, received_on__gte=today - timedelta(days=60)).exists():
        return 0
    cal = get_calendar_for_unit(unit, today)
    days = _working_days(cal, today, LIVE_WORKING_DAYS)
    procs = [
        p
        for p in Procedure.objects.filter(level="xa").order_by("code")
        if (p.valid_from is None or p.valid_from <= days[0]) and (p.valid_to is None or p.valid_to >= today)
    ]
    if not procs:
        return 0
    weights = [12 if p.time_unit == "trong_ngay" else 6 if p.time_value <= 5 else 2 for p in procs]
    rng = random.Random(f"{SEED}-{unit.code}")
    actor = _actor(unit)
    tz = timezone.get_current_timezone()
    latest = now - timedelta(minutes=2)

    def at(day: date, hour: int, minute: int = 0) -> datetime:
        moment = timezone.make_aware(datetime.combine(day, time(hour, minute)), tz)
        if day == today:  # never in the future, never before the day began
            moment = max(min(moment, latest), timezone.make_aware(datetime.combine(day, time(0, 1)), tz))
        return moment

    def step(dossier: Any, kind: str, day: date, hour: int, **kwargs: Any) -> Any:
        return transition(actor, dossier.pk, kind, at=at(day, hour, rng.choice([5, 20, 35, 50])), **kwargs)

    made = 0
    with transaction.atomic():
        for day in days:
            for _ in range(rng.randint(1, 3) if day != today else 3):
                proc = rng.choices(procs, weights)[0]
                channel = rng.choices([Channel.COUNTER, Channel.ONLINE, Channel.POST], [55, 40, 5])[0]
                name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                received = at(day, rng.randrange(7, 11), rng.choice([0, 10, 25, 40, 55]))
                if received.date() != day:
                    continue
                d = receive(
                    actor,
                    unit=unit,
                    procedure=proc,
                    channel=channel,
                    received_at=received,
                    applicant=Applicant(name=name, phone=f"09{rng.randrange(10**7, 10**8)}"),
                    note=LIVE_NOTE,
                )
                made += 1
                method = (
                    {Channel.POST: ReturnMethod.POST, Channel.ONLINE: ReturnMethod.ONLINE}.get(
                        channel, ReturnMethod.COUNTER
                    )
                    if rng.random() < 0.5
                    else ReturnMethod.COUNTER
                )
                due, luck = d.due_on, rng.random()
                if due < today:  # the deadline has passed
                    if luck < 0.72:  # early or on time
                        early = cal.add_working_days(due, -rng.randrange(0, 3)) if due > day else due
                        ready = max(d.received_on, early)
                        step(d, EventKind.RESULT_READY, ready, 13)
                        step(d, EventKind.RETURNED, ready, 15, return_method=method)
                    elif luck < 0.84:  # late, with an apology and a new date
                        step(
                            d,
                            EventKind.APOLOGY,
                            due,
                            9,
                            new_due_on=cal.add_working_days(due, 3),
                            note="Hồ sơ cần xác minh thêm tại thực địa.",
                        )
                        late = min(cal.add_working_days(due, rng.randint(1, 2)), today)
                        step(d, EventKind.RESULT_READY, late, 10)
                        if late < today:
                            step(d, EventKind.RETURNED, late, 15, return_method=method)
                    elif luck < 0.90:  # late, no apology
                        late = min(cal.add_working_days(due, 1), today)
                        step(d, EventKind.RESULT_READY, late, 10)
                        step(d, EventKind.RETURNED, late, 15, return_method=method)
                    elif luck < 0.95:  # the result waits to be collected since an earlier day
                        step(d, EventKind.RESULT_READY, due, 14)
                    # else: still being worked on, overdue
                elif luck < 0.35 and day < today:  # result ready today, not yet collected
                    step(d, EventKind.RESULT_READY, today, 8)
                elif luck < 0.5 and day < today:  # done before the deadline
                    step(d, EventKind.RESULT_READY, day, 14)
                    step(d, EventKind.RETURNED, min(cal.add_working_days(day, 1), today), 9, return_method=method)
                elif luck < 0.55 and day < today:
                    step(d, EventKind.SUPPLEMENT_REQUESTED, day, 15, note="Bổ sung bản sao giấy tờ tùy thân.")
        # The draw above depends on the date: make sure the board always has a few results ready today,
        # from the latest dossiers still being worked on within their deadline.
        ready_today = Dossier.objects.filter(unit=unit, note=LIVE_NOTE, result_ready_on=today).count()
        waiting = Dossier.objects.filter(
            unit=unit,
            note=LIVE_NOTE,
            status=Status.PROCESSING,
            received_on__lt=today,
            due_on__gte=today,
        ).order_by("-received_on", "-code")
        for d in waiting[: max(0, READY_TODAY - ready_today)]:
            step(d, EventKind.RESULT_READY, today, 8)
    return made
