"""Time slots: generated ahead for every working day, idempotently."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yiwang.core.workdays import is_working_day
from yiwang.halls.models import Hall, SlotTemplate, TimeSlot

DEFAULT_DAYS_AHEAD = 10


def days_ahead() -> int:
    return int(getattr(settings, "HALLS_SLOT_DAYS_AHEAD", DEFAULT_DAYS_AHEAD))


def _slots_for(template: SlotTemplate, day: dt.date) -> list[TimeSlot]:
    tz = timezone.get_default_timezone()
    step = dt.timedelta(minutes=template.slot_minutes)
    slots = []
    for opens, closes in template.hall.periods_on(day):
        start = dt.datetime.combine(day, opens, tzinfo=tz)
        end_of_period = dt.datetime.combine(day, closes, tzinfo=tz)
        while start + step <= end_of_period:
            slots.append(
                TimeSlot(
                    hall=template.hall,
                    template=template,
                    date=day,
                    starts_at=start,
                    ends_at=start + step,
                    capacity=template.capacity,
                )
            )
            start += step
    return slots


def slots_generate(*, days: int | None = None, today: dt.date | None = None) -> int:
    """Create the slots of the next ``days`` working days (today included) for every active
    template of every active hall; existing slots are left as they are. Returns how many
    were created."""
    days = days_ahead() if days is None else days
    today = today or timezone.localdate()
    working: list[dt.date] = []
    day = today
    # At most a few weeks of holidays (Spring Festival) lie between working days.
    while len(working) < days and (day - today).days < days + 30:
        if is_working_day(day):
            working.append(day)
        day += dt.timedelta(days=1)
    templates = SlotTemplate.objects.filter(is_active=True, hall__is_active=True).select_related(
        "hall"
    )
    created = 0
    with transaction.atomic():
        for template in templates:
            existing = set(
                TimeSlot.objects.filter(template=template, date__in=working).values_list(
                    "starts_at", flat=True
                )
            )
            new = [
                slot
                for day in working
                for slot in _slots_for(template, day)
                if slot.starts_at not in existing
            ]
            # ignore_conflicts: a second worker generating at the same moment is harmless.
            TimeSlot.objects.bulk_create(new, ignore_conflicts=True)
            created += len(new)
    return created


def hall_open_on(*, hall: Hall, day: dt.date) -> bool:
    return is_working_day(day) and bool(hall.periods_on(day))
