"""What every write of the PAR index shares: who the actor is, the scope check, how an audit row prints a value."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cchc.accounts import scope
from cchc.org.models import OrgUnit


def is_user(actor: Any) -> bool:
    """A signed-in person (a command's ``SystemActor`` is not)."""
    return getattr(actor, "is_authenticated", False)


def require(actor: Any, action: scope.Action, unit: OrgUnit) -> None:
    """Users go through scope (404 outside what they see, 403 for a read-only unit); CLI actors are
    trusted (they run on the server)."""
    if is_user(actor):
        scope.access_unit(actor, unit.pk, action)


def actor_label(actor: Any) -> str:
    """The name kept on a row as “last changed by” (the user name, or the command's name)."""
    return actor.get_username() if is_user(actor) else str(actor or "")


def audit_value(value: Any) -> Any:
    """A value as an audit row's JSON keeps it (a Decimal as its exact text)."""
    return str(value) if isinstance(value, Decimal) else value
