"""Bản PDF làm bằng công việc nền: the pieces shared by every PDF a job makes from a DOCX and keeps under
MEDIA_ROOT, named by what it renders (PAR remediation documents, a dossier's forms): LibreOffice takes
seconds, so the page's POST queues the job (``start_once``), the worker converts and keeps the file
(``keep_pdf``), and the page's GET serves the file or shows the job (``page_context``) — a GET converts nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from cchc.core.files import write_atomically
from cchc.documents.rendering import docx_to_pdf
from cchc.jobs import services as jobs
from cchc.jobs.kinds import Progress
from cchc.jobs.models import ACTIVE, Job, JobStatus
from cchc.jobs.views import job_context


def kept_path(folder: str, owner_id: int, stem: str, digest: str) -> Path:
    """Where the PDF of one content is kept: ``MEDIA_ROOT/<folder>/<owner>/<stem>-<digest>.pdf``."""
    return Path(settings.MEDIA_ROOT) / folder / str(owner_id) / f"{stem}-{digest}.pdf"


def jobs_of(job_kind: str, /, **params: Any) -> Any:
    """The jobs of ``job_kind`` that made (or are making) the PDF these ``params`` name (a params key may
    itself be called ``kind``), newest first."""
    return Job.objects.filter(kind=job_kind, **{f"params__{k}": v for k, v in params.items()}).order_by("-pk")


def start_once(existing: Any, kind: str, *, label: str, actor: Any, unit: Any, params: dict[str, Any]) -> Job:
    """The job of ``existing`` (a queryset of this very PDF's jobs) still waiting or running, else a new one:
    the same content asked twice while it waits is made once."""
    running = existing.filter(status__in=ACTIVE).first()
    if running is not None:
        return running
    return jobs.enqueue(kind, label=label, actor=actor, unit=unit, params=params)


def keep_pdf(docx: bytes, path: Path, url: str, progress: Progress) -> dict[str, Any]:
    """The worker's side: ``docx`` → PDF at ``path`` (written whole or not at all), unless it is there
    already; the job's result names ``url``, where the page serves it."""
    if path.exists():
        return {"summary": "Bản PDF đã có sẵn.", "url": url, "size": path.stat().st_size}
    progress(20, "Đang tạo bản PDF…")
    data = docx_to_pdf(docx)
    progress(95, "Đang lưu bản PDF")
    write_atomically(path, data)
    return {"summary": f"Đã tạo bản PDF ({len(data) // 1024} KB).", "url": url, "size": len(data)}


def page_context(job: Job | None) -> dict[str, Any]:
    """What a PDF page shows while the file is not there (``jobs/_pdf_progress.html`` and its start button):
    the newest ``job`` of this content polled while it waits or runs; a failed one says why and may be
    started again; none, or one that ended otherwise, offers the button."""
    context: dict[str, Any] = {"job": None, "can_start": True}
    if job is not None and job.active:
        context.update(job_context(job), can_start=False)
    elif job is not None and job.status == JobStatus.FAILED:
        context.update(job_context(job))
    return context
