"""Danh mục thủ tục của một đơn vị: tìm không cần dấu, và trang in được của từng thủ tục."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from cchc.dossiers.models import Field, Procedure
from cchc.dossiers.selectors import find_procedures, procedures_of_unit
from cchc.public.models import ServiceDesk
from cchc.public.views.desk import published_desk

MAX_QUERY = 100  # a search box, not a text area: longer input is cut, never an error


@dataclass
class FieldGroup:
    field: Field
    procedures: list[Procedure] = field(default_factory=list)


def _group_by_field(procedures: list[Procedure]) -> list[FieldGroup]:
    """Groups in the order their first procedure comes: by name when browsing, best match first when searching."""
    groups: dict[int, FieldGroup] = {}
    for p in procedures:
        groups.setdefault(p.field_id, FieldGroup(p.field)).procedures.append(p)
    return list(groups.values())


@require_GET
@published_desk("catalogue")
def catalogue(request: HttpRequest, desk: ServiceDesk) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    today = timezone.localdate()
    found = find_procedures(q, today, among=procedures_of_unit(desk.unit, today))
    context = {"desk": desk, "section": "catalogue", "q": q, "groups": _group_by_field(found), "count": len(found)}
    # Typing in the box asks for the list only; going back in history (htmx restoring a page it has not
    # cached) needs the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "public/_catalogue_list.html" if partial else "public/catalogue.html", context)
    patch_vary_headers(response, ["HX-Request"])  # the same URL answers a fragment or a page
    return response


def _legal_basis(text: str) -> list[str]:
    """One line per document: the catalogue writes them one per line or separated by ";"."""
    return [part.strip() for part in re.split(r"[;\n]+", text) if part.strip()]


@require_GET
@published_desk("procedure")
def procedure(request: HttpRequest, desk: ServiceDesk, procedure_code: str) -> HttpResponse:
    today = timezone.localdate()
    proc = procedures_of_unit(desk.unit, today).filter(code=procedure_code).first()
    if proc is None:
        raise Http404("Đơn vị này không giải quyết thủ tục này.")
    context = {
        "desk": desk,
        "section": "catalogue",
        "p": proc,
        # The same list, in the same order, as the checklist of the counter's intake form.
        "papers": list(proc.papers.all()),
        "legal_basis": _legal_basis(proc.legal_basis),
        "back_q": request.GET.get("q", "").strip()[:MAX_QUERY],
    }
    return render(request, "public/procedure.html", context)
