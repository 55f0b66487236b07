"""The periodic tick that later capabilities hook their timers into.

An app registers a job in its ``AppConfig.ready()``::

    periodic_job_register(name="applications.timers", every=timedelta(minutes=1),
                          task=fire_due_timers)

``periodic_tick()`` (run by every ``yiwang worker`` about once a minute, or by cron through
``yiwang tick``) stamps the worker heartbeat and enqueues each job that is due. A job's run
is claimed with a conditional UPDATE, so with several workers each run starts exactly once;
the tasks themselves must be idempotent anyway.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass
from typing import Any

import structlog
from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.core.models import PeriodicJobRun, WorkerHeartbeat

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    task: Any  # a django_tasks Task (has .enqueue())


_registry: dict[str, PeriodicJob] = {}


def periodic_job_register(*, name: str, every: dt.timedelta, task: Any) -> None:
    _registry[name] = PeriodicJob(name=name, every=every, task=task)


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_registry.values(), key=lambda job: job.name)


def _claim(job: PeriodicJob, now: dt.datetime) -> bool:
    due_before = now - job.every
    claimed = PeriodicJobRun.objects.filter(name=job.name, last_started_at__lte=due_before).update(
        last_started_at=now
    )
    if claimed:
        return True
    if PeriodicJobRun.objects.filter(name=job.name).exists():
        return False
    try:
        with transaction.atomic():
            PeriodicJobRun.objects.create(name=job.name, last_started_at=now)
    except IntegrityError:
        return False  # another worker created it first and runs it
    return True


def worker_heartbeat(*, worker_id: str | None = None, now: dt.datetime | None = None) -> None:
    worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}"
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname(), "seen_at": now or timezone.now()},
    )


def periodic_tick(*, now: dt.datetime | None = None, worker_id: str | None = None) -> list[str]:
    """Stamp the heartbeat and enqueue every due job; return the names enqueued."""
    now = now or timezone.now()
    worker_heartbeat(worker_id=worker_id, now=now)
    started = []
    for job in periodic_jobs():
        if _claim(job, now):
            job.task.enqueue()
            started.append(job.name)
    if started:
        log.info("periodic_tick", enqueued=started)
    return started


def worker_last_seen() -> dt.datetime | None:
    return WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
