"""``gpvoice worker``: the background process. Each cycle it enqueues the scheduled jobs that are
due (each occurrence claimed by exactly one worker), then runs every ready task, then sleeps."""

from __future__ import annotations

import signal
import socket
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from gpvoice.jobs import schedule


class Command(BaseCommand):
    help = "Run scheduled jobs when due and every queued background task (run one or more of these)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds to sleep when idle")
        parser.add_argument("--once", action="store_true", help="one cycle, then exit (for cron or tests)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        worker_id = f"{socket.gethostname()[:40]}-{get_random_string(8)}"
        uses_database = isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)
        self.stdout.write(f"worker {worker_id} started")
        while self.running:
            close_old_connections()
            for name in schedule.enqueue_due():
                self.stdout.write(f"enqueued {name}")
            if uses_database:
                self._run_ready_tasks(worker_id)
            close_old_connections()
            if options["once"]:
                return
            time.sleep(options["interval"])

    def _run_ready_tasks(self, worker_id: str) -> None:
        Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        ).run()

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        # Finish the current task, then leave: never cut a task off halfway on purpose.
        self.running = False
