"""Writes about users: creating them with a one-time password, switching the unit a reviewer works on."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from cchc.accounts import scope
from cchc.accounts.middleware import SESSION_KEY
from cchc.accounts.models import Role, User
from cchc.core import audit
from cchc.core.audit import Verb
from cchc.org.models import OrgUnit


def generate_password() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def create_user(
    *,
    actor: Any,
    username: str,
    role: str,
    unit: OrgUnit | None,
    full_name: str = "",
    job_title: str = "",
    password: str | None = None,
    must_change_password: bool = True,
) -> tuple[User, str]:
    """Create a user; returns it with its password (generated when none is given, to be changed)."""
    if role not in Role.values:
        raise ValueError(f"Vai trò không hợp lệ: {role}")
    if role != Role.SYSTEM_ADMIN and unit is None:
        raise ValueError("Người dùng phải thuộc một đơn vị.")
    password = password or generate_password()
    user_model = get_user_model()
    user = user_model(
        username=username,
        role=role,
        unit=unit,
        full_name=full_name,
        job_title=job_title,
        must_change_password=must_change_password,
        is_staff=role == Role.SYSTEM_ADMIN,
        is_superuser=role == Role.SYSTEM_ADMIN,
    )
    user.set_password(password)
    user.save()
    audit.record(actor, Verb.USER_CREATE, user, unit=unit, data={"role": role})
    return user, password


def switch_unit(request, unit_id: int) -> OrgUnit:
    """Make ``unit_id`` the unit a reviewer works on; 404 when outside the reviewer's scope."""
    unit = scope.access_unit(request.user, unit_id, scope.Action.VIEW)
    request.session[SESSION_KEY] = unit.pk
    return unit
