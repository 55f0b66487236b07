"""Halls test data.

hall = HallFactory(region_code="440106")
setup = bookable(region_code="440106")   # hall + window + template + published item + slots
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from yiwang.accounts.tests.factories import chain_for
from yiwang.catalog.models import Implementation
from yiwang.catalog.tests.factories import published_item
from yiwang.halls.models import Hall, HallLevel, SlotTemplate, TimeSlot, Window

_serial = itertools.count(1)

WEEKDAY_HOURS = {str(n): [["09:00", "12:00"], ["13:30", "17:00"]] for n in range(5)}


def hall_create(
    *,
    region_code: str = "440106",
    level: str = HallLevel.COUNTY,
    latitude: str = "23.124800",
    longitude: str = "113.361200",
    **extra: Any,
) -> Hall:
    n = next(_serial)
    return Hall.objects.create(
        name_zh=extra.pop("name_zh", f"测试政务服务中心{n}"),
        name_en=extra.pop("name_en", f"Test Service Centre {n}"),
        level=level,
        region=chain_for(region_code)[-1],
        address_zh=extra.pop("address_zh", f"测试路{n}号"),
        address_en=extra.pop("address_en", f"{n} Test Road"),
        latitude=Decimal(latitude),
        longitude=Decimal(longitude),
        phone="020-12345678",
        opening_hours=extra.pop("opening_hours", WEEKDAY_HOURS),
        **extra,
    )


def window_create(
    hall: Hall, *implementations: Implementation, number: int | None = None
) -> Window:
    window = Window.objects.create(
        hall=hall, number=number or next(_serial), name_zh="综合窗口", name_en="General window"
    )
    window.implementations.set(implementations)
    return window


def template_create(
    hall: Hall, *implementations: Implementation, capacity: int = 2
) -> SlotTemplate:
    template = SlotTemplate.objects.create(
        hall=hall, name_zh="综合", name_en="General", slot_minutes=30, capacity=capacity
    )
    template.implementations.set(implementations)
    return template


def slot_create(
    template: SlotTemplate, *, starts_at: dt.datetime | None = None, capacity: int | None = None
) -> TimeSlot:
    """A slot at ``starts_at`` (default: tomorrow 10:00 local), bypassing the generator so a
    test can place it on any day it needs."""
    if starts_at is None:
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        starts_at = dt.datetime.combine(
            tomorrow, dt.time(10, 0), tzinfo=timezone.get_default_timezone()
        )
    local = timezone.localtime(starts_at)
    return TimeSlot.objects.create(
        hall=template.hall,
        template=template,
        date=local.date(),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=template.slot_minutes),
        capacity=template.capacity if capacity is None else capacity,
    )


@dataclass
class Bookable:
    hall: Hall
    implementation: Implementation
    window: Window
    template: SlotTemplate


def bookable(*, region_code: str = "440106", capacity: int = 2, **hall_extra: Any) -> Bookable:
    _item, implementation = published_item(
        region_code=region_code, impl={"channels": ["appointment"], "trips": 1}
    )
    hall = hall_create(region_code=region_code, **hall_extra)
    window = window_create(hall, implementation)
    template = template_create(hall, implementation, capacity=capacity)
    return Bookable(hall, implementation, window, template)
