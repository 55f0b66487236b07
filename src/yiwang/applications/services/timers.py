"""The periodic job that fires due boundary timers."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from yiwang.applications.engine import runtime
from yiwang.applications.models import (
    OPEN_STATUSES,
    Application,
)
from yiwang.applications.services._common import (
    _load,
    _sync,
)


def application_timers_fire(*, now: dt.datetime | None = None) -> int:
    """Refresh every workflow whose earliest timer is due; return how many moved. Each
    application is its own transaction, so one broken workflow does not stop the others."""
    now = now or timezone.now()
    due = list(
        Application.objects.filter(next_timer_at__lte=now, status__in=OPEN_STATUSES).values_list(
            "pk", flat=True
        )[:500]
    )
    moved = 0
    for pk in due:
        with transaction.atomic():
            application = Application.objects.select_for_update().get(pk=pk)
            if application.next_timer_at is None or application.next_timer_at > now:
                continue  # another worker got here first
            wf = _load(application)
            if runtime.timers_refresh(wf):
                moved += 1
            _sync(application, wf)
    return moved
