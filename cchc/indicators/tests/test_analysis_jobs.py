"""The reviewer's analysis of a whole area (every unit of a province, several periods) as a background job
(indicators.analysis): started with a POST, run by the worker's code path with a progress stage per period,
its result read from the job row by the page and by the poll; a small area runs in the request."""

import pytest
from django.urls import reverse

from cchc.accounts.models import Role
from cchc.indicators import jobs as indicator_jobs
from cchc.indicators import validation
from cchc.jobs import services as jobs
from cchc.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db
PROVINCE, SON_TAY = "000.00.00.H42", "000.16.21.H42"


@pytest.fixture
def reviewer(demo_org, make_user, client, catalogue):
    from cchc.indicators.demo import enter_demo_values

    enter_demo_values(lambda line: None)  # one seeded inconsistency: Xã Sơn Tây, 2024-NAM
    user = make_user("sonoivu", Role.PROVINCE_REVIEWER, demo_org["000.00.01.H42"])
    client.force_login(user)
    return user


def test_a_province_analysis_runs_as_a_job_with_progress_and_its_result_page(reviewer, client, monkeypatch):
    seen: list[str] = []
    real = jobs.ProgressWriter.__call__
    monkeypatch.setattr(jobs.ProgressWriter, "__call__", lambda self, p, s: (seen.append(s), real(self, p, s)))
    form = {"don-vi": PROVINCE, "tu-ky": "2024-Q1", "den-ky": "2024-NAM"}
    started = client.post(reverse("indicators:analysis_start"), form)
    job = Job.objects.get(kind=indicator_jobs.ANALYSIS)
    assert started["Location"] == reverse("indicators:analysis_job", args=[job.pk])
    waiting = client.get(started["Location"]).content.decode()
    assert job.status == JobStatus.QUEUED and f'hx-get="/cong-viec/{job.pk}/"' in waiting
    assert "Tỉnh Hà Tĩnh" in waiting and "từ kỳ 2024-Q1 đến kỳ 2024-NAM" in waiting

    assert jobs.execute(job.pk) == JobStatus.DONE  # what the worker runs
    assert seen[0] == "Đang kiểm tra kỳ 2024-Q1 (1/4)" and seen[-1].endswith("(4/4)") and len(seen) == 4
    assert any(s.startswith("Đang kiểm tra kỳ 2024-NAM (") for s in seen)  # the report periods, each in turn
    fragment = client.get(f"/cong-viec/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "Tìm thấy 1 sai lệch" in fragment and "Xã Sơn Tây" in fragment and "3 = 2" in fragment
    assert "hx-get" not in fragment
    # the same as the analysis itself over that area
    direct = validation.analyse(PROVINCE, "2024-Q1", "2024-NAM", user=reviewer)
    job.refresh_from_db()
    assert job.result["total"] == len(direct) == 1 and job.result["rows"][0]["unit"] == SON_TAY


def test_a_commune_runs_in_the_request_and_others_see_nothing(reviewer, client, make_user, demo_org):
    started = client.post(
        reverse("indicators:analysis_start"), {"don-vi": SON_TAY, "tu-ky": "2024-NAM", "den-ky": "2024-NAM"}
    )
    job = Job.objects.get()
    assert job.status == JobStatus.DONE and job.attempts == 1 and not job.task_id  # ran inline
    page = client.get(started["Location"]).content.decode()
    assert "Tìm thấy 1 sai lệch" in page and "hx-get" not in page
    bad = client.post(
        reverse("indicators:analysis_start"), {"don-vi": SON_TAY, "tu-ky": "2022-NAM", "den-ky": "2021-NAM"}
    )
    assert bad.status_code == 302 and Job.objects.count() == 1
    assert "kết thúc trước khi kỳ đầu" in client.get(bad["Location"]).content.decode()
    officer = make_user("canbo", Role.COMMUNE_OFFICER, demo_org["000.13.21.H42"])
    client.force_login(officer)
    assert client.get(started["Location"]).status_code == 404
    assert client.post(reverse("indicators:analysis_start"), {"don-vi": PROVINCE}).status_code == 404
    assert Job.objects.count() == 1
