"""``{% evidence_box obj %}``: the documents attached to a record as evidence, with a small picker.

Any page (a plan task, later a PAR criterion or a report section) shows its evidence with this tag;
the record needs a ``unit`` or an ``owner_unit``."""

from django import template
from django.contrib.contenttypes.models import ContentType

from cchc.accounts import scope
from cchc.directives import selectors, services

register = template.Library()


@register.inclusion_tag("directives/_evidence.html", takes_context=True)
def evidence_box(context, target, limit: int = 200):
    request = context["request"]
    user = request.user
    unit = services.owner_unit(target)
    can_edit = scope.can(user, scope.Action.EDIT, unit)
    links = selectors.evidence_for(user, target)
    linked = {link.document_id for link in links}
    choices = []
    if can_edit:
        choices = [d for d in selectors.documents_for(user, unit=unit)[:limit] if d.pk not in linked]
    return {
        "links": links,
        "choices": choices,
        "can_edit": can_edit,
        "target": target,
        "content_type_id": ContentType.objects.get_for_model(target).pk,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
