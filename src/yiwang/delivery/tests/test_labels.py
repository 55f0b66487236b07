"""Labels: the return address is the department at the hall that serves the service in its
region (address and phone), else the region names; region paths never mix languages."""

from __future__ import annotations

import pytest
from django.utils import translation

from yiwang.delivery.labels import return_address, return_hall
from yiwang.delivery.models import region_names
from yiwang.halls.tests.factories import hall_create, window_create
from yiwang.regions.models import Region

from .factories import posted

pytestmark = pytest.mark.django_db


def test_return_address_is_the_hall_serving_the_service_in_the_department_region() -> None:
    order = posted()
    implementation = order.application.implementation
    street_station = hall_create(region_code="440106", address_zh="广州市天河区石牌东路38号")
    street_station.region_id, street_station.phone = "440106006", "020-85210000"
    street_station.save()
    centre = hall_create(region_code="440106", address_zh="广州市天河区华观路1933号")
    centre.phone = "020-38622345"
    centre.save()
    elsewhere = hall_create(region_code="440104", address_zh="广州市越秀区东风中路318号")
    not_serving = hall_create(region_code="440106", address_zh="广州市天河区不办理路1号")
    for hall in (street_station, centre, elsewhere):
        window_create(hall, implementation)
    assert not_serving.pk and return_hall(order) == centre
    sender = return_address(order)
    assert sender == {"name": order.department.name, "phone": "020-38622345",
                      "address": "广州市天河区华观路1933号"}  # fmt: skip


def test_return_address_falls_back_to_the_region_names_without_a_hall() -> None:
    order = posted()
    hall = hall_create(region_code="440104")  # another district: not the department's
    window_create(hall, order.application.implementation)
    sender = return_address(order)
    assert sender["phone"] == "" and sender["name"] == order.department.name
    assert sender["address"] == region_names(order.department.region)
    assert sender["address"].endswith(order.department.region.name)


def test_region_path_in_english_only_when_every_level_has_an_english_name() -> None:
    posted()  # the chain 44 → 4401 → 440106 → 440106006 → 440106006002 exists
    village = Region.objects.get(code="440106006002")
    path = [Region.objects.get(code=c) for c in ("44", "4401", "440106", "440106006")]
    chinese = "".join(r.name for r in [*path, village])
    with translation.override("en"):
        assert region_names(village) == chinese  # no English names: all Chinese
        for region, english in zip(path, ("Guangdong", "Guangzhou", "Tianhe", "Shipai"),
                                    strict=True):  # fmt: skip
            region.name_en = english
            region.save(update_fields=["name_en"])
        village.refresh_from_db()
        assert region_names(village) == chinese  # the village still lacks one: all Chinese
        shipai = Region.objects.get(code="440106006")
        assert region_names(shipai) == "Shipai, Tianhe, Guangzhou, Guangdong"
    with translation.override("zh-hans"):
        assert region_names(shipai) == "".join(r.name for r in path)
