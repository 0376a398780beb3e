"""A dossier's form 01-06 as PDF is made by a background job (dossiers.form_pdf, LibreOffice), like report and
PAR remediation PDFs: no GET converts anything, the POST queues the job, the page follows it and then serves
the file, kept under the digest of the form's content (made again when the dossier changes). The DOCX stays
an immediate download."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from cchc.documents import rendering
from cchc.dossiers import jobs as dossier_jobs
from cchc.dossiers.models import EventKind
from cchc.dossiers.services import transition
from cchc.dossiers.tests.test_lifecycle import _receive, at
from cchc.jobs import services as jobs
from cchc.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db
SON_TAY = "000.16.21.H42"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def conversions(monkeypatch):
    """Every LibreOffice run (a conversion), still run for real."""
    calls = []
    real = rendering.subprocess.run

    def spy(args, *a, **kw):
        if "--convert-to" in args:
            calls.append(args)
        return real(args, *a, **kw)

    monkeypatch.setattr(rendering.subprocess, "run", spy)
    return calls


def _files(media) -> list[str]:
    root = media / "dossier_pdfs"
    return sorted(p.name for p in root.rglob("*.pdf")) if root.exists() else []


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "mau.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_receipt_pdf_is_made_once_by_a_job_and_served(
    catalogue, clerk, demo_org, client, media, conversions, tmp_path
):
    if rendering.libreoffice() is None or shutil.which("pdftotext") is None:
        pytest.fail("LibreOffice và poppler-utils phải được cài (make test cài chúng).")
    d = _receive(clerk, demo_org[SON_TAY], catalogue["1.004873"], at(2025, 3, 10, 8, 15))
    client.force_login(clerk)
    page = reverse("dossiers:form_pdf", args=[d.pk, "01"])
    start = reverse("dossiers:form_pdf_start", args=[d.pk, "01"])
    assert f'href="{page}"' in client.get(reverse("dossiers:detail", args=[d.pk])).content.decode()

    first = client.get(page)
    assert first.status_code == 200 and "Tạo bản PDF" in first.content.decode() and start in first.content.decode()
    assert client.get(reverse("dossiers:form", args=[d.pk, "01"]) + "?pdf=1")["Location"] == page  # old link
    docx = client.get(reverse("dossiers:form", args=[d.pk, "01"]))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats") and docx.content.startswith(b"PK")
    assert conversions == [] and not Job.objects.exists() and _files(media) == []  # no GET converts or writes

    assert client.post(start)["Location"] == page
    assert client.post(start)["Location"] == page  # asked twice while it waits: one job
    job = Job.objects.get(kind=dossier_jobs.PDF_KIND)
    assert job.unit_id == d.unit_id and job.actor_id == clerk.pk and conversions == []
    waiting = client.get(page).content.decode()
    assert "Đang tạo bản PDF…" in waiting and f'hx-get="/cong-viec/{job.pk}/"' in waiting and start not in waiting

    assert jobs.execute(job.pk) == JobStatus.DONE  # what the worker runs
    assert len(conversions) == 1
    fragment = client.get(f"/cong-viec/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert f'href="{page}"' in fragment and "Đã tạo bản PDF (" in fragment
    pdf = client.get(page)
    body = b"".join(pdf.streaming_content)
    assert pdf["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    assert f"giay-tiep-nhan-{d.code}.pdf" in pdf["Content-Disposition"]
    text = _pdf_text(body, tmp_path)
    assert d.code in text and "GIẤY TIẾP NHẬN HỒ SƠ" in text
    kept = _files(media)
    assert len(kept) == 1 and kept[0].startswith("mau-01-")
    again = client.get(page)
    assert b"".join(again.streaming_content) == body and Job.objects.count() == 1 and len(conversions) == 1
    assert client.post(start)["Location"] == page and Job.objects.count() == 1  # made already: no new job


def test_a_changed_dossier_gets_a_new_pdf(catalogue, clerk, demo_org, client, media, conversions):
    d = _receive(clerk, demo_org[SON_TAY], catalogue["1.004873"], at(2025, 3, 10, 8, 15))
    client.force_login(clerk)
    page = reverse("dossiers:form_pdf", args=[d.pk, "06"])
    start = reverse("dossiers:form_pdf_start", args=[d.pk, "06"])
    client.post(start)
    assert jobs.execute(Job.objects.get().pk) == JobStatus.DONE
    assert client.get(page)["Content-Type"] == "application/pdf"

    # a hand-over is a new line of the control slip (mẫu 06): its PDF is made again, the old one kept aside
    transition(clerk, d.pk, EventKind.HANDOVER, at=at(2025, 3, 11), to_unit=demo_org["001.16.21.H42"])
    changed = client.get(page)
    assert changed["Content-Type"].startswith("text/html") and start in changed.content.decode()
    client.post(start)
    second = Job.objects.order_by("-pk").first()
    assert Job.objects.count() == 2 and second.params["digest"] != Job.objects.order_by("pk").first().params["digest"]
    assert jobs.execute(second.pk) == JobStatus.DONE
    assert client.get(page)["Content-Type"] == "application/pdf" and len(_files(media)) == 2
    assert len(conversions) == 2


def test_a_failed_conversion_says_why_and_can_start_again(
    catalogue, clerk, demo_org, client, media, monkeypatch, conversions
):
    monkeypatch.setattr(rendering, "libreoffice", lambda: None)
    d = _receive(clerk, demo_org[SON_TAY], catalogue["1.004873"], at(2025, 3, 10))
    client.force_login(clerk)
    page = reverse("dossiers:form_pdf", args=[d.pk, "01"])
    client.post(reverse("dossiers:form_pdf_start", args=[d.pk, "01"]))
    assert jobs.execute(Job.objects.get().pk) == JobStatus.FAILED
    html = client.get(page).content.decode()
    assert "Chưa cài LibreOffice" in html and "Tạo bản PDF</button>" in html
    assert _files(media) == [] and conversions == []


def test_the_pdf_is_scoped_like_the_docx(catalogue, clerk, other_clerk, demo_org, client, media, conversions):
    d = _receive(clerk, demo_org[SON_TAY], catalogue["1.004873"], at(2025, 3, 10))
    page = reverse("dossiers:form_pdf", args=[d.pk, "01"])
    start = reverse("dossiers:form_pdf_start", args=[d.pk, "01"])
    client.force_login(other_clerk)  # another commune's clerk sees neither the DOCX nor the PDF
    assert client.get(reverse("dossiers:form", args=[d.pk, "01"])).status_code == 404
    assert client.get(page).status_code == 404 and client.post(start).status_code == 404
    client.force_login(clerk)  # a form that does not apply yet (no apology): neither
    assert client.get(reverse("dossiers:form_pdf", args=[d.pk, "04"])).status_code == 404
    assert client.post(reverse("dossiers:form_pdf_start", args=[d.pk, "04"])).status_code == 404
    assert client.get(start).status_code == 405  # starting is a POST
    assert not Job.objects.exists() and conversions == []
    client.logout()
    assert client.get(page).status_code == 302 and client.post(start).status_code == 302
