"""``yiwang tick``: one periodic tick, for installations that drive timers from cron or a
Kubernetes CronJob instead of (or as well as) ``yiwang worker``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yiwang.core.periodic import periodic_tick


class Command(BaseCommand):
    help = "Run one periodic tick: stamp the worker heartbeat and enqueue every due job."

    def handle(self, *args: Any, **options: Any) -> None:
        started = periodic_tick()
        if started:
            self.stdout.write("Enqueued: " + ", ".join(started))
        else:
            self.stdout.write("Nothing due.")
