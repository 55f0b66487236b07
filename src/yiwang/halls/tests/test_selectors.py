import pytest
from django.http import Http404

from yiwang.accounts.tests.factories import StaffFactory, chain_for
from yiwang.halls.models import Hall
from yiwang.halls.selectors import (
    hall_get_for_staff,
    hall_nearest_for_implementation,
    haversine_km,
    region_centre,
)
from yiwang.halls.tests.factories import bookable, hall_create, window_create


def test_haversine_known_distance() -> None:
    # Guangzhou Tower to Shenzhen Civic Centre: about 98 km as the crow flies.
    assert haversine_km(23.1065, 113.3245, 22.5431, 114.0579) == pytest.approx(98.5, abs=1.5)
    assert haversine_km(23.0, 113.0, 23.0, 113.0) == 0.0


@pytest.mark.django_db
def test_nearest_orders_by_distance_and_skips_halls_without_the_item() -> None:
    b = bookable(latitude="23.124800", longitude="113.361200")  # 天河
    near = hall_create(latitude="23.135000", longitude="113.330000")
    window_create(near, b.implementation)
    hall_create(latitude="23.130000", longitude="113.331000")  # closer, but no such window
    closed = hall_create(latitude="23.135100", longitude="113.330100", is_active=False)
    window_create(closed, b.implementation)
    result = hall_nearest_for_implementation(
        implementation=b.implementation, latitude=23.136, longitude=113.329
    )
    assert [n.hall.pk for n in result] == [near.pk, b.hall.pk]
    assert result[0].distance_km < 0.2
    assert result[1].distance_km == pytest.approx(3.4, abs=0.2)


@pytest.mark.django_db
def test_region_centre_is_the_mean_of_its_halls_or_its_parents() -> None:
    hall_create(region_code="440106", latitude="23.000000", longitude="113.000000")
    hall_create(region_code="440106006", latitude="23.200000", longitude="113.400000")
    assert region_centre(region=chain_for("440106")[-1]) == pytest.approx((23.1, 113.2))
    assert region_centre(region=chain_for("440106006")[-1]) == pytest.approx((23.2, 113.4))
    # No hall in 440106001: its parent's centre.
    assert region_centre(region=chain_for("440106001")[-1]) == pytest.approx((23.1, 113.2))
    # Nothing in 440305 or 4403: up to the province, whose halls are all in 440106.
    assert region_centre(region=chain_for("440305")[-1]) == pytest.approx((23.1, 113.2))
    Hall.objects.all().delete()
    assert region_centre(region=chain_for("440305")[-1]) is None


@pytest.mark.django_db
def test_staff_see_only_halls_in_their_region() -> None:
    hall = hall_create(region_code="440106")
    assert hall_get_for_staff(
        user=StaffFactory(region_code="4401", roles=["hall_manager"]), pk=hall.pk
    )
    with pytest.raises(Http404):
        hall_get_for_staff(user=StaffFactory(region_code="440104", roles=["clerk"]), pk=hall.pk)
