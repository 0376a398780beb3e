"""Sổ tiếp nhận phản ánh, kiến nghị: register, forward, answer — scoped and audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from cchc.accounts import scope
from cchc.core import audit
from cchc.core.audit import Verb
from cchc.core.errors import FieldError
from cchc.feedback.models import FeedbackItem, Handling
from cchc.feedback.rules import channel_choices, handling_working_days
from cchc.indicators.services import mark_stale_days


class FeedbackError(FieldError):
    """Lỗi dữ liệu của ứng dụng feedback."""


def default_deadline(unit, received_on: date, handling: str = Handling.HANDLE) -> date:
    """Received + the working days of the handling kind (data file) on the unit's calendar (xử lý 15, từ
    chối 2, đề nghị bổ sung 5); calendar days at 7/5 of them if the date is out of the calendar's range."""
    from cchc.workdays.calendar_engine import CalendarRangeError
    from cchc.workdays.selectors import get_calendar_for_unit

    days = handling_working_days(handling)
    try:
        return get_calendar_for_unit(unit, received_on).add_working_days(received_on, days)
    except CalendarRangeError:
        return received_on + timedelta(days=days * 7 // 5)


@dataclass
class FeedbackData:
    received_on: date
    channel: str
    citizen_name: str
    content: str
    about_admin_rule: bool = True
    citizen_contact: str = ""
    responsible: str = ""
    deadline: date | None = None
    forwarded_to: str = ""
    forwarded_on: date | None = None
    answer: str = ""
    answered_on: date | None = None
    handling: str = Handling.HANDLE
    satisfied: bool | None = None  # the sender's rating of the answer; None: not rated
    dossier_code: str = ""


def check(data: FeedbackData, today: date) -> None:
    """Raise FeedbackError on the first field a user must correct (checked in the form's order)."""
    _check_received(data, today)
    _check_dates(data, today)
    _check_follow_up(data)


def _check_received(data: FeedbackData, today: date) -> None:
    """Ngày tiếp nhận, hình thức, người phản ánh, nội dung."""
    if data.received_on is None:
        raise FeedbackError("received_on", "Cần nhập ngày tiếp nhận.")
    if data.received_on > today:
        raise FeedbackError("received_on", "Ngày tiếp nhận không được sau ngày hôm nay.")
    if data.channel not in dict(channel_choices()):
        raise FeedbackError("channel", "Hình thức tiếp nhận không hợp lệ.")
    if not data.citizen_name.strip():
        raise FeedbackError("citizen_name", "Cần ghi tên cá nhân, tổ chức phản ánh.")
    if not data.content.strip():
        raise FeedbackError("content", "Cần ghi nội dung phản ánh, kiến nghị.")


def _check_dates(data: FeedbackData, today: date) -> None:
    """Hạn xử lý, ngày chuyển, ngày trả lời: none before the day received; the last two not in the future."""
    if data.deadline is not None and data.deadline < data.received_on:
        raise FeedbackError("deadline", "Hạn xử lý không được trước ngày tiếp nhận.")
    for field, day, label in (
        ("forwarded_on", data.forwarded_on, "Ngày chuyển"),
        ("answered_on", data.answered_on, "Ngày trả lời"),
    ):
        if day is not None and day < data.received_on:
            raise FeedbackError(field, f"{label} không được trước ngày tiếp nhận.")
        if day is not None and day > today:
            raise FeedbackError(field, f"{label} không được sau ngày hôm nay.")


def _check_follow_up(data: FeedbackData) -> None:
    """Chuyển và trả lời come with both their date and their text; the handling kind; satisfaction once answered."""
    if data.forwarded_on and not data.forwarded_to.strip():
        raise FeedbackError("forwarded_to", "Cần ghi cơ quan được chuyển đến.")
    if data.forwarded_to.strip() and not data.forwarded_on:
        raise FeedbackError("forwarded_on", "Cần ghi ngày chuyển.")
    if data.answered_on and not data.answer.strip():
        raise FeedbackError("answer", "Cần ghi kết quả xử lý, trả lời.")
    if data.answer.strip() and not data.answered_on:
        raise FeedbackError("answered_on", "Cần ghi ngày trả lời.")
    if data.handling not in Handling.values:
        raise FeedbackError("handling", "Cách xử lý không hợp lệ.")
    if data.satisfied is not None and not data.answered_on:
        raise FeedbackError("satisfied", "Chỉ ghi mức độ hài lòng của người phản ánh khi đã trả lời.")


def check_dossier_code(unit, code: str) -> None:
    """A related dossier, if given, must be one the unit received (a section's: its commune's)."""
    from cchc.dossiers.models import Dossier
    from cchc.org.selectors import load_graph

    if not code:
        return
    units = {unit.pk, scope.governing_unit_id(load_graph(), unit.pk)}
    if not Dossier.objects.filter(code=code, unit_id__in=units).exists():
        raise FeedbackError("dossier_code", f"Không có hồ sơ mã “{code}” của {unit.name}.")


def save_item(
    actor, unit, data: FeedbackData, *, item: FeedbackItem | None = None, today: date | None = None
) -> FeedbackItem:
    """Vào sổ (or update) a phản ánh, kiến nghị; the deadline defaults from the data file."""
    today = today or timezone.localdate()
    owner = unit if item is None else item.unit
    scope.require(actor, scope.Action.EDIT, owner)
    data.dossier_code = data.dossier_code.strip()
    check(data, today)
    check_dossier_code(owner, data.dossier_code)
    if data.deadline is None or _kept_default(item, data):
        data.deadline = default_deadline(owner, data.received_on, data.handling)
    with transaction.atomic():
        creating = item is None
        old = () if creating else (item.received_on, item.answered_on, item.forwarded_on)
        item = item or FeedbackItem(unit=owner)
        for k, v in data.__dict__.items():
            setattr(item, k, v.strip() if isinstance(v, str) else v)
        item.save()
        audit.record(
            actor,
            Verb.FEEDBACK_CREATED if creating else Verb.FEEDBACK_UPDATED,
            item,
            unit=owner,
            data={
                k: (v.isoformat() if isinstance(v, date) else v)
                for k, v in data.__dict__.items()
                if k not in ("citizen_contact",)
            },
        )
        mark_stale_days(owner, item.received_on, item.answered_on, item.forwarded_on, *old)
    return item


def _kept_default(item: FeedbackItem | None, data: FeedbackData) -> bool:
    """An edit that changes the handling kind or the receipt day while the deadline is still the one
    computed for the old values: the deadline follows (an officer's own deadline is never overwritten)."""
    if item is None or (item.handling, item.received_on) == (data.handling, data.received_on):
        return False
    return data.deadline == item.deadline == default_deadline(item.unit, item.received_on, item.handling)


def _data_of(item: FeedbackItem) -> FeedbackData:
    return FeedbackData(**{k: getattr(item, k) for k in FeedbackData.__dataclass_fields__})


def forward(actor, item: FeedbackItem, to: str, on: date, today: date | None = None) -> FeedbackItem:
    """Chuyển phản ánh đến cơ quan có thẩm quyền."""
    data = _data_of(item)
    data.forwarded_to, data.forwarded_on = to, on
    return save_item(actor, item.unit, data, item=item, today=today)


def answer(actor, item: FeedbackItem, text: str, on: date, today: date | None = None) -> FeedbackItem:
    """Ghi kết quả xử lý, trả lời."""
    data = _data_of(item)
    data.answer, data.answered_on = text, on
    return save_item(actor, item.unit, data, item=item, today=today)


def delete_item(actor, item: FeedbackItem) -> None:
    scope.require(actor, scope.Action.EDIT, item.unit)
    with transaction.atomic():
        audit.record(actor, Verb.FEEDBACK_DELETED, item, unit=item.unit, data={"content": item.content[:200]})
        unit, days = item.unit, (item.received_on, item.answered_on, item.forwarded_on)
        item.delete()
        mark_stale_days(unit, *days)
