"""Background delivery. Thin wrappers: the work and its idempotency live in ``delivery``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from yiwang.notify.delivery import MAX_ATTEMPTS, delivery_send
from yiwang.notify.models import Delivery, DeliveryStatus

# A failed delivery is retried by the periodic tick for this long; after that the news is
# stale (a login code has expired) and it stays failed for someone to look at.
RETRY_WINDOW = dt.timedelta(minutes=10)


@task()
def deliver(delivery_id: int) -> str:
    return delivery_send(delivery_id=delivery_id)


@task()
def deliveries_retry() -> int:
    """Queue another attempt for each recent failed delivery that has attempts left."""
    since = timezone.now() - RETRY_WINDOW
    ids = list(
        Delivery.objects.filter(
            status=DeliveryStatus.FAILED, attempts__lt=MAX_ATTEMPTS, created_at__gte=since
        ).values_list("pk", flat=True)[:500]
    )
    for delivery_id in ids:
        deliver.enqueue(delivery_id)
    return len(ids)
