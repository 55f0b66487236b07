"""Housekeeping jobs of the core app, run by the periodic tick."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from yiwang.core.models import IdempotencyRecord
from yiwang.core.ratelimit import rate_counters_prune

IDEMPOTENCY_RETENTION = dt.timedelta(hours=24)


@task()
def core_housekeeping() -> dict[str, int]:
    """Forget idempotency records older than a day and expired rate-limit windows."""
    cutoff = timezone.now() - IDEMPOTENCY_RETENTION
    records, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return {"idempotency_records": records, "rate_counters": rate_counters_prune()}
