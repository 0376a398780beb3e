"""The database itself refuses a second rating for a dossier (SQLite and PostgreSQL run the same test)."""

import uuid
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc.surveys.models import Channel, Rating

SON_TAY = "000.16.21.H42"


def _rating(unit, code: str, client_id: uuid.UUID | None = None) -> Rating:
    return Rating.objects.create(
        dossier_code=code,
        unit=unit,
        client_id=client_id or uuid.uuid4(),
        channel=Channel.KIOSK,
        question_set="sipas-2021",
        overall="hai_long",
        satisfied=True,
        rated_at=timezone.now(),
        rated_on=date(2021, 3, 4),
    )


def test_second_rating_for_a_dossier_code_is_an_integrity_error(demo_org):
    unit = demo_org[SON_TAY]
    _rating(unit, f"{SON_TAY}-210304-0001")
    with pytest.raises(IntegrityError), transaction.atomic():
        _rating(unit, f"{SON_TAY}-210304-0001")
    assert Rating.objects.filter(dossier_code=f"{SON_TAY}-210304-0001").count() == 1


def test_client_id_is_unique_too(demo_org):
    unit = demo_org[SON_TAY]
    client_id = uuid.uuid4()
    _rating(unit, f"{SON_TAY}-210304-0001", client_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        _rating(unit, f"{SON_TAY}-210304-0002", client_id)


def test_channel_is_checked_by_the_database(demo_org):
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            dossier_code=f"{SON_TAY}-210304-0003",
            unit=demo_org[SON_TAY],
            client_id=uuid.uuid4(),
            channel="fax",
            question_set="sipas-2021",
            overall="hai_long",
            satisfied=True,
            rated_at=timezone.now(),
            rated_on=date(2021, 3, 4),
        )
