from django.conf import settings

from cchc.core.registry import nav_entries


def shell(request):
    """What the base layout needs: navigation, the current unit and, for reviewers, the units to switch to."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"demo_mode": settings.CCHC_DEMO_MODE}
    from cchc.accounts import scope
    from cchc.org.models import Level

    switchable = None
    if user.is_reviewer:
        # Units still in existence first (valid_to is null), then the historical ones.
        switchable = scope.visible_units(user).exclude(level=Level.SECTION).order_by("valid_to", "level", "code")
    return {
        "nav": nav_entries(user),
        "current_unit": getattr(request, "current_unit", None),
        "switchable_units": switchable,
        "demo_mode": settings.CCHC_DEMO_MODE,
    }
