import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from yiwang.consult import tasks
from yiwang.consult.tests.factories import ask, citizen
from yiwang.core.periodic import periodic_jobs


def test_the_overdue_job_is_registered() -> None:
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["consult.overdue"].task is tasks.overdue_escalate


@pytest.mark.django_db
def test_the_overdue_job_escalates_through_the_task() -> None:
    ask(citizen())
    with time_machine.travel(timezone.now() + dt.timedelta(days=20), tick=False):
        assert tasks.overdue_escalate.call() == 1
        assert tasks.overdue_escalate.call() == 0
