"""Công việc chạy nền (background jobs): one row per long job, whatever its kind.

The row is the job's whole state: a page on any app server reads it, a worker on any machine writes it.
django-tasks (database backend) only carries "run job N" to a worker; status, progress and result live here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "cho", "Đang chờ"
    RUNNING = "dang_chay", "Đang chạy"
    DONE = "xong", "Hoàn thành"
    REJECTED = "tu_choi", "Dữ liệu bị từ chối"
    FAILED = "loi", "Không hoàn thành"


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    """Một công việc chạy nền: nạp tệp, dựng báo cáo, ký số, phân tích cả tỉnh…"""

    kind = models.CharField("loại", max_length=64)
    label = models.CharField("tên công việc", max_length=255)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    stage = models.CharField("bước", max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    errors = models.JSONField(default=list, blank=True)
    error_total = models.PositiveIntegerField(default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # host:pid:process-start of the process running it, to tell a dead worker from a slow one.
    worker = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status"], name="jobs_job_status_idx")]

    def __str__(self) -> str:
        return self.label

    @property
    def active(self) -> bool:
        return self.status in ACTIVE
