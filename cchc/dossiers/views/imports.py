"""Nạp tệp hồ sơ: the upload page and the job page of an import (the import itself is dossiers.jobs)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cchc.accounts import scope
from cchc.dossiers import importing
from cchc.dossiers import jobs as dossier_jobs
from cchc.dossiers.models import ImportJob
from cchc.jobs.views import job_context


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    if scope.unit_ids(request.user, scope.Action.EDIT) == frozenset():
        raise PermissionDenied("Bạn không có quyền nạp hồ sơ.")
    if request.method == "POST" and request.FILES.get("tep"):
        imp = dossier_jobs.start_import(request.user, request.FILES["tep"], dry_run=bool(request.POST.get("thu")))
        return redirect("dossiers:import_job", pk=imp.pk)
    jobs = ImportJob.objects.filter(user=request.user).select_related("job")[:10]
    return render(request, "dossiers/import.html", {"jobs": jobs, "columns": list(importing.COLUMNS)})


@login_required
@require_GET
def import_job(request, pk: int):
    imp = get_object_or_404(ImportJob.objects.select_related("job"), pk=pk, user=request.user)
    if imp.job is None:
        raise Http404("Lần nạp này không còn thông tin tiến độ.")
    return render(request, "dossiers/import_job.html", {"imp": imp, **job_context(imp.job)})
