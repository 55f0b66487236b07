"""Periodic jobs: thin, idempotent wrappers around the services."""

from __future__ import annotations

from django_tasks import task

from yiwang.consult import services


@task()
def overdue_escalate() -> int:
    """Periodic job "consult.overdue": escalate each overdue question once."""
    return services.questions_escalate_overdue()
