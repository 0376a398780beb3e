from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cchc.core.registry import home_panels, todo_items


@login_required
@require_GET
def home(request):
    """Trang chủ: what needs doing for the user's current unit, then the panels apps contribute (the
    desk's day and the kiosk's ratings for a one-stop clerk)."""
    unit = request.current_unit
    return render(
        request,
        "core/home.html",
        {"todo": todo_items(request.user, unit), "unit": unit, "panels": home_panels(request.user, unit)},
    )
