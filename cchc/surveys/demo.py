"""Phiếu đánh giá minh họa của xã Sơn Tây (000.16.21.H42) năm 2021.

Kỳ 2021-NAM (15/12/2020–14/12/2021): 226 phiếu, 219 hài lòng (96,90%), như báo cáo mẫu
``reference/001_…``; thêm vài phiếu từ 15/12/2021 (thuộc kỳ 2022-NAM) để thấy ranh giới kỳ.
Deterministic (fixed seed, uuid5 client ids) and idempotent (codes already rated are skipped).
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cchc.org.models import OrgUnit
from cchc.surveys.models import Answer, Channel, QuestionSetChoice, Rating
from cchc.surveys.questions import get_set

DEMO_UNIT = "000.16.21.H42"
DEMO_SET = "sipas-2021"
PERIOD_START, PERIOD_END = date(2020, 12, 15), date(2021, 12, 14)
IN_PERIOD, SATISFIED_IN_PERIOD = 226, 219
AFTER_PERIOD = 12  # 15–31/12/2021
NAMESPACE = uuid.UUID("8f6c3c1e-5a4b-4c2e-9d51-2021000016aa")


def _plan(rng: random.Random) -> list[tuple[date, str]]:
    """(day, overall answer) for every demo rating, in date order."""
    days_in = (PERIOD_END - PERIOD_START).days + 1
    in_period = sorted(PERIOD_START + timedelta(days=rng.randrange(days_in)) for _ in range(IN_PERIOD))
    unhappy = set(rng.sample(range(IN_PERIOD), IN_PERIOD - SATISFIED_IN_PERIOD))
    plan = [
        (day, "khong_hai_long" if i in unhappy else rng.choice(["rat_hai_long", "hai_long", "hai_long"]))
        for i, day in enumerate(in_period)
    ]
    after = sorted(date(2021, 12, 15) + timedelta(days=rng.randrange(17)) for _ in range(AFTER_PERIOD))
    plan += [(day, rng.choice(["rat_hai_long", "hai_long"])) for day in after]
    return plan


def run(out) -> None:
    unit = OrgUnit.objects.filter(code=DEMO_UNIT).first()
    if unit is None:
        out(f"Khảo sát hài lòng: bỏ qua, chưa có đơn vị {DEMO_UNIT}.")
        return
    qset = get_set(DEMO_SET)
    rng = random.Random(2021)
    seq_per_day: dict[date, int] = {}
    created = 0
    with transaction.atomic():
        QuestionSetChoice.objects.get_or_create(
            unit=unit, valid_from=date(2020, 12, 15), defaults={"set_code": DEMO_SET}
        )
        existing = set(Rating.objects.filter(unit=unit).values_list("dossier_code", flat=True))
        answers: list[Answer] = []
        for index, (day, overall) in enumerate(_plan(rng)):
            # Dossiers are rated when the result is returned; the code carries the receipt date.
            received = day - timedelta(days=rng.randrange(1, 8))
            seq_per_day[received] = seq_per_day.get(received, 0) + 1
            code = f"{DEMO_UNIT}-{received:%y%m%d}-{seq_per_day[received]:04d}"
            factors = {
                q.code: (overall if rng.random() < 0.8 else rng.choice(["rat_hai_long", "hai_long", "khong_hai_long"]))
                for q in qset.questions
                if not q.overall
            }
            comment = rng.choice(["", "", "", "", "Cán bộ hướng dẫn tận tình.", "Nên có thêm ghế chờ."])
            at = timezone.make_aware(datetime.combine(day, time(8 + rng.randrange(9), rng.randrange(60))))
            if code in existing:  # every random draw above is made anyway, so a re-run stays identical
                continue
            rating = Rating.objects.create(
                dossier_code=code,
                unit=unit,
                kiosk_unit=unit if index % 10 else None,
                client_id=uuid.uuid5(NAMESPACE, code),
                channel=Channel.KIOSK if index % 10 else Channel.LINK,
                question_set=DEMO_SET,
                overall=overall,
                satisfied=overall != "khong_hai_long",
                comment=comment,
                rated_at=at,
                rated_on=day,
            )
            answers += [Answer(rating=rating, question=qset.overall.code, option=overall)]
            answers += [Answer(rating=rating, question=q, option=o) for q, o in factors.items()]
            created += 1
        Answer.objects.bulk_create(answers)
    total = Rating.objects.filter(unit=unit, rated_on__range=(PERIOD_START, PERIOD_END))
    out(
        f"Khảo sát hài lòng: {created} phiếu mới; xã Sơn Tây kỳ 2021-NAM có {total.count()} phiếu, "
        f"{total.filter(satisfied=True).count()} hài lòng."
    )
