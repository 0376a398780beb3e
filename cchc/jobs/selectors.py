"""Đọc trạng thái công việc nền (reads, never write): what a page shows of a job, and the queue's state for
/healthz."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from cchc.jobs import services
from cchc.jobs.models import Job, JobStatus

# Shown on a job that waits longer than this: nothing is taking jobs.
NO_WORKER_AFTER_SECONDS = 20


@dataclass(frozen=True)
class LiveState:
    status: str
    status_label: str
    progress: int
    stage: str
    active: bool
    note: str = ""


def live_state(job: Job, now: datetime | None = None) -> LiveState:
    """The job as a page shows it: the row, the SQLite side file while the job's transaction is open, and a
    dead worker shown as such before any worker has marked it (a GET does not write)."""
    now = now or timezone.now()
    progress, stage = job.progress, job.stage
    if job.status == JobStatus.RUNNING:
        side = _sidecar(job.pk)
        if side and (job.heartbeat_at is None or side["at"] >= job.heartbeat_at):
            progress, stage = side["progress"], side["stage"]
        if services.is_stale(job, now):
            return LiveState(
                JobStatus.FAILED,
                JobStatus.FAILED.label,
                progress,
                "Tiến trình xử lý bị dừng giữa chừng; công việc sẽ được chạy lại hoặc báo lỗi khi có tiến trình "
                "xử lý nền hoạt động.",
                False,
            )
    note = ""
    if job.status == JobStatus.QUEUED and (now - job.created_at).total_seconds() > NO_WORKER_AFTER_SECONDS:
        note = (
            "Chưa có tiến trình xử lý nền nào nhận việc. Máy chủ cần chạy “cchc worker” "
            "(hoặc “cchc serve”, tự chạy kèm một tiến trình)."
        )
    return LiveState(job.status, job.get_status_display(), progress, stage, job.active, note)


def _sidecar(job_id: int) -> dict[str, Any] | None:
    try:
        data = json.loads(services.sidecar_path(job_id).read_text(encoding="utf-8"))
        data["at"] = datetime.fromisoformat(data["at"])
        return data
    except (OSError, ValueError, KeyError):
        return None


def queue_state() -> dict[str, Any]:
    """Hàng đợi: tasks waiting, the oldest one's wait in seconds (lag), jobs running."""
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {
        "waiting": ready.count(),
        "lag_seconds": round((timezone.now() - oldest).total_seconds(), 1) if oldest else 0.0,
        "running": Job.objects.filter(status=JobStatus.RUNNING).count(),
    }
