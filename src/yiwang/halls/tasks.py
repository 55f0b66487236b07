"""Periodic jobs: thin, idempotent wrappers around the services."""

from __future__ import annotations

from django_tasks import task

from yiwang.halls import services


@task()
def slots_generate() -> int:
    return services.slots_generate()


@task()
def no_shows_mark() -> int:
    return services.no_shows_mark()
