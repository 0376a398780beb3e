"""A report's PDF is made by a background job (reports.pdf, LibreOffice): the GET page starts nothing and writes
nothing, the POST queues the job, the page follows it ("Đang tạo bản PDF…") and then links the file; a
version's PDF is made once and kept under MEDIA_ROOT, a draft's under its job."""

import pytest
from django.urls import reverse

from cchc.accounts.models import Role
from cchc.jobs import services as jobs
from cchc.jobs.models import Job, JobStatus
from cchc.reports import jobs as report_jobs
from cchc.reports import services

from .conftest import SON_LAM, SON_TAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(demo_values, make_user, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    user = make_user("canbo", Role.COMMUNE_OFFICER, demo_values[SON_TAY], full_name="Lê Thị Lan")
    client.force_login(user)
    return user


@pytest.fixture
def report(officer, demo_values):
    return services.create_report(officer, demo_values[SON_TAY], "2021-NAM")


def _pdf_files(settings) -> list:
    root = settings.MEDIA_ROOT / "report_pdfs"
    return sorted(p.name for p in root.rglob("*.pdf")) if root.exists() else []


def test_the_draft_pdf_is_made_by_a_job_the_page_follows(officer, report, client, settings, make_user, demo_values):
    page_url = reverse("reports:download", args=[report.pk, "pdf"])
    first = client.get(page_url)
    assert first.status_code == 200 and "Tạo bản PDF" in first.content.decode()
    assert not Job.objects.exists() and _pdf_files(settings) == []  # a GET converts nothing, writes nothing

    started = client.post(reverse("reports:pdf_start", args=[report.pk]))
    job = Job.objects.get(kind=report_jobs.KIND)
    assert started.status_code == 302 and started["Location"] == page_url
    waiting = client.get(page_url).content.decode()
    assert "Đang tạo bản PDF…" in waiting and f'hx-get="/cong-viec/{job.pk}/"' in waiting
    assert reverse("reports:pdf_start", args=[report.pk]) not in waiting  # no second start while it runs

    assert jobs.execute(job.pk) == JobStatus.DONE  # what the worker runs
    job.refresh_from_db()
    link = reverse("reports:draft_pdf", args=[report.pk, job.pk])
    fragment = client.get(f"/cong-viec/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert f'href="{link}"' in fragment and "Đã tạo bản PDF (" in fragment and "hx-get" not in fragment
    done = client.get(page_url).content.decode()
    assert f'href="{link}"' in done and "Tạo lại bản PDF từ nội dung hiện tại" in done
    pdf = client.get(link)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert _pdf_files(settings) == [f"du-thao-{job.pk}.pdf"]
    # another user (who may see the report) does not get this user's draft PDF
    leader = make_user("lanhdao", Role.LEADER, demo_values[SON_TAY])
    client.force_login(leader)
    assert client.get(link).status_code == 404
    outsider = make_user("canbo-lam", Role.COMMUNE_OFFICER, demo_values[SON_LAM])
    client.force_login(outsider)
    assert client.post(reverse("reports:pdf_start", args=[report.pk])).status_code == 404
    assert Job.objects.count() == 1


def test_a_versions_pdf_is_made_once_and_kept(officer, report, client, settings):
    comment = "Giải trình thử" if services.pre_submit(report).needs_comment else ""
    version = services.request_signature(officer, report, comment)
    page_url = reverse("reports:download", args=[report.pk, "pdf"]) + f"?phien-ban={version.number}"
    start = reverse("reports:pdf_start", args=[report.pk])
    assert client.post(start, {"phien-ban": version.number})["Location"] == page_url
    assert client.post(start, {"phien-ban": version.number})["Location"] == page_url
    job = Job.objects.get()  # asked twice while waiting: one job
    assert job.params == {"report": report.pk, "version": version.number}
    assert client.post(start, {"phien-ban": 99}).status_code == 404

    assert jobs.execute(job.pk) == JobStatus.DONE
    stored = report_jobs.stored_version_pdf(version)
    assert stored is not None and _pdf_files(settings) == [stored.name]
    assert stored.name.startswith(f"v{version.number}-")
    download = client.get(page_url)
    assert download["Content-Type"] == "application/pdf" and download.content == stored.read_bytes()
    # made once: asking again serves the kept file and queues nothing
    assert client.post(start, {"phien-ban": version.number})["Location"] == page_url
    assert Job.objects.count() == 1
    # the leader's approval stamps the DOCX again: that DOCX's PDF is another file, not made yet
    version.docx = bytes(version.docx) + b" "
    version.save(_allow_update=True)
    again = client.get(page_url).content.decode()
    assert report_jobs.stored_version_pdf(version) is None and "Tạo bản PDF" in again and "Tải bản PDF" not in again


def test_an_approved_versions_pdf_is_the_one_prepared_for_the_signature(officer, report, client):
    """documents.prepare_pdf made the approved DOCX's PDF already: the report's PDF job keeps those bytes
    instead of running LibreOffice again."""
    from django.utils import timezone

    from cchc.documents.models import Approval

    comment = "Giải trình thử" if services.pre_submit(report).needs_comment else ""
    version = services.request_signature(officer, report, comment)
    prepared = b"%PDF-1.7 ban da chuan bi de ky"
    Approval.objects.filter(pk=version.approval_id).update(pdf_to_sign=prepared)
    version.approved_at = timezone.now()
    version.save(_allow_update=True)
    job = report_jobs.start_pdf(officer, report, version)
    assert jobs.execute(job.pk) == JobStatus.DONE
    assert report_jobs.stored_version_pdf(version).read_bytes() == prepared
    page_url = reverse("reports:download", args=[report.pk, "pdf"]) + f"?phien-ban={version.number}"
    assert client.get(page_url).content == prepared
