import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from yiwang.accounts.tests.factories import CitizenFactory
from yiwang.halls.models import Booking, BookingStatus
from yiwang.halls.tests.factories import bookable, slot_create

TZ = timezone.get_default_timezone()
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 25, 8, 0, tzinfo=TZ), tick=False):
        yield


def test_public_hall_list_detail_and_slots(client: Client) -> None:
    b = bookable()
    slot = slot_create(b.template)
    halls = client.get("/api/v1/halls/").json()
    assert [h["id"] for h in halls] == [b.hall.pk]
    detail = client.get(f"/api/v1/halls/{b.hall.pk}").json()
    assert detail["region_code"] == "440106"
    assert detail["opening_hours"]["0"] == [["09:00", "12:00"], ["13:30", "17:00"]]
    slots = client.get(
        f"/api/v1/halls/{b.hall.pk}/slots", {"implementation": b.implementation.pk}
    ).json()
    assert [(s["id"], s["places_left"]) for s in slots] == [(slot.pk, 2)]
    assert (
        client.get(f"/api/v1/halls/{b.hall.pk}/slots", {"implementation": 999999}).status_code
        == 404
    )


def test_nearest(client: Client) -> None:
    b = bookable()
    found = client.get(
        "/api/v1/halls/nearest",
        {"implementation": b.implementation.pk, "lat": "23.13", "lon": "113.36"},
    ).json()
    assert [n["hall"]["id"] for n in found] == [b.hall.pk]
    assert 0 < found[0]["distance_km"] < 1
    by_region = client.get(
        "/api/v1/halls/nearest", {"implementation": b.implementation.pk, "region": "440106"}
    ).json()
    assert by_region[0]["distance_km"] == 0.0


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "nearest_needs"),
        ({"lat": "91", "lon": "113"}, "coordinates"),
        ({"lat": "x", "lon": "1"}, "coordinates"),
        ({"region": "999999"}, "region_unknown"),
    ],
)
def test_nearest_bad_input(client: Client, params: dict[str, str], code: str) -> None:
    b = bookable()
    response = client.get(
        "/api/v1/halls/nearest", {"implementation": b.implementation.pk, **params}
    )
    assert response.status_code == 422
    assert response.json()["code"] == code


def test_book_list_reschedule_cancel(client: Client) -> None:
    b = bookable()
    slot = slot_create(b.template)
    later = slot_create(b.template, starts_at=slot.starts_at + dt.timedelta(hours=1))
    client.force_login(CitizenFactory().user)
    created = client.post(
        "/api/v1/halls/bookings",
        {"hall": b.hall.pk, "implementation": b.implementation.pk, "slot": slot.pk},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    booking_id = created.json()["id"]
    assert created.json()["status"] == "booked"
    assert [x["id"] for x in client.get("/api/v1/halls/bookings").json()] == [booking_id]
    moved = client.post(
        f"/api/v1/halls/bookings/{booking_id}/reschedule",
        {"slot": later.pk},
        content_type="application/json",
    )
    assert moved.json()["slot"]["id"] == later.pk
    cancelled = client.post(f"/api/v1/halls/bookings/{booking_id}/cancel")
    assert cancelled.json()["status"] == "cancelled"


def test_second_booking_is_refused_in_the_callers_language(client: Client) -> None:
    b = bookable()
    slot = slot_create(b.template)
    client.force_login(CitizenFactory().user)
    body = {"hall": b.hall.pk, "implementation": b.implementation.pk, "slot": slot.pk}
    assert (
        client.post("/api/v1/halls/bookings", body, content_type="application/json").status_code
        == 201
    )
    again = client.post(
        "/api/v1/halls/bookings",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert again.status_code == 422
    assert again.json()["code"] == "already_booked"
    assert again.json()["message"] == "您已预约了该事项。请修改或取消原预约。"
    assert Booking.objects.count() == 1


def test_bookings_need_a_citizen(client: Client) -> None:
    assert client.get("/api/v1/halls/bookings").status_code == 401


def test_someone_elses_booking_is_not_found(client: Client) -> None:
    b = bookable()
    client.force_login(CitizenFactory().user)
    body = {
        "hall": b.hall.pk,
        "implementation": b.implementation.pk,
        "slot": slot_create(b.template).pk,
    }
    booking_id = client.post(
        "/api/v1/halls/bookings", body, content_type="application/json"
    ).json()["id"]
    client.force_login(CitizenFactory().user)
    assert client.post(f"/api/v1/halls/bookings/{booking_id}/cancel").status_code == 404
    assert Booking.objects.get(pk=booking_id).status == BookingStatus.BOOKED


def test_slots_by_day_and_unknown_things(client: Client) -> None:
    b = bookable()
    slot = slot_create(b.template)
    url = f"/api/v1/halls/{b.hall.pk}/slots"
    impl = b.implementation.pk
    assert [
        s["id"] for s in client.get(url, {"implementation": impl, "date": "2026-11-26"}).json()
    ] == [slot.pk]
    assert client.get(url, {"implementation": impl, "date": "2026-11-27"}).json() == []
    assert client.get(url, {"implementation": impl, "date": "tomorrow"}).status_code == 422
    assert (
        client.get("/api/v1/halls/nearest", {"implementation": 999999, "region": "44"}).status_code
        == 404
    )
    assert client.get("/api/v1/halls/999999").status_code == 404
