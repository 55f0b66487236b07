"""``yiwang serve``: the production web server (gunicorn on ``yiwang.wsgi``), or Django's
development server with ``--dev``. The app is stateless: run as many as you like behind a
load balancer (see docs/OPERATIONS.md)."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


def default_workers() -> int:
    return int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) * 2 + 1)


def default_bind() -> str:
    return f"0.0.0.0:{os.environ.get('PORT', '8000')}"


def gunicorn_argv(*, bind: str, workers: int, threads: int, timeout: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "yiwang.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        str(timeout),
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]


class Command(BaseCommand):
    help = "Serve the portal: gunicorn (production) or runserver with --dev."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="", help="host:port (default: 0.0.0.0:$PORT).")
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="gunicorn workers (default: $WEB_CONCURRENCY or 2 x CPUs + 1).",
        )
        parser.add_argument("--threads", type=int, default=1, help="Threads per worker.")
        parser.add_argument("--timeout", type=int, default=30, help="Worker timeout, seconds.")
        parser.add_argument("--dev", action="store_true", help="Use Django's runserver.")
        parser.add_argument("--collectstatic", action="store_true", help="Run collectstatic first.")

    def handle(
        self,
        *args: Any,
        bind: str,
        workers: int,
        threads: int,
        timeout: int,
        dev: bool,
        collectstatic: bool,
        **options: Any,
    ) -> None:
        bind = bind or default_bind()
        if workers < 0 or threads < 1 or timeout < 1:
            raise CommandError("--workers, --threads and --timeout must be positive.")
        if collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        if dev:
            call_command("runserver", bind, use_reloader=True)
            return
        argv = gunicorn_argv(
            bind=bind, workers=workers or default_workers(), threads=threads, timeout=timeout
        )
        if shutil.which(argv[0]) is None and not os.path.exists(argv[0]):
            raise CommandError(f"Python interpreter not found: {argv[0]}")
        self.stdout.write("Starting: " + " ".join(argv[2:]))
        self.stdout.flush()
        # Replace this process so gunicorn's master receives the orchestrator's signals.
        os.execv(argv[0], argv)  # noqa: S606
