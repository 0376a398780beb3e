"""Bản PDF của báo cáo như một công việc nền (cchc.jobs): LibreOffice takes seconds, so no request waits for it.

A version's PDF is made once, from the version's DOCX, and kept under MEDIA_ROOT (shared by a province's
app servers and workers, and in the backups) in a file named by the version and a fingerprint of its DOCX:
the leader's approval stamps the DOCX again, and then the PDF of the approved DOCX is another file. A
draft's PDF is made from the content at the time the job runs and kept under the job's number.

The page asks for it with a POST (a GET writes nothing) and shows "Đang tạo bản PDF…" with the job's
progress, then the link. The digital signature itself stays in the leader's request
(cchc.documents.approvals.sign): it needs the key's password or the token's PIN, which are never written to
the database, and the queue is a table of the database; the slow part, the PDF to sign, is a job too
(``documents.prepare_pdf``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse

from cchc.core.files import write_atomically
from cchc.jobs import kinds
from cchc.jobs import services as jobs
from cchc.jobs.kinds import Progress
from cchc.jobs.models import ACTIVE, Job
from cchc.reports import output
from cchc.reports.models import Report, ReportVersion

KIND = "reports.pdf"


def _folder(report_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "report_pdfs" / str(report_id)


def version_pdf_path(version: ReportVersion) -> Path:
    """Where the PDF of ``version``'s present DOCX is kept (the name changes when the DOCX does)."""
    digest = hashlib.sha256(bytes(version.docx)).hexdigest()[:16]
    return _folder(version.report_id) / f"v{version.number}-{digest}.pdf"


def draft_pdf_path(report_id: int, job_id: int) -> Path:
    return _folder(report_id) / f"du-thao-{job_id}.pdf"


def stored_version_pdf(version: ReportVersion) -> Path | None:
    path = version_pdf_path(version)
    return path if path.exists() else None


def pdf_jobs(report: Report, version: ReportVersion | None) -> Any:
    """The PDF jobs of a version (or of the draft), newest first."""
    return Job.objects.filter(kind=KIND, params__report=report.pk, params__version=version.number if version else None)


def start_pdf(user: Any, report: Report, version: ReportVersion | None) -> Job:
    """Tạo bản PDF (a job, for a worker). A version's PDF already being made is not made twice."""
    if version is not None:
        running = pdf_jobs(report, version).filter(status__in=ACTIVE).first()
        if running is not None:
            return running
    what = f"phiên bản {version.number}" if version is not None else "dự thảo"
    return jobs.enqueue(
        KIND,
        label=f"Tạo bản PDF: báo cáo CCHC {report.period.name} — {report.unit.name} ({what})",
        actor=user,
        unit=report.unit,
        params={"report": report.pk, "version": version.number if version is not None else None},
    )


@kinds.register(KIND, max_attempts=2, atomic=True, result_template="reports/_pdf_result.html")
def make_pdf(job: Job, progress: Progress) -> dict[str, Any]:
    """The worker's side: DOCX → PDF with LibreOffice, kept under MEDIA_ROOT."""
    report = Report.objects.select_related("unit", "period").get(pk=job.params["report"])
    number = job.params.get("version")
    download = reverse("reports:download", args=[report.pk, "pdf"])
    if number is not None:
        version = report.versions.get(number=number)
        path = version_pdf_path(version)
        url = f"{download}?phien-ban={number}"
        if path.exists():
            return {"summary": "Bản PDF đã có sẵn.", "url": url, "size": path.stat().st_size}
        progress(10, "Đang tạo bản PDF…")
        data = _prepared_for_signature(version) or output.render_pdf(docx=bytes(version.docx))
    else:
        progress(5, "Đang dựng nội dung dự thảo")
        doc = output.document_for(report, None)
        progress(30, "Đang tạo bản PDF…")
        data = output.render_pdf(doc)
        path = draft_pdf_path(report.pk, job.pk)
        url = reverse("reports:draft_pdf", args=[report.pk, job.pk])
    progress(95, "Đang lưu bản PDF")
    write_atomically(path, data)
    return {"summary": f"Đã tạo bản PDF ({_size(len(data))}).", "url": url, "size": len(data)}


def _prepared_for_signature(version: ReportVersion) -> bytes | None:
    """The PDF documents.prepare_pdf made of this very version when the leader approved it: the approved DOCX
    does not change after the approval (sending adds no stamp to it), so it is this version's PDF."""
    from cchc.documents.models import Approval

    if version.approval_id is None or version.approved_at is None:
        return None
    data = Approval.objects.filter(pk=version.approval_id).values_list("pdf_to_sign", flat=True).first()
    return bytes(data) if data else None


def _size(n: int) -> str:
    from cchc.core.vnformat import format_number

    return f"{format_number(round(n / 1024))} KB"
