"""Real processes for the runtime tests: `cchc serve` and `cchc worker` started as a user would, on the test
database (committed data: the tests use transactional_db), with their own var dir and a shared Redis cache."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests
from django.db import connection

REDIS_URL = os.environ.get("CCHC_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def env(var_dir: Path, **extra: str) -> dict[str, str]:
    out = dict(os.environ)
    defaults = {
        "DATABASE_URL": database_url() if connection.vendor == "postgresql" else "",
        "CCHC_VAR_DIR": str(var_dir),
        "CCHC_CACHE_URL": REDIS_URL,
        "CCHC_REQUEST_LOG": "0",
        "CCHC_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CCHC_DB_CONN_MAX_AGE": "0",
        "CCHC_SECRET_KEY": "cle-de-test-des-serveurs-" + "x" * 40,
        "CCHC_DEBUG": "0",
    }
    out.update({**defaults, **extra})
    return out


def spawn(args: list[str], environ: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "cchc.cli", *args],
        env=environ,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a kill of the group stops gunicorn's children too
    )


def wait_healthy(base: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{base} not healthy after {timeout} s:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()


@contextmanager
def servers(var_dir: Path, count: int, *, worker: bool, **extra: str):
    """``count`` app servers (``cchc serve --no-worker``, 1 process × 4 threads each) and, if asked, one
    separate ``cchc worker``; yields (base URLs, worker process or None)."""
    var_dir.mkdir(parents=True, exist_ok=True)
    environ = env(var_dir, **extra)
    procs, bases = [], []
    try:
        for k in range(count):
            port = free_port()
            log = var_dir / f"serve-{k}.log"
            proc = spawn(
                ["serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4", "--no-worker"],
                environ,
                log,
            )
            procs.append(proc)
            bases.append((f"http://127.0.0.1:{port}", proc, log))
        for base, proc, log in bases:
            wait_healthy(base, proc, log)
        job_worker = spawn(["worker", "--interval", "0.2"], environ, var_dir / "worker.log") if worker else None
        if job_worker:
            procs.append(job_worker)
        yield [b for b, _, _ in bases], job_worker
    finally:
        for proc in procs:
            stop(proc)


def login(base: str, username: str, password: str) -> requests.Session:
    s = requests.Session()
    s.get(f"{base}/tai-khoan/dang-nhap/", timeout=30)
    r = s.post(
        f"{base}/tai-khoan/dang-nhap/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": s.cookies["csrftoken"]},
        headers={"Referer": f"{base}/tai-khoan/dang-nhap/"},
        timeout=30,
        allow_redirects=False,
    )
    assert r.status_code == 302, r.text[-2000:]
    return s
