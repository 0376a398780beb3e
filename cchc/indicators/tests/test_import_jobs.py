"""Indicator imports as background jobs (cchc.indicators.jobs): the check and the confirmed import wait for a
worker, which runs them through the same code as the request does for a small file; the page reads the job
row (any app server shows it); progress counts rows checked and written; an interrupted import leaves no
figure (in the process on both databases, and a worker killed with SIGKILL on PostgreSQL)."""

from __future__ import annotations

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from cchc.accounts.models import Role
from cchc.core.models import AuditEvent
from cchc.indicators import jobs as import_jobs
from cchc.indicators.models import Indicator, IndicatorValue, Source, ValueType
from cchc.jobs import services as jobs
from cchc.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db
COMMUNE = "000.00.61.H42"


def _grid(demo_org, rows: int) -> bytes:
    """A CSV of ``rows`` distinct figures: entered whole-number indicators × units existing in 2026 × months."""
    codes = list(
        Indicator.objects.filter(source=Source.ENTERED, value_type=ValueType.INTEGER, retired_in=None)
        .order_by("code")
        .values_list("code", flat=True)
    )
    units = sorted(c for c, u in demo_org.items() if u.valid_to is None and u.valid_from.year <= 2025)
    periods = [f"{y}-{p}" for y in range(2026, 2030) for p in [f"T{m:02d}" for m in range(1, 13)] + ["NAM"]]
    lines = ["don_vi;ky;ma_chi_tieu;gia_tri;ghi_chu"]
    for period in periods:
        for unit in units:
            for code in codes:
                if len(lines) > rows:
                    return ("\n".join(lines) + "\n").encode()
                lines.append(f"{unit};{period};{code};{len(lines)};")
    raise AssertionError(f"only {len(lines) - 1} distinct figures in the grid")


@pytest.fixture
def admin(demo_org, make_user, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    user = make_user("quantri", Role.SYSTEM_ADMIN, full_name="Quản Trị")
    client.force_login(user)
    return user


def _upload(content: bytes, name: str = "so_lieu.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.mark.django_db(transaction=True)  # the worker runs outside any transaction
def test_a_big_file_is_checked_then_imported_by_the_worker_and_the_page_follows_the_job(
    admin, demo_org, client, monkeypatch, make_user
):
    monkeypatch.setattr(import_jobs, "INLINE_LIMIT", 100)  # this file counts as big: it waits for a worker
    response = client.post(reverse("indicators:import"), {"tep": _upload(_grid(demo_org, 30))})
    check = Job.objects.get(kind=import_jobs.KIND)
    assert response.status_code == 302 and response["Location"] == f"/chi-tieu/nhap-tep/{check.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Đang chờ" in page and f'hx-get="/cong-viec/{check.pk}/"' in page
    call_command("worker", "--batch", "--interval", "0")
    # The poll (another server, same database) shows the preview from the job's result, and the form.
    fragment = client.get(f"/cong-viec/{check.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "Xem trước — chưa lưu" in fragment and "thêm mới 30" in fragment and "hx-get" not in fragment
    assert f'name="ma" value="{check.pk}"' in fragment and "Xác nhận nhập 30 thay đổi" in fragment
    assert not IndicatorValue.objects.exists()

    confirm = client.post(reverse("indicators:import_confirm"), {"ma": check.pk})
    job = Job.objects.exclude(pk=check.pk).get()
    assert confirm["Location"] == f"/chi-tieu/nhap-tep/{job.pk}/" and job.params["preview"] == check.pk
    assert not IndicatorValue.objects.exists()
    # a second confirmation of the same check finds its file taken
    again = client.post(reverse("indicators:import_confirm"), {"ma": check.pk}, follow=True)
    assert "đã hết hạn hoặc đã được nhập" in again.content.decode() and Job.objects.count() == 2
    call_command("worker", "--batch", "--interval", "0")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["added"] == 30, job.stage
    done = client.get(f"/chi-tieu/nhap-tep/{job.pk}/").content.decode()
    assert "Đã nhập: so_lieu.csv" in done and "Hoàn thành" in done and "Xác nhận nhập" not in done
    listed = client.get(reverse("indicators:import")).content.decode()  # a closed page's job is found again
    assert f'href="/chi-tieu/nhap-tep/{job.pk}/"' in listed and f'href="/chi-tieu/nhap-tep/{check.pk}/"' in listed
    assert IndicatorValue.objects.count() == 30
    assert AuditEvent.objects.filter(verb="indicators.value_entered").count() == 30
    assert not list(import_jobs.upload_dir().iterdir())  # the imported file is gone
    # Another user sees neither the page nor the job, and cannot confirm it.
    other = make_user("khac", Role.COMMUNE_OFFICER, demo_org[COMMUNE])
    client.force_login(other)
    assert client.get(f"/chi-tieu/nhap-tep/{job.pk}/").status_code == 404
    assert client.get(f"/cong-viec/{job.pk}/").status_code == 404


def test_progress_counts_rows_checked_and_written(admin, demo_org, monkeypatch):
    """Through the worker's code path (jobs.services.execute), every progress report is recorded."""
    seen: list[tuple[int, str]] = []
    real = jobs.ProgressWriter.__call__

    def record(self, pct, stage):
        seen.append((pct, stage))
        real(self, pct, stage)

    monkeypatch.setattr(jobs.ProgressWriter, "__call__", record)
    check = import_jobs.start_check(admin, _upload(_grid(demo_org, 4500)), inline=False)
    assert jobs.execute(check.pk) == JobStatus.DONE
    stages = [s for _, s in seen]
    assert stages[:2] == ["Đang đọc tệp", "Đang kiểm tra dòng 0/4.500"] and "Đang kiểm tra dòng 4.000/4.500" in stages
    check.refresh_from_db()
    assert len(check.result["rows"]) == import_jobs.PREVIEW_ROWS and check.result["row_total"] == 4500
    seen.clear()
    job = import_jobs.start_import(admin, check, inline=False)
    assert jobs.execute(job.pk) == JobStatus.DONE
    stages = [s for _, s in seen]
    assert "Đang ghi số liệu 2.000/4.500" in stages and "Đang ghi số liệu 4.000/4.500" in stages
    assert [p for p, _ in seen] == sorted(p for p, _ in seen)  # never backwards
    job.refresh_from_db()
    assert (job.progress, job.result["added"]) == (100, 4500) and IndicatorValue.objects.count() == 4500


def test_an_import_interrupted_while_writing_leaves_no_figure(admin, demo_org, monkeypatch):
    check = import_jobs.start_check(admin, _upload(_grid(demo_org, 3000)), inline=True)
    job = import_jobs.start_import(admin, check, inline=False)
    real = jobs.ProgressWriter.__call__

    def die_after_the_first_batch(self, pct, stage):
        real(self, pct, stage)
        if stage.startswith("Đang ghi số liệu 2.000"):  # 2.000 figures and their audit rows are written
            raise SystemError("máy chủ mất điện")

    monkeypatch.setattr(jobs.ProgressWriter, "__call__", die_after_the_first_batch)
    before = AuditEvent.objects.count()
    assert jobs.execute(job.pk) == JobStatus.FAILED
    assert not IndicatorValue.objects.exists() and AuditEvent.objects.count() == before


def test_a_small_file_runs_in_the_request_and_an_unknown_check_is_refused(admin, demo_org, client):
    response = client.post(reverse("indicators:import"), {"tep": _upload(_grid(demo_org, 3))})
    check = Job.objects.get()
    assert response.status_code == 200 and check.status == JobStatus.DONE and check.attempts == 1
    assert "Xem trước — chưa lưu" in response.content.decode() and 'hx-get="' not in response.content.decode()
    for bad in ("", "abc", str(check.pk + 100)):
        refused = client.post(reverse("indicators:import_confirm"), {"ma": bad})
        assert refused.status_code == 302 and refused["Location"] == reverse("indicators:import")
    assert client.get(reverse("indicators:import_job", args=[check.pk + 100])).status_code == 404
    assert not IndicatorValue.objects.exists()


@pytest.mark.servers
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: the worker process shares its database")
def test_a_worker_killed_while_writing_leaves_no_figure_and_the_next_one_imports_the_file(admin, demo_org, tmp_path):
    """SIGKILL of a real `cchc worker` in the write phase: PostgreSQL rolls the transaction back; the next
    worker finds the job's process gone and runs it again (attempt 2) from the file that was kept."""
    from cchc.runtime.tests import servers
    from cchc.runtime.tests.test_servers import _wait

    rows = 20_000
    check = import_jobs.start_check(admin, _upload(_grid(demo_org, rows)), inline=False)
    Job.objects.filter(pk=check.pk).update(status=JobStatus.DONE, result={"dry_run": True})  # as if checked
    job = import_jobs.start_import(admin, check, inline=False)
    before = AuditEvent.objects.count()
    environ = servers.env(tmp_path / "run", CCHC_MEDIA_ROOT=str(tmp_path / "media"))
    (tmp_path / "run").mkdir()
    worker = servers.spawn(["worker", "--interval", "0.2"], environ, tmp_path / "w1.log")
    try:
        _wait(lambda: "Đang ghi số liệu" in Job.objects.get(pk=job.pk).stage, 120, "the write phase")
        os.kill(worker.pid, 9)
        worker.wait()
    finally:
        servers.stop(worker)
    time.sleep(0.5)
    assert not IndicatorValue.objects.exists() and AuditEvent.objects.count() == before
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING and os.path.exists(job.params["file"])
    again = servers.spawn(["worker", "--interval", "0.2"], environ, tmp_path / "w2.log")
    try:
        _wait(lambda: Job.objects.get(pk=job.pk).status in (JobStatus.DONE, JobStatus.FAILED), 240, "the re-run")
    finally:
        servers.stop(again)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2, job.stage
    assert IndicatorValue.objects.count() == rows and job.result["added"] == rows
    assert not os.path.exists(job.params["file"])
