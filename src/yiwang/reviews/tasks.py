"""Periodic jobs: thin, idempotent wrappers around the services."""

from __future__ import annotations

from django_tasks import task

from yiwang.reviews import services


@task()
def overdue_escalate() -> int:
    return services.orders_escalate_overdue()
