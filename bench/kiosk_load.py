"""Load test of the kiosk endpoint: many tablets at once, some replaying, some racing on one dossier.

Starts the app (``cchc runserver --noreload``, threaded) on 127.0.0.1 with a fresh SQLite database in a
temporary folder and, if DATABASE_URL points at a PostgreSQL server, again on a fresh database created on
that server (and dropped afterwards). Then M client threads send N requests (http.client, bounded in count
and in time):

- every planned rating once, with its own client id (UUID);
- REPLAY_SHARE of them a second time with the same client id (an offline queue replayed, an answer lost);
- RACE_SHARE of the dossiers also rated from a second tablet with another client id at the same moment.

It prints requests/s and p50/p95 latency, and checks: exactly one rating per dossier, every planned dossier
rated (no lost rating), each stored rating one of the client ids sent for it, replays answered 200 with the
original client id, racers answered 201 once and 409 otherwise, no other status.

    .venv/bin/python bench/kiosk_load.py                       # SQLite (and PostgreSQL if DATABASE_URL is set)
    .venv/bin/python bench/kiosk_load.py --ratings 3000 --clients 32

Only 127.0.0.1 is ever contacted. The rate limit is raised for the run (CCHC_SURVEY_RATE_LIMIT) since every
client comes from one address; the rate limit itself is tested in cchc/surveys/tests.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CCHC = str(ROOT / ".venv" / "bin" / "cchc")
UNIT = "000.16.21.H42"
HOST = "127.0.0.1"

# Measured on this project's machine kind (2 cores), `bench/kiosk_load.py` with the defaults below.
REFERENCE = {
    "sqlite": {"requests": 2020, "req_per_s": 87.8, "p50_ms": 144.9, "p95_ms": 383.3},
    "postgresql": {"requests": 2020, "req_per_s": 71.9, "p50_ms": 177.9, "p95_ms": 517.3},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def run(cmd: list[str], env: dict) -> None:
    subprocess.run(cmd, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def prepare(env: dict) -> None:
    run([CCHC, "migrate", "-v0"], env)
    run([CCHC, "org", "load", str(ROOT / "cchc" / "data" / "demo" / "org.yaml")], env)


def start_server(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [CCHC, "runserver", f"{HOST}:{port}", "--noreload", "--skip-checks"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", f"/kiosk/{UNIT}/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("Máy chủ thử không khởi động được.")


def plan(ratings: int, replay_share: float, race_share: float, seed: int) -> tuple[list[dict], dict[str, set[str]]]:
    rng = random.Random(seed)
    groups: list[list[dict]] = []
    sent_ids: dict[str, set[str]] = {}
    first_day = date(2024, 1, 2)
    for n in range(ratings):
        day = first_day + timedelta(days=n // 9000)
        code = f"{UNIT}-{day:%y%m%d}-{n % 9000 + 1:04d}"
        payload = {
            "client_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "dossier_code": code,
            "question_set": "sipas-2021",
            "answers": {
                "tong_the": rng.choice(["rat_hai_long", "hai_long", "khong_hai_long"]),
                "cong_chuc": "hai_long",
            },
            "comment": "",
        }
        sent_ids[code] = {payload["client_id"]}
        group = [{"kind": "first", "payload": payload}]
        if rng.random() < replay_share:
            group.append({"kind": "replay", "payload": payload})
        if rng.random() < race_share:
            racer = {**payload, "client_id": str(uuid.UUID(int=rng.getrandbits(128), version=4))}
            sent_ids[code].add(racer["client_id"])
            group.append({"kind": "racer", "payload": racer})
        groups.append(group)
    # A dossier's requests stay next to each other, so that the pool sends them at the same moment
    # (a real race), while the dossiers come in random order.
    rng.shuffle(groups)
    tasks = [task for group in groups for task in group]
    return tasks, sent_ids


def fire(port: int, tasks: list[dict], clients: int, time_limit: float) -> tuple[list[tuple], float]:
    local = threading.local()
    deadline = time.monotonic() + time_limit
    results: list[tuple] = []
    lock = threading.Lock()
    origin = f"http://{HOST}:{port}"

    def send(task: dict) -> None:
        if time.monotonic() > deadline:
            with lock:
                results.append((task, "skipped", None, 0.0))
            return
        body = json.dumps(task["payload"]).encode()
        for attempt in range(2):
            conn = getattr(local, "conn", None) or http.client.HTTPConnection(HOST, port, timeout=30)
            local.conn = conn
            started = time.perf_counter()
            try:
                conn.request(
                    "POST",
                    f"/kiosk/{UNIT}/gui/",
                    body=body,
                    headers={"Content-Type": "application/json", "Origin": origin},
                )
                response = conn.getresponse()
                data = json.loads(response.read() or b"{}")
                elapsed = time.perf_counter() - started
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    local.conn = None
                with lock:
                    results.append((task, response.status, data, elapsed))
                return
            except (OSError, http.client.HTTPException):
                conn.close()
                local.conn = None
                if attempt:
                    with lock:
                        results.append((task, "error", None, time.perf_counter() - started))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(send, tasks))
    return results, time.perf_counter() - started


def stored_ratings(env: dict) -> list[tuple[str, str]]:
    script = (
        "import json; from cchc.surveys.models import Rating; "
        "print(json.dumps([[c, str(i)] for c, i in Rating.objects.values_list('dossier_code', 'client_id')]))"
    )
    out = subprocess.run([CCHC, "shell", "-c", script], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return [tuple(row) for row in json.loads(out.stdout.strip().splitlines()[-1])]


def check(results: list[tuple], sent_ids: dict[str, set[str]], rows: list[tuple[str, str]]) -> list[str]:
    problems: list[str] = []
    per_code = Counter(code for code, _ in rows)
    doubles = [code for code, n in per_code.items() if n > 1]
    if doubles:
        problems.append(f"{len(doubles)} hồ sơ có hơn một phiếu (ví dụ {doubles[0]})")
    attempted = {task["payload"]["dossier_code"] for task, status, _, _ in results if status != "skipped"}
    lost = sorted(attempted - set(per_code))
    if lost:
        problems.append(f"{len(lost)} hồ sơ đã gửi mà không có phiếu (ví dụ {lost[0]})")
    strangers = [code for code, cid in rows if cid not in sent_ids.get(code, set())]
    if strangers:
        problems.append(f"{len(strangers)} phiếu mang mã phiếu không được gửi")
    stored = dict(rows)
    for task, status, data, _ in results:
        kind, payload = task["kind"], task["payload"]
        code, cid = payload["dossier_code"], payload["client_id"]
        if status == "skipped":
            continue
        if status not in (200, 201, 409):
            problems.append(f"{kind} {code}: trạng thái {status}")
        elif status == 201 and stored.get(code) != cid:
            problems.append(f"{kind} {code}: trả 201 nhưng phiếu lưu là của mã khác")
        elif status == 200 and (data.get("client_id") != cid or stored.get(code) != cid):
            problems.append(f"{kind} {code}: gửi lại nhưng không trả phiếu gốc")
        elif status == 409 and stored.get(code) == cid:
            problems.append(f"{kind} {code}: bị từ chối nhưng phiếu lưu lại là của chính nó")
    return problems[:20]


def one_round(label: str, env: dict, args: argparse.Namespace) -> dict:
    prepare(env)
    port = free_port()
    server = start_server(env, port)
    try:
        tasks, sent_ids = plan(args.ratings, args.replay_share, args.race_share, args.seed)
        tasks = tasks[: args.max_requests]
        results, wall = fire(port, tasks, args.clients, args.time_limit)
    finally:
        server.terminate()
        server.wait(timeout=10)
    rows = stored_ratings(env)
    done = [r for r in results if r[1] != "skipped"]
    latencies = sorted(r[3] * 1000 for r in done if r[1] != "error")
    statuses = Counter(str(r[1]) for r in results)
    kinds = Counter((r[0]["kind"], str(r[1])) for r in done)
    figures = {
        "requests": len(done),
        "req_per_s": round(len(done) / wall, 1) if wall else 0,
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1) if latencies else None,
    }
    problems = check(results, sent_ids, rows)
    print(
        f"\n== {label}: {args.clients} client đồng thời, {len(tasks)} yêu cầu dự kiến "
        f"({sum(t['kind'] == 'first' for t in tasks)} phiếu, {sum(t['kind'] == 'replay' for t in tasks)} gửi lại, "
        f"{sum(t['kind'] == 'racer' for t in tasks)} tranh cùng mã) =="
    )
    print(
        f"  thời gian {wall:.1f} s; {figures['requests']} yêu cầu; {figures['req_per_s']} yêu cầu/s; "
        f"p50 {figures['p50_ms']} ms; p95 {figures['p95_ms']} ms"
    )
    print(f"  trạng thái: {dict(statuses)}")
    print(f"  theo loại: {dict(sorted(kinds.items()))}")
    print(
        f"  phiếu trong CSDL: {len(rows)}; hồ sơ khác nhau đã gửi: "
        f"{len({r[0]['payload']['dossier_code'] for r in done})}"
    )
    ref = REFERENCE.get(label, {})
    if ref.get("req_per_s"):
        print(
            f"  tham chiếu (máy 2 lõi): {ref['requests']} yêu cầu; {ref['req_per_s']} yêu cầu/s; "
            f"p50 {ref['p50_ms']} ms; p95 {ref['p95_ms']} ms"
        )
    if problems:
        print("  SAI:\n   - " + "\n   - ".join(problems))
    else:
        print("  ĐÚNG: mỗi hồ sơ đúng một phiếu, không mất phiếu nào, gửi lại trả phiếu gốc.")
    figures["ok"] = not problems
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=1500, help="số phiếu (hồ sơ) dự kiến")
    parser.add_argument("--clients", type=int, default=16, help="số client đồng thời")
    parser.add_argument("--replay-share", type=float, default=0.25)
    parser.add_argument("--race-share", type=float, default=0.10)
    parser.add_argument("--max-requests", type=int, default=5000, help="giới hạn số yêu cầu")
    parser.add_argument("--time-limit", type=float, default=180.0, help="giới hạn thời gian gửi (giây)")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()

    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CCHC_DEMO"}}
    base.update(CCHC_SURVEY_RATE_LIMIT="10000000/60", CCHC_DEBUG="0", CCHC_LOG_LEVEL="ERROR", CCHC_ALLOWED_HOSTS=HOST)
    ok = True
    with tempfile.TemporaryDirectory(prefix="cchc-kiosk-load-") as tmp:
        ok &= one_round("sqlite", {**base, "CCHC_VAR_DIR": tmp}, args)["ok"]

    pg_url = os.environ.get("DATABASE_URL", "")
    if pg_url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(pg_url)
        name = f"cchc_kiosk_load_{os.getpid()}"
        admin_url = urlunsplit(
            (
                parts.scheme.replace("postgres", "postgresql", 1) if parts.scheme == "postgres" else parts.scheme,
                parts.netloc,
                "/postgres",
                "",
                "",
            )
        )
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            with tempfile.TemporaryDirectory(prefix="cchc-kiosk-load-") as tmp:
                env = {
                    **base,
                    "CCHC_VAR_DIR": tmp,
                    "DATABASE_URL": urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", "")),
                }
                ok &= one_round("postgresql", env, args)["ok"]
        finally:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
