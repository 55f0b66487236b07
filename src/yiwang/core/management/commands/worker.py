"""``yiwang worker``: the background worker — django-tasks-db's database worker in the main
thread, and the periodic tick in a second thread (heartbeat + enqueueing due jobs).

Any number of workers may run on any number of machines: tasks are claimed with row locks
by django-tasks-db, and periodic runs with a conditional UPDATE (see ``core.periodic``).
SIGTERM or SIGINT lets the current task finish, stops the tick thread, and exits.
"""

from __future__ import annotations

import os
import socket
import threading
from types import FrameType
from typing import Any

import structlog
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker

from yiwang.core.periodic import periodic_tick

log = structlog.get_logger(__name__)


class TickThread(threading.Thread):
    """Calls ``periodic_tick()`` now and then every ``seconds`` until stopped."""

    def __init__(self, *, seconds: float, worker_id: str) -> None:
        super().__init__(name="yiwang-tick", daemon=True)
        self.seconds = seconds
        self.worker_id = worker_id
        self.stopped = threading.Event()
        self.ticks = 0

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                periodic_tick(worker_id=self.worker_id)
                self.ticks += 1
            except Exception:  # a database hiccup must not kill the worker; retry next tick
                log.exception("periodic_tick_failed", worker_id=self.worker_id)
            finally:
                # This thread has its own connection; never keep it open while sleeping.
                connections.close_all()
            self.stopped.wait(self.seconds)

    def stop(self) -> None:
        self.stopped.set()


class TickingWorker(Worker):
    """The database worker, which also stops the tick thread when told to shut down."""

    def __init__(self, *, tick: TickThread, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tick = tick

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        self.tick.stop()
        super().shutdown(signum, frame)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


class Command(BaseCommand):
    help = "Run background tasks and the periodic tick until SIGTERM/SIGINT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--tick-seconds",
            type=float,
            default=float(os.environ.get("WORKER_TICK_SECONDS", "30")),
            help="Seconds between periodic ticks (default: $WORKER_TICK_SECONDS or 30).",
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls when idle."
        )
        parser.add_argument("--queue-name", default="*", help="Queues, comma-separated; * = all.")
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Tick once, run every outstanding task, then exit (for tests and one-off runs).",
        )
        parser.add_argument("--worker-id", default="", help="Unique id (default: host:pid).")

    def handle(
        self,
        *args: Any,
        tick_seconds: float,
        interval: float,
        queue_name: str,
        batch: bool,
        worker_id: str,
        **options: Any,
    ) -> None:
        worker_id = worker_id or default_worker_id()
        tick = TickThread(seconds=tick_seconds, worker_id=worker_id)
        worker = TickingWorker(
            tick=tick,
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        if batch:
            # Tick in this thread first so that due jobs are enqueued before the batch runs.
            periodic_tick(worker_id=worker_id)
        else:
            # Signals first: a SIGTERM arriving once the tick has begun must reach the worker.
            worker.configure_signals()
            tick.start()
        self.stdout.write(f"Worker {worker_id} started (tick every {tick_seconds:g}s).")
        try:
            worker.run()
        finally:
            tick.stop()
            if tick.is_alive():
                tick.join(timeout=5)
            self.stdout.write(f"Worker {worker_id} stopped.")
