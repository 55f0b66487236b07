"""The demo loader (idempotent), the periodic job and the carrier adapter choice."""

from __future__ import annotations

from typing import Any

import pytest

from yiwang.accounts.tests.factories import chain_for
from yiwang.delivery.carriers import Carrier, FakeCarrier, carrier_get
from yiwang.delivery.models import DeliveryOrder

from .factories import application_create, shipped

pytestmark = pytest.mark.django_db


def test_demo_posts_one_result_in_transit_and_leaves_one_to_ship() -> None:
    from yiwang.accounts.demo import REQUIRED_REGIONS, demo_people_load
    from yiwang.delivery.demo import _citizen, delivery_demo_load

    for code in REQUIRED_REGIONS:
        chain_for(code)
    demo_people_load()
    citizen = _citizen()
    assert citizen is not None
    application_create(user=citizen, region_code="4401")
    application_create(user=citizen, region_code="440106")
    assert delivery_demo_load() == {"orders": 2, "created": 2}
    statuses = dict(DeliveryOrder.objects.values_list("region_code", "status"))
    assert statuses == {"4401": "in_transit", "440106": "created"}
    travelling = DeliveryOrder.objects.get(region_code="4401")
    assert list(travelling.events.values_list("status", flat=True)) == [
        "created", "created", "picked_up", "in_transit",
    ]  # fmt: skip
    assert travelling.address.region_id == "440106006"
    assert delivery_demo_load() == {"orders": 2, "created": 0}
    assert DeliveryOrder.objects.count() == 2


def test_demo_with_the_manual_carrier_ships_by_hand(settings: Any) -> None:
    from yiwang.accounts.demo import REQUIRED_REGIONS, demo_people_load
    from yiwang.delivery.demo import _citizen, delivery_demo_load

    settings.DELIVERY_CARRIER = ""
    for code in REQUIRED_REGIONS:
        chain_for(code)
    demo_people_load()
    citizen = _citizen()
    assert citizen is not None
    application_create(user=citizen, region_code="4401")
    application_create(user=citizen, region_code="440106")
    assert delivery_demo_load() == {"orders": 2, "created": 2}
    travelling = DeliveryOrder.objects.get(region_code="4401")
    assert travelling.carrier == "ems" and travelling.tracking_number.startswith("EA")
    assert travelling.status == "in_transit"
    assert delivery_demo_load() == {"orders": 2, "created": 0}


def test_periodic_job_is_registered_and_runs_the_tracking() -> None:
    from yiwang.core.periodic import periodic_jobs
    from yiwang.delivery.tasks import orders_track

    assert "delivery.track" in {job.name for job in periodic_jobs()}
    order = shipped()
    assert orders_track.call() == 0  # nothing new within the first half hour
    assert DeliveryOrder.objects.get(pk=order.pk).status == "created"


class _Other(Carrier):
    code = "other"

    def book(self, *, order: Any) -> str:
        return "OT123456"

    def track(self, *, tracking_number: str, shipped_at: Any, now: Any = None) -> list[Any]:
        return []


def test_the_carrier_comes_from_settings(settings: Any) -> None:
    assert isinstance(carrier_get(), FakeCarrier)
    settings.DELIVERY_CARRIER = f"{__name__}._Other"
    assert carrier_get().code == "other"
    settings.DELIVERY_CARRIER = "yiwang.delivery.models.DeliveryOrder"
    with pytest.raises(TypeError):
        carrier_get()


def test_fake_tracking_numbers_are_deterministic_and_distinct() -> None:
    fake = FakeCarrier()
    numbers = {fake.book(order=DeliveryOrder(pk=n)) for n in range(1, 50)}
    assert len(numbers) == 49 and all(n.startswith("YW") and n.endswith("CN") for n in numbers)
    assert fake.book(order=DeliveryOrder(pk=7)) == fake.book(order=DeliveryOrder(pk=7))
