"""The dossier upload page on the job layer (cchc.jobs): a big file waits for a worker and any server shows its
progress; a small one runs in the request."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from cchc.dossiers import jobs as dossier_jobs
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.test_import import rows_1000, to_csv

pytestmark = pytest.mark.django_db


def own_rows():
    """The clerk's commune's rows of the shared 1,000 (a clerk imports for their own unit only)."""
    return [r for r in rows_1000() if r[1] == "000.16.21.H42"]


@pytest.mark.django_db(transaction=True)  # the worker runs outside any transaction
def test_upload_page_queues_a_big_file_and_any_server_shows_its_progress(catalogue, demo_org, clerk, client, make_user):
    client.force_login(clerk)
    upload = SimpleUploadedFile("hs.csv", to_csv(own_rows()), content_type="text/csv")
    imp = dossier_jobs.start_import(clerk, upload, dry_run=False, inline=False)
    page = client.get(f"/ho-so/nap/{imp.pk}/").content.decode()
    assert "Đang chờ" in page and f'hx-get="/cong-viec/{imp.job.pk}/"' in page
    assert Dossier.objects.count() == 0
    call_command("worker", "--batch", "--interval", "0")
    fragment = client.get(f"/cong-viec/{imp.job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "Hoàn thành" in fragment and "thêm mới 333" in fragment and "hx-get" not in fragment
    assert Dossier.objects.count() == 333 and Dossier.objects.filter(import_job=imp).count() == 333
    # Another clerk of another commune does not see it.
    other = make_user("khac", clerk.role, demo_org["000.00.62.H42"])
    client.force_login(other)
    assert client.get(f"/cong-viec/{imp.job.pk}/").status_code == 404


def test_upload_page_runs_a_small_file_in_the_request_and_lists_rejections(catalogue, clerk, client):
    client.force_login(clerk)
    rows = own_rows()[:20]
    rows[4][8] = "31/02/2024"
    response = client.post("/ho-so/nap/", {"tep": SimpleUploadedFile("hs.csv", to_csv(rows))})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Dữ liệu bị từ chối" in page and "ngay_tiep_nhan" in page and "hx-get" not in page
    assert Dossier.objects.count() == 0
    assert "Dữ liệu bị từ chối" in client.get("/ho-so/nap/").content.decode()
