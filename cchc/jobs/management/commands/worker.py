"""``cchc worker``: a background-job worker (django-tasks' database queue). Run one or several, on one machine
or several, against the same database: each job is taken by one worker."""

from __future__ import annotations

import logging
import os
import time

from django.core.management.base import BaseCommand
from django.db import OperationalError, close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from cchc.core.params import env_int
from cchc.jobs import services

log = logging.getLogger("cchc.jobs")


class JobWorker(Worker):
    """django-tasks-db's worker loop, plus: every ``reap_every`` seconds (and at start) the jobs whose worker
    died are run again or marked failed (services.reap_stale)."""

    def __init__(self, *, reap_every: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.reap_every = reap_every
        self._last_reap = float("-inf")

    def reap(self) -> None:
        if time.monotonic() - self._last_reap < self.reap_every:
            return
        self._last_reap = time.monotonic()
        try:
            services.reap_stale()
        except OperationalError as exc:  # SQLite busy with an import: next time
            if not is_locked_database_exception(exc):
                raise

    def run(self) -> None:
        log.info("worker started", extra={"worker": self.worker_id, "queues": ",".join(self.queue_names)})
        while self.running:
            close_old_connections()
            self.reap()
            tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name, queue_name__in=self.queue_names)
            got_answer = True
            task_result = None
            with exclusive_transaction(tasks.db):
                try:
                    task_result = tasks.get_locked()
                    if task_result is not None:
                        task_result.claim(self.worker_id)  # no other worker takes it
                except OperationalError as exc:
                    if not is_locked_database_exception(exc):
                        raise
                    got_answer = False
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and got_answer and task_result is None:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)


class Command(BaseCommand):
    help = (
        "Chạy tiến trình xử lý công việc nền (nạp tệp, dựng báo cáo, ký số…); chạy nhiều tiến trình cùng lúc "
        "được. / Run a background-job worker (several may share the queue)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="giây chờ khi hàng đợi trống / idle poll")
        parser.add_argument("--batch", action="store_true", help="chạy hết việc đang chờ rồi thoát / drain and exit")
        parser.add_argument("--max-tasks", type=int, default=None, help="thoát sau N việc / exit after N tasks")
        parser.add_argument("--queue", default="default", help="tên hàng đợi, cách nhau bởi dấu phẩy / queues")
        parser.add_argument(
            "--reap-every",
            type=float,
            default=30.0,
            help="giây giữa hai lần tìm việc có tiến trình đã chết / seconds between dead-worker checks",
        )
        parser.add_argument(
            "--nice",
            type=int,
            default=env_int("CCHC_WORKER_NICE", 10),
            help="mức ưu tiên CPU thấp hơn trang web (0: như trang web; mặc định CCHC_WORKER_NICE hoặc 10) / "
            "CPU niceness added to this process",
        )

    def handle(self, *args, interval, batch, max_tasks, queue, reap_every, nice, **options):
        if nice > 0:
            # Background work yields the CPU to people's requests: on two cores an import running at the same
            # priority made every page wait seconds while it ran (bench/load_province.py, p99 of 4-6 s).
            os.nice(nice)
        worker_id = f"{services.process_token()}:{get_random_string(6)}"[-64:]
        worker = JobWorker(
            queue_names=queue.split(","),
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
            reap_every=reap_every,
        )
        worker.configure_signals()
        worker.run()
