"""Pages of the org tree (Cơ cấu đơn vị) within the user's scope: they live in accounts, above org, so that
org imports nothing of accounts (the scope is computed here and passed to ``org.selectors``)."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cchc.accounts import scope
from cchc.core.vnformat import VietnameseParseError, parse_date
from cchc.org import selectors
from cchc.org.selectors import load_graph


def _day_from(request) -> tuple[date, str]:
    raw = request.GET.get("ngay", "").strip()
    if not raw:
        return timezone.localdate(), ""
    try:
        return parse_date(raw), ""
    except VietnameseParseError as exc:
        return timezone.localdate(), str(exc)


@login_required
@require_GET
def tree(request):
    """Cơ cấu đơn vị tại một ngày; the tree part is swapped in by HTMX when the date changes."""
    day, error = _day_from(request)
    forest = visible_tree(request.user, day)
    context = {"day": day, "forest": forest, "error": error}
    template = "org/_tree.html" if request.htmx else "org/tree.html"
    return render(request, template, context)


@login_required
@require_GET
def unit_detail(request, code: str):
    unit = scope.access_unit(request.user, code, scope.Action.VIEW)
    return render(request, "org/unit_detail.html", selectors.unit_profile(unit, timezone.localdate()))


def visible_tree(user, day: date) -> list[selectors.TreeNode]:
    """The tree on ``day`` cut down to what ``user`` may see (one graph load for the scope and the tree)."""
    graph = load_graph()
    return selectors.tree_within(scope.unit_ids(user, scope.Action.VIEW, graph), day, graph)
