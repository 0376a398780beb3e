"""Bản PDF của kế hoạch và báo cáo khắc phục như một công việc nền (cchc.jobs), the way report PDFs are
(cchc/reports/jobs.py): LibreOffice takes seconds, so no request waits for it and a GET converts nothing.

The PDF is kept under MEDIA_ROOT in a file named by the document's content: the DOCX is rebuilt from the
assessment and its plan at every request, and python-docx stamps each build with the time, so the file's
bytes change while its text does not — the name is a digest of the parts' contents, not of the ZIP. A plan
edited since gets another name, and its PDF is made again.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse

from cchc.core.files import write_atomically
from cchc.documents.rendering import docx_to_pdf
from cchc.jobs import kinds
from cchc.jobs import services as jobs
from cchc.jobs.kinds import Progress
from cchc.jobs.models import ACTIVE, Job
from cchc.parindex import documents
from cchc.parindex.models import Assessment

KIND = "parindex.pdf"
KIND_NAMES = {"ke-hoach": "kế hoạch khắc phục", "bao-cao": "báo cáo kết quả khắc phục"}


def build_docx(assessment: Assessment, kind: str) -> bytes:
    return documents.plan_docx(assessment) if kind == "ke-hoach" else documents.report_docx(assessment)


def content_digest(docx: bytes) -> str:
    """A digest of what the document says (each part's name and bytes), blind to the ZIP's time stamps."""
    h = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        for name in sorted(z.namelist()):
            h.update(name.encode() + b"\0" + z.read(name) + b"\0")
    return h.hexdigest()[:16]


def pdf_path(assessment_id: int, kind: str, digest: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "parindex_pdfs" / str(assessment_id) / f"{kind}-{digest}.pdf"


def pdf_jobs(assessment: Assessment, kind: str, digest: str) -> Any:
    """The jobs that made (or are making) the PDF of this very content, newest first."""
    return Job.objects.filter(
        kind=KIND, params__assessment=assessment.pk, params__kind=kind, params__digest=digest
    ).order_by("-pk")


def start_pdf(user: Any, assessment: Assessment, kind: str, digest: str) -> Job:
    """Tạo bản PDF (a job for a worker); the same content already being made is not made twice."""
    running = pdf_jobs(assessment, kind, digest).filter(status__in=ACTIVE).first()
    if running is not None:
        return running
    return jobs.enqueue(
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
    path = pdf_path(assessment.pk, kind, digest)
    url = reverse("parindex:document", args=[assessment.pk, kind, "pdf"])
    if path.exists():
        return {"summary": "Bản PDF đã có sẵn.", "url": url, "size": path.stat().st_size}
    progress(20, "Đang tạo bản PDF…")
    data = docx_to_pdf(docx)
    progress(95, "Đang lưu bản PDF")
    write_atomically(path, data)
    return {"summary": f"Đã tạo bản PDF ({len(data) // 1024} KB).", "url": url, "size": len(data)}
