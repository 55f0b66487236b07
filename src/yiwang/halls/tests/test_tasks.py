import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from yiwang.core.periodic import periodic_jobs
from yiwang.halls import tasks
from yiwang.halls.models import TimeSlot
from yiwang.halls.tests.factories import bookable


def test_periodic_jobs_are_registered() -> None:
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["halls.slots"].task is tasks.slots_generate
    assert jobs["halls.no_shows"].task is tasks.no_shows_mark


@pytest.mark.django_db
def test_slot_job_generates_the_configured_days_ahead(settings: object) -> None:
    settings.HALLS_SLOT_DAYS_AHEAD = 2  # type: ignore[attr-defined]
    bookable()
    now = dt.datetime(2026, 11, 27, 8, 0, tzinfo=timezone.get_default_timezone())  # a Friday
    with time_machine.travel(now, tick=False):
        assert tasks.slots_generate.call() == 2 * 13
        assert tasks.slots_generate.call() == 0
        assert tasks.no_shows_mark.call() == 0
    days = sorted(set(TimeSlot.objects.values_list("date", flat=True)))
    assert days == [dt.date(2026, 11, 27), dt.date(2026, 11, 30)]
