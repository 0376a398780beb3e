"""Demo: the one-stop desks of the demo communes, published; and a month of live dossiers up to today.

The dossiers of the dossiers demo stop at a fixed date; the public results page and the board need
dossiers received, resolved and waiting to be collected *today*. They are received and moved through
``cchc.dossiers.services`` (so the summary table, the events and the audit trail are as in real use),
deterministically (a fixed seed, dates relative to today) and only once: a unit that already has demo
dossiers of the last weeks gets none again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
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
    from cchc.dossiers.models import Dossier
    from cchc.workdays.selectors import get_calendar_for_unit

    now = timezone.localtime(now) if now else timezone.localtime()
    today = today or now.date()
    if Dossier.objects.filter(unit=unit, note=LIVE_NOTE, received_on__gte=today - timedelta(days=60)).exists():
        return 0
    cal = get_calendar_for_unit(unit, today)
    days = _working_days(cal, today, LIVE_WORKING_DAYS)
    procs = _live_procedures(days[0], today)
    if not procs:
        return 0
    live = _Live(unit, today, now - timedelta(minutes=2), cal, random.Random(f"{SEED}-{unit.code}"), _actor(unit))
    live.procs = procs
    live.weights = [12 if p.time_unit == "trong_ngay" else 6 if p.time_value <= 5 else 2 for p in procs]
    made = 0
    with transaction.atomic():
        for day in days:
            for _ in range(live.rng.randint(1, 3) if day != today else 3):
                d = live.receive(day)
                if d is not None:
                    made += 1
                    live.move_on(d, day)
        live.ready_today()
    return made


def _live_procedures(first: date, today: date) -> list[Any]:
    """The commune procedures in force over the whole span, in code order (the draw depends on it)."""
    from cchc.dossiers.models import Procedure

    return [
        p
        for p in Procedure.objects.filter(level="xa").order_by("code")
        if (p.valid_from is None or p.valid_from <= first) and (p.valid_to is None or p.valid_to >= today)
    ]


@dataclass
class _Live:
    """One run of ``live_dossiers`` for a unit: the clock, the seeded draw and the clerk every step uses. The
    order of the draws is the demo's data: a change of order changes every dossier after it."""

    unit: OrgUnit
    today: date
    latest: datetime  # a moment of today is never later than this (a little before now)
    cal: Any
    rng: random.Random
    actor: Any
    procs: list[Any] = field(default_factory=list)
    weights: list[int] = field(default_factory=list)

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        tz = timezone.get_current_timezone()
        moment = timezone.make_aware(datetime.combine(day, time(hour, minute)), tz)
        if day == self.today:  # never in the future, never before the day began
            moment = max(min(moment, self.latest), timezone.make_aware(datetime.combine(day, time(0, 1)), tz))
        return moment

    def step(self, dossier: Any, kind: str, day: date, hour: int, **kwargs: Any) -> Any:
        from cchc.dossiers.services import transition

        return transition(
            self.actor, dossier.pk, kind, at=self.at(day, hour, self.rng.choice([5, 20, 35, 50])), **kwargs
        )

    def receive(self, day: date) -> Any:
        """A dossier received on ``day`` (None when the drawn hour is not yet reached today)."""
        from cchc.dossiers.models import Channel
        from cchc.dossiers.services import Applicant, receive

        rng = self.rng
        proc = rng.choices(self.procs, self.weights)[0]
        channel = rng.choices([Channel.COUNTER, Channel.ONLINE, Channel.POST], [55, 40, 5])[0]
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        received = self.at(day, rng.randrange(7, 11), rng.choice([0, 10, 25, 40, 55]))
        if received.date() != day:
            return None
        return receive(
            self.actor,
            unit=self.unit,
            procedure=proc,
            channel=channel,
            received_at=received,
            applicant=Applicant(name=name, phone=f"09{rng.randrange(10**7, 10**8)}"),
            note=LIVE_NOTE,
        )

    def move_on(self, d: Any, day: date) -> None:
        """The dossier's steps after its intake on ``day``: settled by its deadline when that has passed."""
        from cchc.dossiers.models import Channel, EventKind, ReturnMethod

        by_channel = {Channel.POST: ReturnMethod.POST, Channel.ONLINE: ReturnMethod.ONLINE}
        method = by_channel.get(d.channel, ReturnMethod.COUNTER) if self.rng.random() < 0.5 else ReturnMethod.COUNTER
        due, luck = d.due_on, self.rng.random()
        if due < self.today:
            self._past_deadline(d, day, method, luck)
        elif luck < 0.35 and day < self.today:  # result ready today, not yet collected
            self.step(d, EventKind.RESULT_READY, self.today, 8)
        elif luck < 0.5 and day < self.today:  # done before the deadline
            self.step(d, EventKind.RESULT_READY, day, 14)
            returned = min(self.cal.add_working_days(day, 1), self.today)
            self.step(d, EventKind.RETURNED, returned, 9, return_method=method)
        elif luck < 0.55 and day < self.today:
            self.step(d, EventKind.SUPPLEMENT_REQUESTED, day, 15, note="Bổ sung bản sao giấy tờ tùy thân.")

    def _past_deadline(self, d: Any, day: date, method: str, luck: float) -> None:
        from cchc.dossiers.models import EventKind

        due, cal = d.due_on, self.cal
        if luck < 0.72:  # early or on time
            early = cal.add_working_days(due, -self.rng.randrange(0, 3)) if due > day else due
            ready = max(d.received_on, early)
            self.step(d, EventKind.RESULT_READY, ready, 13)
            self.step(d, EventKind.RETURNED, ready, 15, return_method=method)
        elif luck < 0.84:  # late, with an apology and a new date
            new_due = cal.add_working_days(due, 3)
            self.step(d, EventKind.APOLOGY, due, 9, new_due_on=new_due, note="Hồ sơ cần xác minh thêm tại thực địa.")
            late = min(cal.add_working_days(due, self.rng.randint(1, 2)), self.today)
            self.step(d, EventKind.RESULT_READY, late, 10)
            if late < self.today:
                self.step(d, EventKind.RETURNED, late, 15, return_method=method)
        elif luck < 0.90:  # late, no apology
            late = min(cal.add_working_days(due, 1), self.today)
            self.step(d, EventKind.RESULT_READY, late, 10)
            self.step(d, EventKind.RETURNED, late, 15, return_method=method)
        elif luck < 0.95:  # the result waits to be collected since an earlier day
            self.step(d, EventKind.RESULT_READY, due, 14)
        # else: still being worked on, overdue

    def ready_today(self) -> None:
        """The draw depends on the date: make sure the board always has a few results ready today, from the
        latest dossiers still being worked on within their deadline."""
        from cchc.dossiers.models import Dossier, EventKind, Status

        mine = Dossier.objects.filter(unit=self.unit, note=LIVE_NOTE)
        ready = mine.filter(result_ready_on=self.today).count()
        waiting = mine.filter(status=Status.PROCESSING, received_on__lt=self.today, due_on__gte=self.today)
        for d in waiting.order_by("-received_on", "-code")[: max(0, READY_TODAY - ready)]:
            self.step(d, EventKind.RESULT_READY, self.today, 8)
