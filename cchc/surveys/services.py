"""Ghi phiếu đánh giá: kiểm tra dữ liệu, một phiếu cho một hồ sơ, gửi lại không tạo phiếu trùng."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cchc.core import audit
from cchc.core.audit import Verb
from cchc.indicators.services import mark_stale
from cchc.org.models import OrgUnit
from cchc.org.selectors import load_graph
from cchc.surveys import selectors
from cchc.surveys.models import Answer, QuestionSetChoice, Rating
from cchc.surveys.questions import QuestionSet, dossier_code_format, get_set, question_sets

DUPLICATE_MESSAGE = "Hồ sơ này đã được đánh giá. Cảm ơn ông/bà."
THANKS_MESSAGE = "Cảm ơn ông/bà đã đánh giá."
COMMENT_MAX = 1000
# A tablet whose clock is wrong, or a queue replayed after a long outage, must not file a rating
# under a date far from the day it reached us: outside this window the server's time is used.
CLIENT_CLOCK_PAST = timedelta(days=7)
CLIENT_CLOCK_FUTURE = timedelta(minutes=10)

FIELD_LABELS = {
    "client_id": "Mã phiếu của thiết bị",
    "dossier_code": "Mã hồ sơ",
    "question_set": "Bộ câu hỏi",
    "answers": "Câu trả lời",
    "comment": "Ý kiến khác",
    "rated_at": "Thời điểm đánh giá",
}


@dataclass
class FieldError:
    field: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {
            "field": self.field,
            "label": FIELD_LABELS.get(self.field.split(".")[0], self.field),
            "message": self.message,
        }


class RatingInvalid(ValueError):
    """Dữ liệu phiếu không hợp lệ; ``errors`` names each field in Vietnamese."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(e.message for e in errors))


class SubmitStatus(StrEnum):
    """Trạng thái trong câu trả lời JSON của trang đánh giá (the kiosk script reads the HTTP code, people
    read ``message``)."""

    CREATED = "created"  # a new rating stored
    REPLAY = "replay"  # the same client_id sent again: the rating stored the first time
    DUPLICATE = "duplicate"  # another rating for a dossier already rated: refused politely
    OK = "ok"  # check_code: this code may be rated
    INVALID = "invalid"  # the fields a user must correct, named in ``errors``
    ERROR = "error"  # refused before reading: too many requests, another origin, not JSON, too large


@dataclass
class SubmitResult:
    status: SubmitStatus
    rating: Rating | None = None
    message: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"status": self.status, "message": self.message}
        if self.rating is not None:
            data.update(
                client_id=str(self.rating.client_id),
                dossier_code=self.rating.dossier_code,
                satisfied=self.rating.satisfied,
                rated_at=timezone.localtime(self.rating.rated_at).isoformat(timespec="seconds"),
            )
        return data


# ---- validation ---------------------------------------------------------------------------------
def check_dossier_code(code: Any, accepted: list[OrgUnit] | None, today: date | None = None) -> tuple[str, OrgUnit]:
    """The normalised code and the unit it belongs to, or RatingInvalid naming the field.

    ``accepted``: the units whose codes this kiosk takes (None: any unit, for the public link).
    """
    fmt = dossier_code_format()
    text = str(code or "").strip().upper()
    if not text:
        raise RatingInvalid([FieldError("dossier_code", "Chưa nhập mã hồ sơ.")])
    match = fmt.pattern.match(text)
    if not match:
        raise RatingInvalid(
            [FieldError("dossier_code", f"Mã hồ sơ “{text[:60]}” không đúng dạng (ví dụ: {fmt.example}).")]
        )
    try:
        received = datetime.strptime(match["date"], fmt.date_format).date()
    except ValueError:
        raise RatingInvalid(
            [FieldError("dossier_code", f"Mã hồ sơ “{text}” có ngày tiếp nhận “{match['date']}” không có thật.")]
        ) from None
    today = today or timezone.localdate()
    if received > today:
        raise RatingInvalid([FieldError("dossier_code", f"Mã hồ sơ “{text}” có ngày tiếp nhận sau hôm nay.")])
    unit_code = match["unit"]
    if accepted is None:
        unit = OrgUnit.objects.filter(code=unit_code).first()
    else:
        unit = next((u for u in accepted if u.code == unit_code), None)
    if unit is None:
        where = "không thuộc đơn vị này" if accepted is not None else "không có trong danh mục đơn vị"
        raise RatingInvalid([FieldError("dossier_code", f"Mã hồ sơ “{text}” {where} (mã đơn vị {unit_code}).")])
    status = selectors.dossier_status(text)
    if status is not None and not status.exists:
        raise RatingInvalid([FieldError("dossier_code", f"Không tìm thấy hồ sơ có mã “{text}”.")])
    if status is not None and not status.finished:
        raise RatingInvalid(
            [FieldError("dossier_code", f"Hồ sơ “{text}” chưa giải quyết xong; ông/bà đánh giá khi nhận kết quả.")]
        )
    return text, unit


def _clean(payload: Any, accepted: list[OrgUnit] | None, now: datetime) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise RatingInvalid([FieldError("answers", "Dữ liệu gửi lên không phải một phiếu đánh giá.")])
    errors: list[FieldError] = []
    clean: dict[str, Any] = {}
    try:
        clean["client_id"] = uuid.UUID(str(payload.get("client_id") or ""))
    except ValueError:
        errors.append(FieldError("client_id", "Mã phiếu của thiết bị không hợp lệ (phải là một UUID)."))
    try:
        # Vietnamese date, not UTC: from 0:00 to 7:00 the UTC date is still yesterday's.
        today = timezone.localtime(now).date()
        clean["dossier_code"], clean["unit"] = check_dossier_code(payload.get("dossier_code"), accepted, today)
    except RatingInvalid as exc:
        errors.extend(exc.errors)
    qset = get_set(str(payload.get("question_set") or ""))
    if qset is None:
        known = ", ".join(question_sets())
        errors.append(FieldError("question_set", f"Bộ câu hỏi “{payload.get('question_set')}” không có (có: {known})."))
    answers = payload.get("answers")
    if not isinstance(answers, dict):
        errors.append(FieldError("answers", "Chưa có câu trả lời nào."))
        answers = {}
    if qset is not None:
        clean["question_set"] = qset
        clean["answers"] = _clean_answers(qset, answers, errors)
    comment = _clean_comment(payload.get("comment") or "", errors)
    if comment is not None:
        clean["comment"] = comment
    clean["rated_at"] = _clean_rated_at(payload.get("rated_at"), now, errors)
    if errors:
        raise RatingInvalid(errors)
    return clean


def _clean_answers(qset: QuestionSet, answers: dict, errors: list[FieldError]) -> dict[str, str]:
    """The options picked, by question code; every unknown question or option and unanswered required
    question added to ``errors``."""
    picked: dict[str, str] = {}
    for code, option in answers.items():
        question = qset.question(str(code))
        if question is None:
            errors.append(FieldError(f"answers.{code}", f"Câu hỏi “{str(code)[:40]}” không có trong bộ câu hỏi."))
        elif option in (None, ""):
            continue
        elif question.option(str(option)) is None:
            errors.append(
                FieldError(
                    f"answers.{code}", f"Câu “{question.short}”: trả lời “{str(option)[:40]}” không có trong thang."
                )
            )
        else:
            picked[question.code] = str(option)
    for question in qset.questions:
        if (
            question.required
            and question.code not in picked
            and not any(e.field == f"answers.{question.code}" for e in errors)
        ):
            errors.append(FieldError(f"answers.{question.code}", f"Chưa trả lời câu “{question.short}”."))
    return picked


def _clean_comment(comment: Any, errors: list[FieldError]) -> str | None:
    """The comment as shown on the results page; None (and an error) when it is not text or too long."""
    if not isinstance(comment, str):
        errors.append(FieldError("comment", "Ý kiến khác phải là văn bản."))
        return None
    if len(comment.strip()) > COMMENT_MAX:
        errors.append(FieldError("comment", f"Ý kiến khác dài {len(comment.strip())} ký tự; tối đa {COMMENT_MAX}."))
        return None
    # Control characters have no place in a comment shown on a results page.
    return "".join(ch for ch in comment.strip() if ch == "\n" or ch >= " ")


def _clean_rated_at(raw_time: Any, now: datetime, errors: list[FieldError]) -> datetime:
    """The device's time of the rating when it is within the window around ``now``, otherwise ``now``."""
    if not raw_time:
        return now
    parsed = parse_datetime(str(raw_time)) if isinstance(raw_time, str) else None
    if parsed is None:
        errors.append(FieldError("rated_at", f"Thời điểm đánh giá “{str(raw_time)[:40]}” không đúng dạng ISO 8601."))
        return now
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed if now - CLIENT_CLOCK_PAST <= parsed <= now + CLIENT_CLOCK_FUTURE else now


# ---- writing ------------------------------------------------------------------------------------
def submit_rating(
    payload: Any,
    *,
    channel: str,
    kiosk_unit: OrgUnit | None = None,
    fixed_code: str | None = None,
    now: datetime | None = None,
    device: Any = None,
) -> SubmitResult:
    """Ghi một phiếu đánh giá.

    Idempotent on the browser's ``client_id``: the same rating sent again (an offline queue replayed,
    a retry after a lost answer) returns the original (``replay``); another rating for a dossier
    already rated is refused politely (``duplicate``). Both are decided by the database's unique
    constraints, so two app servers racing on one code still end with one rating.

    A rating counts in the figures (``verified``) when it comes through a signed per-dossier link
    (``fixed_code``), from a registered tablet (``device``), or for a dossier this install holds; an
    anonymous rating of an unknown code is kept apart until that dossier is imported (issue 13: 60 made-up
    codes moved a commune's satisfied share from 85,7% to 9,0%).
    """
    now = now or timezone.now()
    if fixed_code is not None and isinstance(payload, dict):
        payload = {**payload, "dossier_code": fixed_code}
    accepted = selectors.allowed_units(kiosk_unit) if kiosk_unit is not None else None
    try:
        clean = _clean(payload, accepted, now)
    except RatingInvalid:
        # A replay of a rating already stored is answered as such even if the rules changed since.
        replay = _replay_of(payload)
        if replay is not None:
            return replay
        raise
    existing = _existing(clean["client_id"], clean["dossier_code"])
    if existing is not None:
        return existing
    qset = clean["question_set"]
    overall = clean["answers"][qset.overall.code]
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                dossier_code=clean["dossier_code"],
                unit=clean["unit"],
                kiosk_unit=kiosk_unit,
                client_id=clean["client_id"],
                channel=channel,
                question_set=qset.code,
                overall=overall,
                satisfied=qset.overall.option(overall).satisfied,
                comment=clean.get("comment", ""),
                rated_at=clean["rated_at"],
                rated_on=timezone.localtime(clean["rated_at"]).date(),
                verified=fixed_code is not None
                or device is not None
                or selectors.dossier_status(clean["dossier_code"]) is not None,
            )
            Answer.objects.bulk_create(
                [Answer(rating=rating, question=q, option=o) for q, o in clean["answers"].items()]
            )
    except IntegrityError:
        # Lost a race with another request for the same client id or dossier code.
        existing = _existing(clean["client_id"], clean["dossier_code"])
        if existing is None:
            raise
        return existing
    mark_stale(rating.unit_id, rating.rated_on)
    return SubmitResult(SubmitStatus.CREATED, rating, THANKS_MESSAGE)


def _existing(client_id: uuid.UUID, dossier_code: str) -> SubmitResult | None:
    # One query for both: two separate reads could straddle another request's commit and call a
    # replay a duplicate (seen in bench/kiosk_load.py before this was one statement).
    rows = list(Rating.objects.filter(Q(client_id=client_id) | Q(dossier_code=dossier_code)))
    by_client = next((r for r in rows if r.client_id == client_id), None)
    if by_client is not None:
        if by_client.dossier_code != dossier_code:
            # The same browser id reused for another dossier: a broken client, not a replay.
            raise RatingInvalid(
                [FieldError("client_id", f"Mã phiếu của thiết bị đã dùng cho hồ sơ khác ({by_client.dossier_code}).")]
            )
        return SubmitResult(SubmitStatus.REPLAY, by_client, THANKS_MESSAGE)
    if rows:
        return SubmitResult(SubmitStatus.DUPLICATE, None, DUPLICATE_MESSAGE)
    return None


def _replay_of(payload: Any) -> SubmitResult | None:
    if not isinstance(payload, dict):
        return None
    try:
        client_id = uuid.UUID(str(payload.get("client_id") or ""))
    except ValueError:
        return None
    rating = Rating.objects.filter(client_id=client_id).first()
    if rating is None or rating.dossier_code != str(payload.get("dossier_code") or "").strip().upper():
        return None
    return SubmitResult(SubmitStatus.REPLAY, rating, THANKS_MESSAGE)


def check_code(code: Any, kiosk_unit: OrgUnit) -> SubmitResult:
    """Before the questions: is this code well formed, of this unit, and not rated yet?"""
    text, _ = check_dossier_code(code, selectors.allowed_units(kiosk_unit))
    if Rating.objects.filter(dossier_code=text).exists():
        return SubmitResult(SubmitStatus.DUPLICATE, None, DUPLICATE_MESSAGE)
    return SubmitResult(SubmitStatus.OK, None, "", {"dossier_code": text})


def choose_question_set(actor: Any, unit: OrgUnit, set_code: str, valid_from: date) -> QuestionSetChoice:
    """Chọn bộ câu hỏi cho đơn vị từ một ngày (ghi nhật ký)."""
    if get_set(set_code) is None:
        raise RatingInvalid([FieldError("question_set", f"Bộ câu hỏi “{set_code}” không có trong tệp bộ câu hỏi.")])
    graph = load_graph()
    unit = selectors.serving_unit(unit, graph)
    chosen_by = actor if getattr(actor, "pk", None) else None  # the CLI and the demo act as a string
    with transaction.atomic():
        choice, created = QuestionSetChoice.objects.update_or_create(
            unit=unit,
            valid_from=valid_from,
            defaults={"set_code": set_code, "chosen_by": chosen_by},
        )
        audit.record(
            actor,
            Verb.QUESTION_SET_CHOSEN,
            choice,
            unit=unit,
            data={"set_code": set_code, "valid_from": valid_from.isoformat(), "created": created},
        )
    return choice
