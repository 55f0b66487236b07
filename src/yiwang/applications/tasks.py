from __future__ import annotations

from django_tasks import task

from yiwang.applications.services import application_timers_fire


@task()
def applications_timers() -> int:
    """Periodic job "applications.timers": fire due boundary timers (idempotent)."""
    return application_timers_fire()
