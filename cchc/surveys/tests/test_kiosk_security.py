"""Issue 13 item 4: anonymous posts with made-up codes move no figure; a registered (and not revoked) tablet's
ratings count; a kept-apart rating counts once its dossier is imported; per-unit and per-device limits."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.actors import SystemActor
from cchc.surveys import devices, selectors
from cchc.surveys.models import Rating

SON_TAY = "000.16.21.H42"
PAST = (date(2020, 12, 15), date(2030, 12, 31))


def _post(client, unit_code, payload, ip, token=None):
    headers = {"HTTP_ORIGIN": "http://testserver", "REMOTE_ADDR": ip}
    if token:
        headers["HTTP_X_CCHC_KIOSK"] = token
    return client.post(
        reverse("kiosk:submit", args=[unit_code]), json.dumps(payload), content_type="application/json", **headers
    )


def _figures(unit):
    r = selectors.survey_results(unit, *PAST)
    ballots = selectors.ratings_in([unit], *PAST).count()
    return r.ballots, r.satisfied, ballots


def test_70_anonymous_made_up_codes_move_no_figure(client, demo_org, rating_payload, settings):
    settings.CCHC_KIOSK_UNIT_RATE_LIMIT = "1000/3600"  # let all 70 through: what they do is the point here
    unit = demo_org[SON_TAY]
    before = _figures(unit)
    today = timezone.localdate()
    for i in range(70):
        day = today - timedelta(days=1 + i % 20)
        payload = rating_payload(code=f"{SON_TAY}-{day:%y%m%d}-{9000 + i:04d}", overall="khong_hai_long")
        response = _post(client, SON_TAY, payload, ip=f"203.0.113.{i}")
        assert response.status_code == 201, response.content
    assert Rating.objects.filter(verified=False).count() == 70  # kept, apart
    assert _figures(unit) == before


def test_registered_device_counts_revoked_does_not(client, demo_org, rating_payload, make_user):
    unit = demo_org[SON_TAY]
    admin = make_user("quantri", "system_admin", None)
    device, token = devices.register_device(admin, unit, "Quầy 1")
    before = _figures(unit)
    day = timezone.localdate() - timedelta(days=2)
    ok = _post(client, SON_TAY, rating_payload(code=f"{SON_TAY}-{day:%y%m%d}-0001"), "198.51.100.1", token)
    assert ok.status_code == 201
    assert _figures(unit)[0] == before[0] + 1
    devices.revoke_device(admin, device)
    late = _post(client, SON_TAY, rating_payload(code=f"{SON_TAY}-{day:%y%m%d}-0002"), "198.51.100.1", token)
    assert late.status_code == 201 and not Rating.objects.get(dossier_code__endswith="-0002").verified
    assert _figures(unit)[0] == before[0] + 1
    assert device.token_hash != token and token not in json.dumps(
        list(devices.KioskDevice.objects.values()), default=str
    )


def test_anonymous_posts_per_unit_are_capped(client, demo_org, rating_payload, settings):
    settings.CCHC_KIOSK_UNIT_RATE_LIMIT = "5/3600"
    day = timezone.localdate() - timedelta(days=1)
    codes = [
        _post(client, SON_TAY, rating_payload(code=f"{SON_TAY}-{day:%y%m%d}-{i:04d}"), f"192.0.2.{i}") for i in range(7)
    ]
    assert [r.status_code for r in codes] == [201] * 5 + [429] * 2
    assert "Retry-After" in codes[-1]


@pytest.mark.parametrize("registered", [False, True])
def test_kept_apart_rating_counts_once_its_dossier_exists(registered, demo_org, rating_payload, catalogue):
    from cchc.dossiers.importing import import_dossiers
    from cchc.surveys import services
    from cchc.surveys.models import Channel

    unit = demo_org[SON_TAY]
    day = timezone.localdate() - timedelta(days=3)
    code = f"{SON_TAY}-{day:%y%m%d}-0042"
    services.submit_rating(
        rating_payload(code=code), channel=Channel.KIOSK, kiosk_unit=unit, device=object() if registered else None
    )
    before = _figures(unit)[0]
    csv = (
        "ma_ho_so,don_vi,ma_thu_tuc,kenh,ngay_tiep_nhan,ngay_tra_ket_qua\n"
        f"{code},{SON_TAY},1.004873,truc_tiep,{day:%d/%m/%Y} 08:00,{day:%d/%m/%Y}\n"
    )
    import_dossiers("hs.csv", actor=SystemActor("test"), content=csv.encode())
    assert _figures(unit)[0] == before + (0 if registered else 1)
