"""Periodic jobs: thin, idempotent wrappers around the services."""

from __future__ import annotations

from django_tasks import task

from yiwang.delivery import services


@task()
def orders_track() -> int:
    """Poll the carrier adapter for parcels on their way (``delivery.track``)."""
    return services.orders_track()
