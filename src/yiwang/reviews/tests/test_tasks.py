"""The overdue job is registered and runs the escalation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from yiwang.core.periodic import periodic_jobs
from yiwang.reviews.tasks import overdue_escalate
from yiwang.reviews.tests.factories import bad_order

TZ = dt.timezone(dt.timedelta(hours=8))


def test_the_overdue_job_is_registered() -> None:
    [job] = [j for j in periodic_jobs() if j.name == "reviews.overdue"]
    assert job.task is overdue_escalate and job.every == dt.timedelta(hours=1)


@pytest.mark.django_db
def test_the_task_escalates_overdue_orders() -> None:
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=TZ), tick=False):
        order = bad_order()
    with time_machine.travel(dt.datetime(2026, 12, 1, 10, 0, tzinfo=TZ), tick=False):
        assert overdue_escalate.call() == 1
    order.refresh_from_db()
    assert order.escalated_at is not None
