"""``cchc serve``: the production web server (gunicorn, threaded workers) with static files through WhiteNoise,
and — unless ``--no-worker`` — one background-job worker (``cchc worker``) as a child process, restarted if it
dies: the commune PC runs everything with one command; a province runs app servers with ``--no-worker`` and
workers on their own (docs/deployment.md)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cchc.core.params import env_int

try:
    from gunicorn.app.base import BaseApplication
    from gunicorn.arbiter import Arbiter
except ImportError:  # pragma: no cover - gunicorn is a dependency
    BaseApplication = Arbiter = None


class _Arbiter(Arbiter):
    """gunicorn's master, which also keeps one ``cchc worker`` child running (started after the web workers,
    restarted within seconds if it exits, stopped with the server)."""

    job_worker_cmd: list[str] | None = None

    def start(self) -> None:
        super().start()
        self.job_worker = None
        self._job_worker_started = 0.0
        self._spawn_job_worker()

    def _spawn_job_worker(self) -> None:
        if self.job_worker_cmd:
            self.job_worker = subprocess.Popen(self.job_worker_cmd)
            self._job_worker_started = time.monotonic()
            self.log.info("Started job worker (pid: %s)", self.job_worker.pid)

    def manage_workers(self) -> None:
        super().manage_workers()
        # gunicorn's waitpid(-1) may have reaped it already: poll() then reports it gone all the same.
        if self.job_worker is not None and self.job_worker.poll() is not None:
            if time.monotonic() - self._job_worker_started > 5:  # no tight loop if it cannot start
                self.log.warning("Job worker exited (%s); starting another", self.job_worker.returncode)
                self._spawn_job_worker()

    def stop(self, graceful: bool = True) -> None:
        worker, self.job_worker = getattr(self, "job_worker", None), None
        if worker is not None and worker.poll() is None:
            worker.send_signal(signal.SIGTERM)  # finishes the job in hand; a killed one is re-run later
        super().stop(graceful)
        if worker is not None:
            try:
                worker.wait(timeout=self.cfg.graceful_timeout)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


class _Application(BaseApplication):
    def __init__(self, options: dict, job_worker_cmd: list[str] | None) -> None:
        self.options = options
        self.job_worker_cmd = job_worker_cmd
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from cchc.runtime.warmup import warm
        from cchc.wsgi import application

        # Loaded once in the master (preload_app): every web process, recycled ones too, is forked warm.
        warm()
        connection.close()  # nothing above should open one; a forked copy must never be shared
        return application

    def run(self) -> None:
        _Arbiter.job_worker_cmd = self.job_worker_cmd
        _Arbiter(self).run()


class Command(BaseCommand):
    help = (
        "Chạy máy chủ web (gunicorn) kèm một tiến trình xử lý công việc nền. "
        "/ Run the web server (gunicorn) with one background-job worker."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("CCHC_BIND", "127.0.0.1:8000"), help="HOST:PORT")
        parser.add_argument(
            "--workers",
            type=int,
            default=env_int("CCHC_WEB_WORKERS", 3),
            help="số tiến trình web (CCHC_WEB_WORKERS, mặc định 3 cho máy 2 lõi) / web processes",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=env_int("CCHC_WEB_THREADS", 4),
            help="số luồng mỗi tiến trình (CCHC_WEB_THREADS, mặc định 4) / threads per process",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            default=os.environ.get("CCHC_SERVE_WORKER", "1") == "0",
            help="không chạy tiến trình xử lý nền kèm theo (CCHC_SERVE_WORKER=0) / no job worker",
        )
        parser.add_argument(
            "--migrate", action="store_true", help="áp dụng thay đổi cơ sở dữ liệu trước / apply migrations first"
        )

    def handle(self, *args, bind, workers, threads, no_worker, migrate, **options):
        self._prepare(migrate)
        job_worker_cmd = None if no_worker else [sys.executable, "-m", "cchc.cli", "worker"]
        gunicorn_options = {
            "bind": bind,
            "workers": max(1, workers),
            "threads": max(1, threads),
            "worker_class": "gthread",
            "timeout": env_int("CCHC_WEB_TIMEOUT", 120),
            "graceful_timeout": env_int("CCHC_WEB_GRACEFUL_TIMEOUT", 30),
            "keepalive": 5,
            # Recycle a web process now and then: a slow leak in a long-lived process never grows large.
            "max_requests": env_int("CCHC_WEB_MAX_REQUESTS", 5000),
            "max_requests_jitter": 500,
            "preload_app": True,  # see _Application.load: import and compile once, before forking
            "accesslog": None,  # one JSON line per request comes from cchc.runtime.middleware
            "errorlog": "-",
            "loglevel": os.environ.get("CCHC_WEB_LOG_LEVEL", "info"),
            "proc_name": "cchc",
            "control_socket_disable": True,  # several servers may run on one machine
            "forwarded_allow_ips": os.environ.get("CCHC_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        }
        self.stdout.write(
            f"cchc serve: http://{bind}/ — {workers} tiến trình × {threads} luồng"
            + ("" if no_worker else ", 1 tiến trình xử lý nền")
        )
        self.stdout.flush()
        _Application(gunicorn_options, job_worker_cmd).run()

    def _prepare(self, migrate: bool) -> None:
        if migrate:
            call_command("migrate", interactive=False, verbosity=0)
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError(
                "Cơ sở dữ liệu chưa được cập nhật: chạy “cchc migrate” (hoặc “cchc serve --migrate”) trước."
            )
        static_root = settings.STATIC_ROOT
        if not (static_root.exists() and any(static_root.iterdir())):
            call_command("collectstatic", interactive=False, verbosity=0)
        connection.close()  # the web processes open their own
