from django.contrib.auth.decorators import login_required
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
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


@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for on pages naming no icon: the product's own, never a 404."""
    return HttpResponsePermanentRedirect(static("cchc/favicon.svg"))
