"""The commune PC's one command, `cchc serve --migrate`, on a SQLite file: it sets the database up, serves the
site and its static files, runs uploads on the worker it starts, and when that worker is killed (SIGKILL) in
the middle of a 300.000-row import, the database is as before, the server starts another worker, and that
one runs the import again to its end."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests
from django.db import connection

from cchc.dossiers.demo import PROCEDURES_FILE
from cchc.org.demo import DEMO_ORG_FILE
from cchc.runtime.tests import servers

pytestmark = [
    pytest.mark.servers,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the commune PC runs SQLite (PostgreSQL: test_servers)"),
]
PASSWORD = "Mat-khau-xa-2026-ok"
UNITS = ["000.11.21.H42", "000.16.21.H42", "000.12.22.H42"]


def _cchc(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-m", "cchc.cli", *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _csv(path: Path, n: int) -> None:
    start = date(2024, 1, 2)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("ma_ho_so,don_vi,ma_thu_tuc,kenh,ngay_tiep_nhan,ngay_tra_ket_qua\n")
        for k in range(n):
            day = start + timedelta(days=k % 300)
            unit = UNITS[k % 3]
            back = "" if k % 10 == 0 else f"{day + timedelta(days=2):%d/%m/%Y}"
            fh.write(f"{unit}-{day:%y%m%d}-{k:06d},{unit},1.004873,truc_tiep,{day:%d/%m/%Y} 08:30,{back}\n")


def _counts(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        return tuple(
            conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("dossiers_dossier", "dossiers_dossierstat")
        )
    finally:
        conn.close()


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(line.split()[0]) for line in out.splitlines() if " worker" in line and "cchc.cli" in line]


def test_one_command_serves_the_commune_and_survives_a_killed_worker(tmp_path):
    var = tmp_path / "var"
    db = var / "cchc.sqlite3"
    env = servers.env(var, DATABASE_URL=f"sqlite:///{db}", CCHC_CACHE_URL="db://")
    port = servers.free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    proc = servers.spawn(["serve", "--migrate", "--bind", f"127.0.0.1:{port}", "--workers", "2"], env, log)
    try:
        servers.wait_healthy(base, proc, log, timeout=240)
        assert requests.get(f"{base}/static/vendor/htmx.min.js", timeout=30).status_code == 200
        _cchc(["org", "load", str(DEMO_ORG_FILE)], env)
        _cchc(["dossiers", "import-procedures", str(PROCEDURES_FILE)], env)
        _cchc(
            [
                "shell",
                "-c",
                (
                    "from cchc.accounts.services import create_user; "
                    "create_user(actor='t', username='quantri', role='system_admin', unit=None, "
                    f"password='{PASSWORD}', must_change_password=False)"
                ),
            ],
            env,
        )
        csv = tmp_path / "ho_so.csv"
        _csv(csv, 300_000)
        before = _counts(db)
        session = servers.login(base, "quantri", PASSWORD)
        with csv.open("rb") as fh:
            r = session.post(
                f"{base}/ho-so/nap/",
                files={"tep": ("ho_so.csv", fh, "text/csv")},
                data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
                headers={"Referer": f"{base}/ho-so/nap/"},
                timeout=120,
                allow_redirects=False,
            )
        assert r.status_code == 302, r.text[-2000:]
        job_id = int(re.search(r"/ho-so/nap/(\d+)/", r.headers["Location"]).group(1))
        first = _children(proc.pid)
        assert len(first) == 1  # the worker `cchc serve` started
        # The write phase: the import holds SQLite's write lock, its progress is in the side file.
        side = var / "jobs"
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            files = list(side.glob("*.json")) if side.exists() else []
            try:
                if files and json.loads(files[0].read_text(encoding="utf-8"))["stage"].startswith("Đang ghi"):
                    break
            except (OSError, ValueError):  # replaced while read
                pass
            time.sleep(0.1)
        else:
            raise AssertionError("the import never reached its write phase")
        page = session.get(f"{base}/ho-so/nap/{job_id}/", timeout=60).text
        assert "Đang ghi hồ sơ" in page  # another web process reads the side file
        os.kill(first[0], signal.SIGKILL)
        time.sleep(1)
        assert _counts(db) == before  # SQLite rolled the open transaction back
        # gunicorn's master starts another worker; it finds the job of the dead one and runs it again.
        deadline = time.monotonic() + 400
        while time.monotonic() < deadline:
            body = session.get(f"{base}/cong-viec/{job_id}/", headers={"HX-Request": "true"}, timeout=60).text
            if "every 1s" not in body and "bị dừng" not in body:
                break
            time.sleep(1)
        assert "Hoàn thành" in body and "thêm mới 300.000" in body, body[-1500:]
        assert _counts(db)[0] == before[0] + 300_000
        second = _children(proc.pid)
        assert len(second) == 1 and second != first
        health = requests.get(f"{base}/healthz", timeout=30).json()
        assert health["ok"] and health["queue"]["waiting"] == 0
        assert json.loads(json.dumps(health))["cache"]["ok"]
    finally:
        servers.stop(proc)
