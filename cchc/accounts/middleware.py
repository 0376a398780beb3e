from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from cchc.accounts import scope
from cchc.org.models import Level, OrgUnit
from cchc.org.selectors import load_graph

SESSION_KEY = "cchc_current_unit_id"
# Paths a user who must change the password may still open.
_PASSWORD_FREE_PREFIXES = ("/static/", "/tai-khoan/", "/favicon")


def _current_unit(request) -> OrgUnit | None:
    user = request.user
    if not user.is_authenticated:
        return None
    chosen = request.session.get(SESSION_KEY)
    if chosen and user.is_reviewer and scope.can(user, scope.Action.VIEW, chosen):
        unit = OrgUnit.objects.filter(pk=chosen).first()
        if unit is not None:
            return unit
    if user.unit_id:
        return work_unit(user.unit)
    return OrgUnit.objects.filter(valid_to__isnull=True, parent_links__isnull=True).order_by("code").first()


def work_unit(unit: OrgUnit) -> OrgUnit:
    """The unit a user of ``unit`` works for: a section (Sở Nội vụ, Bộ phận Một cửa) works for the province
    or commune it belongs to, whose records, ratings and reports it handles; other units are themselves."""
    if unit.level != Level.SECTION:
        return unit
    governing = scope.governing_unit_id(load_graph(), unit.pk)
    return unit if governing == unit.pk else OrgUnit.objects.get(pk=governing)


def current_unit_of(request) -> OrgUnit | None:
    """The unit the user works on, as a plain model instance (``request.current_unit`` is a lazy proxy,
    which querysets and forms do not always accept)."""
    pk = getattr(request.current_unit, "pk", None)
    return OrgUnit.objects.filter(pk=pk).first() if pk else None


class CurrentUnitMiddleware:
    """Sets ``request.current_unit`` (the unit switcher of reviewers) and sends a user whose password
    was set by someone else to change it first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.current_unit = SimpleLazyObject(lambda: _current_unit(request))
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not request.path.startswith(_PASSWORD_FREE_PREFIXES)
        ):
            return redirect(reverse("accounts:password_change"))
        return self.get_response(request)
