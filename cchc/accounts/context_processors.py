"""What the base layout needs from accounts: the units a reviewer may switch to (core's ``shell`` gives the
navigation; core imports no app, so this part lives here)."""

from __future__ import annotations

from typing import Any

from cchc.accounts import scope
from cchc.org.models import Level


def switchable_units(request: Any) -> dict[str, Any]:
    """``switchable_units`` for a reviewer (units still in existence first, then the historical ones)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_reviewer:
        return {"switchable_units": None}
    units = scope.visible_units(user).exclude(level=Level.SECTION).order_by("valid_to", "level", "code")
    return {"switchable_units": units}
