"""Tác nhân: a user, or a named system actor (``SystemActor``, defined in ``cchc.core.actors`` so that the
apps below accounts can name one) — what every service and selector takes as ``actor``.

A plain string is not an actor: ``cchc.accounts.scope`` raises TypeError for one (issue 12, item 7), so
that no string ever means "every unit" by accident.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

from cchc.core.actors import DEMO, MIGRATE, SystemActor

if TYPE_CHECKING:
    from cchc.accounts.models import User

__all__ = ["DEMO", "MIGRATE", "Actor", "SystemActor"]

Actor = Union["User", SystemActor]  # a forward reference to the user model
