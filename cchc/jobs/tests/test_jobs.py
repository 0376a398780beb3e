"""The job layer: enqueue, run by a worker or inline, progress, rejection and failure, dead workers, /healthz,
and the dossier upload page on top of it."""

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cchc.accounts.actors import SystemActor
from cchc.core.importing import ErrorCollector
from cchc.jobs import kinds, selectors, services
from cchc.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db
CALLS: list[int] = []


@kinds.register("test.count", result_template="")
def _count(job, progress):
    progress(50, "Đang đếm")
    CALLS.append(job.pk)
    if job.params.get("bad"):
        errors = ErrorCollector()
        errors.add(3, "so_luong", "abc", "Số lượng phải là số.")
        errors.raise_if_any()
    if job.params.get("boom"):
        raise RuntimeError("ổ đĩa đầy")
    return {"summary": f"Đã đếm {job.params['n']}", "n": job.params["n"]}


@kinds.register("test.write", max_attempts=1, atomic=True)
def _write(job, progress):
    with transaction.atomic():
        progress(40, "Đang ghi")
    return {}


def test_inline_job_runs_through_the_same_code_and_keeps_its_result():
    job = services.enqueue("test.count", label="Đếm", actor=SystemActor("cchc test"), params={"n": 7}, inline=True)
    assert (job.status, job.progress, job.stage, job.result["n"], job.attempts) == (
        JobStatus.DONE,
        100,
        "Đã đếm 7",
        7,
        1,
    )
    assert job.finished_at and job.actor_label == "cchc test" and not job.task_id
    assert not DBTaskResult.objects.exists()  # nothing left for a worker


@pytest.mark.django_db(transaction=True)  # a worker runs outside any transaction (it closes stale connections)
def test_queued_job_waits_for_a_worker_then_the_worker_runs_it_once():
    CALLS.clear()
    job = services.enqueue("test.count", label="Đếm", actor=SystemActor("cchc test"), params={"n": 3})
    assert job.status == JobStatus.QUEUED and job.task_id
    assert selectors.queue_state()["waiting"] == 1
    call_command("worker", "--batch", "--interval", "0")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result == {"summary": "Đã đếm 3", "n": 3}
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    assert services.execute(job.pk) == JobStatus.DONE  # a second delivery does not run it again
    assert CALLS.count(job.pk) == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_below_the_web_servers_cpu_priority(monkeypatch):
    """Background work yields the CPU to people's requests (CCHC_WORKER_NICE, default 10; 0: none)."""
    import os

    niced: list[int] = []
    monkeypatch.setattr(os, "nice", niced.append)
    monkeypatch.delenv("CCHC_WORKER_NICE", raising=False)
    call_command("worker", "--batch", "--interval", "0")
    call_command("worker", "--batch", "--interval", "0", "--nice", "3")
    monkeypatch.setenv("CCHC_WORKER_NICE", "0")
    call_command("worker", "--batch", "--interval", "0")
    assert niced == [10, 3]
    monkeypatch.setenv("CCHC_WORKER_NICE", "thấp")  # a typo stops the worker with a message, not a guess
    with pytest.raises(CommandError, match="CCHC_WORKER_NICE phải là một số nguyên"):
        call_command("worker", "--batch", "--interval", "0")
    assert niced == [10, 3]


def test_rejected_and_failed_jobs_say_why_in_vietnamese():
    bad = services.enqueue("test.count", label="x", actor=SystemActor("t"), params={"n": 1, "bad": True}, inline=True)
    assert bad.status == JobStatus.REJECTED and bad.error_total == 1
    assert bad.errors[0]["row"] == 3 and bad.errors[0]["message"] == "Số lượng phải là số."
    boom = services.enqueue("test.count", label="x", actor=SystemActor("t"), params={"n": 1, "boom": True}, inline=True)
    assert boom.status == JobStatus.FAILED and boom.stage == "Lỗi hệ thống: ổ đĩa đầy"
    with pytest.raises(LookupError, match="Không có loại công việc"):
        services.enqueue("test.none", label="x", actor=SystemActor("t"))


def _dead_token() -> str:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    token = services.process_token(proc.pid)
    assert services.process_alive(token) is True
    proc.kill()
    for _ in range(100):  # the signal lands within milliseconds
        if not services.process_alive(token):
            break
        time.sleep(0.01)
    assert services.process_alive(token) is False  # killed, not yet reaped: a zombie is dead too
    proc.wait()
    assert services.process_alive(token) is False
    return token


def test_a_job_whose_worker_died_runs_again_then_fails_with_a_message():
    job = services.enqueue("test.count", label="Đếm", actor=SystemActor("t"), params={"n": 2})
    old_task = job.task_id
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1, worker=_dead_token())
    DBTaskResult.objects.filter(id=old_task).update(status="RUNNING")
    job.refresh_from_db()
    # A page shows it stopped before anything marked it (a GET writes nothing).
    assert selectors.live_state(job).active is False and "bị dừng" in selectors.live_state(job).stage
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING
    assert services.reap_stale() == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and "chạy lại (lần 2)" in job.stage and job.task_id != old_task
    assert DBTaskResult.objects.get(id=old_task).status == "FAILED"
    # Killed again: its kind allows two attempts, so now it fails for good, never left running.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=2, worker=_dead_token())
    assert services.reap_stale() == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.stage.startswith("Tiến trình xử lý bị dừng giữa chừng")
    assert job.stage.endswith("Dữ liệu giữ nguyên như trước khi chạy.") and job.finished_at


def test_live_jobs_are_left_alone_and_other_machines_are_judged_by_their_heartbeat():
    job = services.enqueue("test.count", label="Đếm", actor=SystemActor("t"), params={"n": 2})
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1, worker=services.process_token())
    assert services.reap_stale() == []
    Job.objects.filter(pk=job.pk).update(worker="may-khac:123:456", heartbeat_at=timezone.now())
    assert services.reap_stale() == []
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=301))
    assert services.reap_stale() == [job.pk]


@pytest.mark.django_db(transaction=True)
def test_progress_inside_the_jobs_own_transaction_reaches_the_page(settings, tmp_path):
    """PostgreSQL: through a second connection; SQLite: the job holds the write lock, so the figure goes to the
    side file the page reads."""
    settings.VAR_DIR = tmp_path
    job = services.enqueue("test.write", label="Ghi", actor=SystemActor("t"))
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, worker=services.process_token())
    writer = services.ProgressWriter(job.pk)
    with transaction.atomic():
        writer(40, "Đang ghi hồ sơ")
        job.refresh_from_db()
        live = selectors.live_state(job)
        assert (live.progress, live.stage, live.active) == (40, "Đang ghi hồ sơ", True)
    writer.close()
    assert not services.sidecar_path(job.pk).exists()


def test_a_job_waiting_with_no_worker_tells_the_user():
    job = services.enqueue("test.count", label="Đếm", actor=SystemActor("t"), params={"n": 1})
    assert selectors.live_state(job).note == ""
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    job.refresh_from_db()
    assert "cchc worker" in selectors.live_state(job).note


def test_healthz_reports_database_cache_and_queue_lag(client, settings):
    services.enqueue("test.count", label="Đếm", actor=SystemActor("t"), params={"n": 1})
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(seconds=90))
    body = client.get("/healthz").json()
    assert body["ok"] and body["database"]["ok"] and body["cache"]["ok"]
    assert body["queue"]["waiting"] == 1 and body["queue"]["lag_seconds"] >= 90
    broken = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with override_settings(CACHES=broken):  # restored before the cache is emptied at the end of the test
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["cache"]["ok"] is False


@pytest.mark.django_db(transaction=True)
def test_the_demo_loader_runs_as_a_job_on_a_worker(settings, capsys):
    settings.CCHC_DEMO_MODE = True
    call_command("demo", "--background")
    job = Job.objects.get(kind="core.demo")
    assert f"/cong-viec/{job.pk}/" in capsys.readouterr().out and job.status == JobStatus.QUEUED
    call_command("worker", "--batch", "--interval", "0")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.stage
    assert "— Hồ sơ thủ tục hành chính" in job.result["lines"]
    from cchc.accounts.models import User

    assert User.objects.filter(username="motcua.sontay").exists()
