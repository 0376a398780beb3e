from django.conf import settings

from cchc.core.registry import nav_entries


def shell(request):
    """What the base layout needs from core: navigation and the current unit (the reviewers' unit switcher
    comes from ``cchc.accounts.context_processors``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"demo_mode": settings.CCHC_DEMO_MODE}
    return {
        "nav": nav_entries(user),
        "current_unit": getattr(request, "current_unit", None),
        "demo_mode": settings.CCHC_DEMO_MODE,
    }
