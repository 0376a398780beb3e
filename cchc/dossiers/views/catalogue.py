"""Danh mục thủ tục: the procedure catalogue and its editing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cchc.dossiers import selectors, services
from cchc.dossiers.forms import ProcedureForm
from cchc.dossiers.models import Procedure


@login_required
@require_GET
def procedure_list(request):
    q = request.GET.get("q", "")
    items = selectors.search_procedures(q, limit=None).prefetch_related("papers")
    page = Paginator(items, 50).get_page(request.GET.get("trang"))
    template = "dossiers/_procedure_table.html" if request.htmx else "dossiers/procedures.html"
    return render(request, template, {"page": page, "q": q, "can_edit": services.can_manage_catalogue(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def procedure_edit(request, pk: int | None = None):
    if not services.can_manage_catalogue(request.user):
        raise PermissionDenied("Bạn không có quyền sửa danh mục thủ tục.")
    proc = get_object_or_404(Procedure, pk=pk) if pk else Procedure()
    form = ProcedureForm(request.POST or None, instance=proc)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_procedure(request.user, form.save(commit=False), form.cleaned_data["papers"])
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, "Đã lưu thủ tục.")
            return redirect("dossiers:procedures")
    return render(request, "dossiers/procedure_form.html", {"form": form, "proc": proc})
