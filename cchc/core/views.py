from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cchc.core.registry import todo_items


@login_required
@require_GET
def home(request):
    """Trang chủ: what needs doing for the user's current unit."""
    unit = request.current_unit
    return render(request, "core/home.html", {"todo": todo_items(request.user, unit), "unit": unit})
