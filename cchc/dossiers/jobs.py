"""Công việc nền của hồ sơ (cchc.jobs).

Nạp tệp hồ sơ: the upload page saves the file and queues the job; a worker (or the request itself, for a
small file) runs the import; the page polls the job row.

Bản PDF của biểu mẫu 01-06: LibreOffice takes seconds, so no request waits for it and a GET converts
nothing (like report and PAR remediation PDFs). The PDF is kept under MEDIA_ROOT in a file named by a digest
of the form's DOCX content (``documents.rendering.content_digest``): the form is filled from the dossier as it
stands, so a dossier that changed since (a step recorded, an apology, a key issued) prints another form and
gets another PDF.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse

from cchc.documents import pdfjobs
from cchc.documents.rendering import content_digest
from cchc.dossiers import documents, importing
from cchc.dossiers.models import Dossier, ImportJob
from cchc.jobs import kinds
from cchc.jobs import services as jobs
from cchc.jobs.kinds import Progress
from cchc.jobs.models import Job

KIND = "dossiers.import"
PDF_KIND = "dossiers.form_pdf"
INLINE_LIMIT = 2_000_000  # bytes: a smaller upload is imported in the request (a few seconds at most)


def start_import(user: Any, upload: UploadedFile, *, dry_run: bool, inline: bool | None = None) -> ImportJob:
    """Lưu tệp tải lên và tạo công việc nạp. ``inline`` (default: small files) runs it before returning."""
    folder = Path(settings.MEDIA_ROOT) / "dossier_imports"
    folder.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        imp = ImportJob.objects.create(
            user=user, actor_label=user.get_username(), file_name=upload.name[:255], dry_run=dry_run
        )
        path = folder / f"{imp.pk}{Path(upload.name).suffix.lower()}"
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        imp.file_path = str(path)
        imp.save(update_fields=["file_path"])
    run_now = upload.size <= INLINE_LIMIT if inline is None else inline
    label = f"{'Kiểm tra' if dry_run else 'Nạp'} tệp hồ sơ {upload.name}"
    # The job row is created after the file is on disk: a worker may take it at once.
    job = jobs.enqueue(KIND, label=label, actor=user, unit=user.unit, params={"import_job": imp.pk}, inline=run_now)
    ImportJob.objects.filter(pk=imp.pk).update(job=job)
    imp.job = job
    return imp


@kinds.register(KIND, result_template="dossiers/_import_result.html")
def run_import(job: Job, progress: Progress) -> dict[str, Any]:
    """The worker's side: one transaction (importing.import_dossiers), so a killed run leaves nothing."""
    imp = ImportJob.objects.get(pk=job.params["import_job"])
    result = importing.import_dossiers(
        imp.file_path,
        actor=job.actor,  # the uploader; a deleted user reaches no unit (a name is not an actor)
        dry_run=imp.dry_run,
        mapping=job.params.get("mapping"),
        progress=progress,
        job=imp,
    )
    return {
        "summary": result.summary(),
        "dry_run": result.dry_run,
        "rows": result.details.get("rows", 0),
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }


# ---- form PDFs --------------------------------------------------------------------------------------------
def form_docx(d: Dossier, number: str, base_url: str | None) -> tuple[str, bytes, str]:
    """(file name, DOCX bytes, content digest) of form ``number`` as the dossier stands now."""
    name, data = documents.render_form(d, number, base_url=base_url)
    return name, data, content_digest(data)


def form_pdf_path(dossier_id: int, number: str, digest: str) -> Path:
    return pdfjobs.kept_path("dossier_pdfs", dossier_id, f"mau-{number}", digest)


def form_pdf_jobs(d: Dossier, number: str, digest: str) -> Any:
    """The jobs that made (or are making) the PDF of this very content, newest first."""
    return pdfjobs.jobs_of(PDF_KIND, dossier=d.pk, number=number, digest=digest)


def start_form_pdf(user: Any, d: Dossier, number: str, *, digest: str, base_url: str | None) -> Job:
    """Tạo bản PDF của biểu mẫu (a job for a worker); the same content already being made is not made twice.
    ``base_url`` is the public address the receipt's QR code carries, as the page that asked computed it."""
    return pdfjobs.start_once(
        form_pdf_jobs(d, number, digest),
        PDF_KIND,
        label=f"Tạo bản PDF: {documents.FORM_LABELS[number]} — hồ sơ {d.code}",
        actor=user,
        unit=d.unit,
        params={"dossier": d.pk, "number": number, "digest": digest, "base_url": base_url},
    )


@kinds.register(PDF_KIND, max_attempts=2, atomic=True, result_template="reports/_pdf_result.html")
def make_form_pdf(job: Job, progress: Progress) -> dict[str, Any]:
    """The worker's side: the form as the dossier stands now → PDF, kept under the digest of its content (which
    differs from the one asked for if the dossier changed meanwhile: the page then offers to make it again)."""
    d = Dossier.objects.select_related("unit", "procedure", "field").get(pk=job.params["dossier"])
    number = job.params["number"]
    progress(5, "Đang điền biểu mẫu")
    _, docx, digest = form_docx(d, number, job.params.get("base_url"))
    url = reverse("dossiers:form_pdf", args=[d.pk, number])
    return pdfjobs.keep_pdf(docx, form_pdf_path(d.pk, number, digest), url, progress)
