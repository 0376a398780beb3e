"""Tác nhân hệ thống: who acts when no person does — a command run on the server, the demo loader, a
migration. Services and selectors take a user or a ``SystemActor``; ``None`` (or an anonymous user) reaches
no unit at all, never every unit, and a plain string is refused (``cchc.accounts.scope``).

A system actor reaches every unit because whoever runs ``cchc`` on the server already holds the database;
the audit trail records it by its name with no user (``AuditEvent.actor`` empty, ``actor_label`` the name).
It lives in core, not in accounts, so that the apps below accounts (org, workdays) can name one without
importing accounts; ``cchc.accounts.actors`` re-exports it with the ``Actor`` type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class SystemActor:
    """A named non-person actor, e.g. ``SystemActor("cchc dossiers import")``."""

    name: str
    # Looks like an anonymous user to code that asks ``is_authenticated`` (no FK to a user is written).
    is_authenticated: ClassVar[bool] = False
    is_active: ClassVar[bool] = True

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError("Tác nhân hệ thống phải có tên (ví dụ “cchc demo”).")

    def get_username(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


DEMO = SystemActor("cchc demo")
MIGRATE = SystemActor("cchc migrate")
