"""Chạy công việc nền (writes): enqueue a job, run it in a worker (or inline), report progress, and find jobs
whose worker died.

State lives in the ``Job`` row only, never in a process: any app server shows it, any worker runs it.

Progress while the job's own transaction is open: on PostgreSQL through a second connection (autocommit, so
pages see it at once); on SQLite the job holds the database's only write lock, so the figure goes to a small
file next to the database (``$CCHC_VAR_DIR/jobs/<id>.json``, same machine by construction) and the row is
written when the transaction ends.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import F
from django.utils import timezone

from cchc.core.files import write_atomically
from cchc.core.importing import ImportRejected
from cchc.jobs import kinds
from cchc.jobs.models import Job, JobStatus

log = logging.getLogger("cchc.jobs")

WORKER_LOST = (
    "Tiến trình xử lý bị dừng giữa chừng (máy chủ bị tắt hoặc khởi động lại) và đã hết số lần chạy lại. "
    "Hãy chạy lại công việc."
)
WORKER_LOST_ATOMIC = " Dữ liệu giữ nguyên như trước khi chạy."


# ---- the running process ---------------------------------------------------------------------------------
def _proc_stat(pid: int) -> tuple[str, str] | None:
    """(state, start time in clock ticks) of a process from /proc, None when there is no such process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    except OSError:
        return ("?", "")
    fields = raw[raw.rfind(")") + 2 :].split()  # the command name may contain spaces and brackets
    return fields[0], fields[19]


def process_token(pid: int | None = None) -> str:
    """host:pid:start — the start time tells a live process from a later one that got the same pid."""
    pid = pid or os.getpid()
    stat = _proc_stat(pid)
    return f"{socket.gethostname()}:{pid}:{stat[1] if stat else ''}"


def process_alive(token: str) -> bool | None:
    """Whether the process named by ``token`` still runs; None when it runs on another machine."""
    host, _, rest = token.partition(":")
    pid_text, _, start = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return None
    pid = int(pid_text)
    stat = _proc_stat(pid)
    if stat is None:
        if Path("/proc/self/stat").exists():
            return False
        try:  # no /proc (not Linux): ask the kernel
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    state, started = stat
    if state in ("Z", "X"):  # killed, not yet reaped by its parent
        return False
    return not (start and started and start != started)


# ---- enqueue ---------------------------------------------------------------------------------------------
def enqueue(
    kind: str,
    *,
    label: str,
    actor: Any,
    unit: Any = None,
    params: dict[str, Any] | None = None,
    inline: bool = False,
) -> Job:
    """Tạo công việc. ``inline`` runs it now in this process, through the same code as a worker (small
    uploads, commands); otherwise a worker (``cchc worker``, or the one ``cchc serve`` starts) takes it."""
    kinds.get(kind)  # an unknown kind fails here, not in the worker
    user = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            label=label[:255],
            actor=user,
            actor_label=(actor.get_username() if user else str(actor or ""))[:150],
            unit=unit,
            params=params or {},
        )
        if not inline:
            _send(job)
    log.info("job queued", extra={"job": job.pk, "kind": kind, "inline": inline})
    if inline:
        execute(job.pk)
    job.refresh_from_db()
    return job


def _send(job: Job) -> None:
    from cchc.jobs.tasks import run_job

    result = run_job.enqueue(job.pk)
    job.task_id = str(result.id)
    Job.objects.filter(pk=job.pk).update(task_id=job.task_id)


# ---- run -------------------------------------------------------------------------------------------------
def sidecar_path(job_id: int) -> Path:
    return Path(settings.VAR_DIR) / "jobs" / f"{job_id}.json"


class ProgressWriter:
    """``progress(pct, stage)`` of a running job; also its heartbeat."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self._side = None
        self._sidecar = False

    def __call__(self, pct: int, stage: str) -> None:
        pct, stage, now = max(0, min(100, int(pct))), str(stage)[:300], timezone.now()
        try:
            if not connection.in_atomic_block:
                Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
                    progress=pct, stage=stage, heartbeat_at=now
                )
            elif connection.vendor == "postgresql":
                self._side_update(pct, stage, now)
            else:
                self._write_sidecar(pct, stage, now)
        except (DatabaseError, OSError) as exc:  # progress is never worth failing the job for
            log.warning("job progress not recorded", extra={"job": self.job_id, "error": str(exc)})

    def _side_update(self, pct: int, stage: str, now: datetime) -> None:
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        with self._side.cursor() as cur:
            cur.execute(
                f"UPDATE {Job._meta.db_table} SET progress = %s, stage = %s, heartbeat_at = %s "
                "WHERE id = %s AND status = %s",
                [pct, stage, now, self.job_id, JobStatus.RUNNING.value],
            )

    def _write_sidecar(self, pct: int, stage: str, now: datetime) -> None:
        # atomic: a reader sees the old figure or the new one
        figure = {"progress": pct, "stage": stage, "at": now.isoformat()}
        write_atomically(sidecar_path(self.job_id), json.dumps(figure).encode("utf-8"))
        self._sidecar = True

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
        if self._sidecar:
            sidecar_path(self.job_id).unlink(missing_ok=True)


def execute(job_id: int) -> str:
    """Run one queued job to its end (the worker's task, or inline). Returns the final status."""
    token = process_token()
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        worker=token,
        progress=0,
        finished_at=None,
    )
    if not claimed:  # already run, or taken by another worker
        return Job.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""
    job = Job.objects.get(pk=job_id)
    progress = ProgressWriter(job_id)
    started = time.monotonic()
    log.info("job started", extra={"job": job_id, "kind": job.kind, "attempt": job.attempts})
    fields: dict[str, Any]
    try:
        result = kinds.get(job.kind).handler(job, progress) or {}
    except ImportRejected as exc:
        fields = {
            "status": JobStatus.REJECTED,
            "stage": exc.summary()[:300],
            "errors": [e.as_dict() for e in exc.errors],
            "error_total": exc.total,
        }
    except Exception as exc:
        log.exception("job failed", extra={"job": job_id, "kind": job.kind})
        fields = {"status": JobStatus.FAILED, "stage": f"Lỗi hệ thống: {exc}"[:300]}
    else:
        fields = {"status": JobStatus.DONE, "stage": str(result.get("summary") or "Hoàn thành")[:300]}
        fields["result"] = result
    finally:
        progress.close()
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING, worker=token).update(
        progress=100, finished_at=timezone.now(), heartbeat_at=timezone.now(), **fields
    )
    log.info(
        "job finished",
        extra={
            "job": job_id,
            "kind": job.kind,
            "status": str(fields["status"]),
            "duration_ms": round((time.monotonic() - started) * 1000),
        },
    )
    return str(fields["status"])


# ---- dead workers ----------------------------------------------------------------------------------------
def is_stale(job: Job, now: datetime | None = None) -> bool:
    """A running job whose process is gone: on this machine by its pid, elsewhere by a heartbeat older than
    CCHC_JOB_STALE_SECONDS."""
    if job.status != JobStatus.RUNNING:
        return False
    alive = process_alive(job.worker) if job.worker else None
    if alive is not None:
        return not alive
    now = now or timezone.now()
    limit = timedelta(seconds=settings.CCHC_JOB_STALE_SECONDS)
    return (job.heartbeat_at or job.started_at or job.created_at) < now - limit


def reap_stale() -> list[int]:
    """Jobs whose worker died: run again (the next attempt), or failed with a Vietnamese message once their
    kind's attempts are used up. Returns the ids handled."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    handled = []
    for job in Job.objects.filter(status=JobStatus.RUNNING):
        if not is_stale(job, now):
            continue
        try:
            kind = kinds.get(job.kind)
        except LookupError:
            kind = kinds.JobKind(job.kind, lambda j, p: None, max_attempts=1, atomic=False)
        lost_task = job.task_id
        with transaction.atomic():
            if job.attempts < kind.max_attempts:
                changed = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, worker=job.worker).update(
                    status=JobStatus.QUEUED,
                    progress=0,
                    stage=f"Tiến trình xử lý bị dừng; đang chờ chạy lại (lần {job.attempts + 1}).",
                    worker="",
                )
                if changed:
                    _send(job)
            else:
                message = WORKER_LOST + (WORKER_LOST_ATOMIC if kind.atomic else "")
                changed = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, worker=job.worker).update(
                    status=JobStatus.FAILED, stage=message[:300], finished_at=now
                )
            if changed and lost_task:
                DBTaskResult.objects.filter(id=lost_task, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    exception_class_path="cchc.jobs.WorkerLost",
                    traceback="worker process gone",
                )
        sidecar_path(job.pk).unlink(missing_ok=True)
        if changed:
            handled.append(job.pk)
            log.warning("job worker lost", extra={"job": job.pk, "kind": job.kind, "attempt": job.attempts})
    return handled
