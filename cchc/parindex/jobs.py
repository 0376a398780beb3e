"""Bản PDF của kế hoạch và báo cáo khắc phục như một công việc nền (cchc.jobs), the way report PDFs are
(cchc/reports/jobs.py): LibreOffice takes seconds, so no request waits for it and a GET converts nothing.

The PDF is kept under MEDIA_ROOT in a file named by the document's content: the DOCX is rebuilt from the
assessment and its plan at every request, and python-docx stamps each build with the time, so the file's
bytes change while its text does not — the name is a digest of the parts' contents, not of the ZIP. A plan
edited since gets another name, and its PDF is made again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.urls import reverse

from cchc.documents import pdfjobs
from cchc.documents.rendering import content_digest
from cchc.jobs import kinds
from cchc.jobs.kinds import Progress
from cchc.jobs.models import Job
from cchc.parindex import documents
from cchc.parindex.models import Assessment

KIND = "parindex.pdf"
KIND_NAMES = {"ke-hoach": "kế hoạch khắc phục", "bao-cao": "báo cáo kết quả khắc phục"}


def build_docx(assessment: Assessment, kind: str) -> bytes:
    return documents.plan_docx(assessment) if kind == "ke-hoach" else documents.report_docx(assessment)


def pdf_path(assessment_id: int, kind: str, digest: str) -> Path:
    return pdfjobs.kept_path("parindex_pdfs", assessment_id, kind, digest)


def pdf_jobs(assessment: Assessment, kind: str, digest: str) -> Any:
    """The jobs that made (or are making) the PDF of this very content, newest first."""
    return pdfjobs.jobs_of(KIND, assessment=assessment.pk, kind=kind, digest=digest)


def start_pdf(user: Any, assessment: Assessment, kind: str, digest: str) -> Job:
    """Tạo bản PDF (a job for a worker); the same content already being made is not made twice."""
    return pdfjobs.start_once(
        pdf_jobs(assessment, kind, digest),
        KIND,
        label=f"Tạo bản PDF: {KIND_NAMES[kind]} Chỉ số CCHC {assessment.framework.year} — {assessment.unit.name}",
        actor=user,
        unit=assessment.unit,
        params={"assessment": assessment.pk, "kind": kind, "digest": digest},
    )


@kinds.register(KIND, max_attempts=2, atomic=True, result_template="reports/_pdf_result.html")
def make_pdf(job: Job, progress: Progress) -> dict[str, Any]:
    """The worker's side: the document as it stands now → PDF, kept under the digest of its content (which
    may differ from the one asked for if the plan changed meanwhile: the page then asks again)."""
    assessment = Assessment.objects.select_related("unit", "framework").get(pk=job.params["assessment"])
    kind = job.params["kind"]
    progress(5, "Đang dựng văn bản")
    docx = build_docx(assessment, kind)
    digest = content_digest(docx)
    url = reverse("parindex:document", args=[assessment.pk, kind, "pdf"])
    return pdfjobs.keep_pdf(docx, pdf_path(assessment.pk, kind, digest), url, progress)
