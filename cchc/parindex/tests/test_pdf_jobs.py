"""The remediation plan's and report's PDF is made by a background job (parindex.pdf, LibreOffice), like a
report's: the GET converts and writes nothing, the POST queues the job, the page follows it and then serves
the file, kept under the digest of the document's content (made again only when the plan changes)."""

import pytest
from django.urls import reverse

from cchc.accounts.models import Role
from cchc.jobs import services as jobs
from cchc.jobs.models import Job, JobStatus
from cchc.parindex import demo
from cchc.parindex import jobs as pdf_jobs

SON_TAY, SON_LAM = "000.16.21.H42", "000.13.21.H42"


@pytest.fixture
def officer_client(demo_set, demo_org, make_user, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(make_user("canbo.pdf", Role.COMMUNE_OFFICER, demo_org[SON_TAY]))
    return client


def _files(settings) -> list[str]:
    root = settings.MEDIA_ROOT / "parindex_pdfs"
    return sorted(p.name for p in root.rglob("*.pdf")) if root.exists() else []


def test_the_plan_pdf_is_made_once_by_a_job_and_served(officer_client, demo_set, demo_org, settings, make_user):
    client = officer_client
    a = demo.score_commune(demo_set, demo_org[SON_TAY], 1)
    page = reverse("parindex:document", args=[a.pk, "ke-hoach", "pdf"])
    start = reverse("parindex:document_pdf_start", args=[a.pk, "ke-hoach"])

    first = client.get(page)
    assert first.status_code == 200 and "Tạo bản PDF" in first.content.decode()
    assert not Job.objects.exists() and _files(settings) == []  # a GET converts nothing, writes nothing

    assert client.post(start)["Location"] == page
    assert client.post(start)["Location"] == page  # asked twice while it waits: one job
    job = Job.objects.get(kind=pdf_jobs.KIND)
    waiting = client.get(page).content.decode()
    assert "Đang tạo bản PDF…" in waiting and f'hx-get="/cong-viec/{job.pk}/"' in waiting and start not in waiting

    assert jobs.execute(job.pk) == JobStatus.DONE  # what the worker runs
    fragment = client.get(f"/cong-viec/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert f'href="{page}"' in fragment and "Đã tạo bản PDF (" in fragment
    pdf = client.get(page)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    kept = _files(settings)
    assert len(kept) == 1 and kept[0].startswith("ke-hoach-")
    assert client.get(page).content == pdf.content and Job.objects.count() == 1  # served again, not made again

    # another commune's officer reaches neither the page nor the start
    client.force_login(make_user("canbo.lam", Role.COMMUNE_OFFICER, demo_org[SON_LAM]))
    assert client.get(page).status_code == 404 and client.post(start).status_code == 404


def test_the_digest_reads_the_content_not_the_zip_time_stamps(demo_set, demo_org):
    a = demo.score_commune(demo_set, demo_org[SON_TAY], 1)
    one, two = pdf_jobs.build_docx(a, "bao-cao"), pdf_jobs.build_docx(a, "bao-cao")
    assert pdf_jobs.content_digest(one) == pdf_jobs.content_digest(two)
    assert pdf_jobs.content_digest(one) != pdf_jobs.content_digest(pdf_jobs.build_docx(a, "ke-hoach"))
