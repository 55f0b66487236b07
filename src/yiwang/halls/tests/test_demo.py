import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from yiwang.catalog.demo.load import catalog_demo_load
from yiwang.halls.models import Hall, SlotTemplate, TimeSlot, Window
from yiwang.halls.selectors import hall_nearest_for_implementation

TZ = timezone.get_default_timezone()


@pytest.mark.django_db
def test_demo_halls_is_idempotent_and_bookable() -> None:
    catalog_demo_load()
    with time_machine.travel(dt.datetime(2026, 11, 25, 8, 0, tzinfo=TZ), tick=False):
        out = StringIO()
        call_command("demo_halls", stdout=out)
        assert "halls: 4 halls" in out.getvalue()
        counts = (Hall.objects.count(), Window.objects.count(), SlotTemplate.objects.count())
        slots = TimeSlot.objects.count()
        call_command("demo_halls", stdout=StringIO())
        assert (
            Hall.objects.count(),
            Window.objects.count(),
            SlotTemplate.objects.count(),
        ) == counts
        assert TimeSlot.objects.count() == slots
    assert counts == (4, 11, 4)
    days = set(TimeSlot.objects.values_list("date", flat=True))
    assert len(days) == 10
    station = Hall.objects.get(name_zh="石牌街道便民服务站")
    assert station.region_id == "440106006"
    implementation = station.windows.get(number=1).implementations.first()
    assert implementation is not None
    near = hall_nearest_for_implementation(
        implementation=implementation, latitude=23.1340, longitude=113.3380
    )
    assert near[0].hall == station
    assert near[1].hall.name_zh == "天河区政务服务中心"
