"""Màn hình đánh giá đã đăng ký: an administrator registers a tablet for a unit; its random token is kept in
the tablet's browser and sent with every rating (header ``X-CCHC-Kiosk``). Only the SHA-256 of the token
is stored, so a copy of the database does not let anyone pose as a tablet; revoking takes effect at once.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from cchc.core import audit
from cchc.core.audit import Verb
from cchc.org.models import OrgUnit
from cchc.surveys import selectors
from cchc.surveys.models import KioskDevice

HEADER = "X-CCHC-Kiosk"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def register_device(actor: Any, unit: OrgUnit, name: str) -> tuple[KioskDevice, str]:
    """Create a device; returns it with its token (shown once, to put in the tablet's browser)."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        device = KioskDevice.objects.create(
            unit=unit,
            name=name.strip()[:120] or "Màn hình đánh giá",
            token_hash=_hash(token),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(actor, Verb.DEVICE_REGISTERED, device, unit=unit, data={"name": device.name})
    return device, token


def revoke_device(actor: Any, device: KioskDevice) -> None:
    with transaction.atomic():
        KioskDevice.objects.filter(pk=device.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit.record(actor, Verb.DEVICE_REVOKED, device, unit=device.unit, data={"name": device.name})


def registration_path(device: KioskDevice, token: str) -> str:
    """The address the administrator opens once on the tablet: the kiosk page stores the token and drops it
    from the address bar."""
    return f"/kiosk/{device.unit.code}/?thiet-bi={token}"


def device_for(token: str | None, kiosk_unit: OrgUnit) -> KioskDevice | None:
    """The active device holding ``token`` registered for the unit of this kiosk (or one it serves)."""
    if not token or len(token) > 200:
        return None
    device = KioskDevice.objects.filter(token_hash=_hash(token), revoked_at__isnull=True).first()
    if device is None:
        return None
    served = {u.pk for u in selectors.allowed_units(kiosk_unit)} | {kiosk_unit.pk}
    if device.unit_id not in served and kiosk_unit.pk not in {u.pk for u in selectors.allowed_units(device.unit)}:
        return None
    KioskDevice.objects.filter(pk=device.pk).update(last_used_at=timezone.now())
    return device
