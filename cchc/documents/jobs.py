"""Công việc chạy nền của ký số: chuẩn bị bản PDF cần ký ngay khi lãnh đạo ký duyệt.

Turning the approved DOCX into PDF (LibreOffice, 2-3 s) is the slow part of signing, and it needs no
secret, so it runs as a job as soon as the document is approved. The signature itself stays in the
leader's request: a PKCS#12 password or a token PIN would otherwise have to be written into the job row
(the queue is a database table), and a password is never stored. When the job has not run yet (no worker),
signing renders the PDF in the request, through the same function.
"""

from __future__ import annotations

import logging
from typing import Any

from cchc.documents.models import Approval, ApprovalState
from cchc.jobs import kinds

KIND = "documents.prepare_pdf"
log = logging.getLogger(__name__)


@kinds.register(KIND, max_attempts=2, atomic=True)
def prepare_pdf(job: Any, progress: Any) -> dict[str, Any]:
    """Render the approved document's PDF once and keep it on the approval for the signature."""
    from cchc.documents.approvals import kind_of

    approval = Approval.objects.get(pk=job.params["approval"])
    if approval.state != ApprovalState.APPROVED or approval.is_signed or approval.pdf_to_sign:
        return {"summary": "Không cần chuẩn bị: văn bản đã ký số, đã có bản PDF hoặc không còn ở trạng thái ký duyệt."}
    progress(10, "Đang tạo bản PDF của văn bản đã ký duyệt")
    kind = kind_of(approval)
    data = kind.pdf(kind.load(approval.object_id))
    # only if nobody signed or prepared it meanwhile
    Approval.objects.filter(pk=approval.pk, signed_at=None, pdf_to_sign=None).update(pdf_to_sign=data)
    return {"summary": f"Đã chuẩn bị bản PDF để ký ({len(data):,} byte).".replace(",", ".")}


def schedule(approval: Approval, actor: Any) -> None:
    """Queue the preparation after the approval commits; a queue that fails must not undo the approval."""
    from django.db import transaction

    from cchc.jobs import services as jobs

    def send() -> None:
        try:
            jobs.enqueue(
                KIND,
                label=f"Chuẩn bị bản PDF để ký: {approval.title}",
                actor=actor,
                unit=approval.unit,
                params={"approval": approval.pk},
            )
        except Exception:  # the signature still works: it renders the PDF itself
            log.exception("could not queue the PDF of approval %s", approval.pk)

    transaction.on_commit(send)
