from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cchc.accounts import scope
from cchc.jobs import kinds, selectors
from cchc.jobs.models import Job


def job_context(job: Job) -> dict[str, Any]:
    """What the progress partial (jobs/_progress.html) needs."""
    try:
        result_template = kinds.get(job.kind).result_template
    except LookupError:
        result_template = ""
    return {"job": job, "live": selectors.live_state(job), "result_template": result_template}


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of one job (polled by HTMX every second while it runs)."""
    job = get_object_or_404(Job, pk=pk)
    if job.actor_id != request.user.pk:
        # Others see a job of a unit in their view (a reviewer, the administrator), never one without a unit.
        ids = scope.unit_ids(request.user, scope.Action.VIEW)
        if not (ids is None or (job.unit_id and job.unit_id in ids)):
            raise Http404
    template = "jobs/_progress.html" if request.htmx else "jobs/detail.html"
    return render(request, template, job_context(job))


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Cho bộ cân bằng tải: 200 when the database, the cache and the job queue answer, else 503."""
    from cchc.jobs import health

    report = health.check()
    return JsonResponse(report, status=200 if report["ok"] else 503)
