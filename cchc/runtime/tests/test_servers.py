"""Several app servers and a worker on one PostgreSQL, as a province runs them (real `cchc serve` and `cchc
worker` processes): what one server counts or starts, the other sees; a worker killed with SIGKILL in the
middle of a 300.000-row import leaves the database as it was, and the next worker runs the import again.

PostgreSQL only (SQLite's test database lives in the test process's memory); CI runs them in its PostgreSQL
pass. Redis must answer on 127.0.0.1:6379 (.ci/run starts it)."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import time
from pathlib import Path

import pytest
import requests
from django.db import connection

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.dossiers.demo import PROCEDURES_FILE
from cchc.dossiers.models import Dossier, DossierStat
from cchc.dossiers.services import import_procedures
from cchc.jobs.models import Job, JobStatus
from cchc.runtime.tests import servers

pytestmark = [
    pytest.mark.servers,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: the servers share its database"),
]
PASSWORD = "Mat-khau-may-chu-2026"
BENCH = Path(__file__).resolve().parents[3] / "bench" / "dossiers_bench.py"


def _bench():
    """bench/dossiers_bench.py's province of 100 communes and its generator of realistic rows."""
    spec = importlib.util.spec_from_file_location("dossiers_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _redis_flush():
    import redis

    redis.Redis.from_url(servers.REDIS_URL).flushdb()


def _fingerprint() -> tuple[int, int, str]:
    """Rows of the dossiers and of the summary table, and a hash of every dossier's code and row hash."""
    digest = hashlib.sha256()
    for code, row_hash in Dossier.objects.order_by("code").values_list("code", "row_hash").iterator():
        digest.update(f"{code}|{row_hash}\n".encode())
    return Dossier.objects.count(), DossierStat.objects.count(), digest.hexdigest()


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_lookup_limit_reached_on_one_server_holds_on_the_other(tmp_path):
    _redis_flush()
    with servers.servers(tmp_path, 2, worker=False, CCHC_LOOKUP_RATE_LIMIT="3/900") as (bases, _):
        a, b = bases
        for _ in range(3):
            r = requests.get(f"{a}/cong-khai/tra-cuu/", params={"ma": "KHONG-CO", "khoa": "000000"}, timeout=30)
            assert r.status_code == 200 and "tra-cuu" in r.url
        blocked = requests.get(f"{b}/cong-khai/tra-cuu/", params={"ma": "KHONG-CO", "khoa": "000000"}, timeout=30)
        assert blocked.status_code == 429 and "sai quá nhiều lần" in blocked.text
        health = requests.get(f"{b}/healthz", timeout=30).json()
        assert health["ok"] and health["cache"]["ok"] and "lag_seconds" in health["queue"]
    _redis_flush()


def test_an_import_started_on_one_server_shows_its_progress_on_the_other_and_survives_a_killed_worker(
    tmp_path, settings, make_user
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # what the servers check
    bench = _bench()
    bench.setup_org()
    import_procedures(PROCEDURES_FILE, actor=SystemActor("test"))
    admin = make_user("quantri.tinh", Role.SYSTEM_ADMIN)
    admin.set_password(PASSWORD)
    admin.save()
    csv = tmp_path / "ho_so.csv"
    bench.generate(csv, 300_000)
    before = _fingerprint()

    with servers.servers(tmp_path / "run", 2, worker=True) as (bases, worker):
        a, b = bases
        on_a = servers.login(a, "quantri.tinh", PASSWORD)
        with csv.open("rb") as fh:
            r = on_a.post(
                f"{a}/ho-so/nap/",
                files={"tep": ("ho_so.csv", fh, "text/csv")},
                data={"csrfmiddlewaretoken": on_a.cookies["csrftoken"]},
                headers={"Referer": f"{a}/ho-so/nap/"},
                timeout=120,
                allow_redirects=False,
            )
        assert r.status_code == 302, r.text[-2000:]
        job = Job.objects.get()
        # The same session on the other server (sessions are in the database) follows the job's progress.
        on_b = requests.Session()
        on_b.cookies.update(on_a.cookies)
        writing = _wait(
            lambda: (
                (p := on_b.get(f"{b}/cong-viec/{job.pk}/", headers={"HX-Request": "true"}, timeout=30).text)
                and "Đang ghi hồ sơ" in p
                and p
            ),
            240,
            "the write phase seen through the other server",
        )
        assert 'hx-trigger="every 1s"' in writing and "Đang chạy" in writing
        # SIGKILL in the middle of the write: PostgreSQL rolls the transaction back.
        os.kill(worker.pid, 9)
        worker.wait()
        time.sleep(1)
        assert _fingerprint() == before
        job.refresh_from_db()
        assert job.status == JobStatus.RUNNING  # nobody has looked yet
        page = on_b.get(f"{b}/cong-viec/{job.pk}/", headers={"HX-Request": "true"}, timeout=30).text
        assert "bị dừng giữa chừng" in page  # shown at once, before any worker marks it

        # The next worker finds it, runs it again (second attempt), and the file is in, once.
        again = servers.spawn(["worker", "--interval", "0.2"], servers.env(tmp_path / "run"), tmp_path / "w2.log")
        try:
            _wait(lambda: Job.objects.get(pk=job.pk).status in (JobStatus.DONE, JobStatus.FAILED), 300, "the re-run")
        finally:
            servers.stop(again)
        job.refresh_from_db()
        assert job.status == JobStatus.DONE and job.attempts == 2, job.stage
        assert job.result["created"] == 300_000 and Dossier.objects.count() == 300_000
        done = on_b.get(f"{b}/ho-so/nap/{job.dossier_import.pk}/", timeout=30).text
        assert "Hoàn thành" in done and "thêm mới 300.000" in done
