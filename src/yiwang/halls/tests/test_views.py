import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yiwang.accounts.tests.factories import CitizenFactory, StaffFactory, staff_client_login
from yiwang.halls.models import Booking, BookingStatus, QueueTicket, TicketStatus
from yiwang.halls.services import booking_create
from yiwang.halls.tests.factories import bookable, slot_create, window_create

TZ = timezone.get_default_timezone()
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 25, 8, 0, tzinfo=TZ), tick=False):
        yield


@pytest.fixture
def client() -> Client:
    """Pages in English (the default language is Chinese), to assert English msgids."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def citizen_client(client: Client) -> object:
    user = CitizenFactory().user
    client.force_login(user)
    return user


def test_index_detail_and_section_link(client: Client) -> None:
    b = bookable()
    page = client.get(reverse("halls:index")).content.decode()
    assert b.hall.name_en in page
    assert reverse("halls:detail", args=[b.hall.pk]) in page
    detail = client.get(reverse("halls:detail", args=[b.hall.pk])).content.decode()
    assert reverse("halls:book", args=[b.hall.pk, b.implementation.pk]) in detail
    assert "09:00–12:00, 13:30–17:00" in detail
    home = client.get("/").content.decode()
    assert 'href="/halls/"' in home


def test_nearest_fragment(client: Client) -> None:
    b = bookable()
    url = reverse("halls:nearest")
    empty = client.get(url, {"implementation": b.implementation.pk})
    assert empty.status_code == 200
    assert "Use my location" in empty.content.decode()
    found = client.get(
        url, {"implementation": b.implementation.pk, "lat": "23.13", "lon": "113.36"}
    )
    assert b.hall.name_en in found.content.decode()
    assert "0.6 km" in found.content.decode()
    bad = client.get(url, {"implementation": b.implementation.pk, "lat": "99", "lon": "0"})
    assert "The location is not valid" in bad.content.decode()
    assert client.get(url).status_code == 400
    assert client.get(url, {"implementation": 999999}).status_code == 404


def test_booking_journey_one_question_per_page(client: Client) -> None:
    b = bookable()
    slot = slot_create(b.template)
    user = citizen_client(client)
    url = reverse("halls:book", args=[b.hall.pk, b.implementation.pk])
    days = client.get(url).content.decode()
    assert 'value="2026-11-26"' in days
    assert "Which day?" in days
    times = client.get(url, {"date": "2026-11-26"}).content.decode()
    assert f'value="{slot.pk}"' in times
    missing = client.post(url, {"date": "2026-11-26"})
    assert missing.status_code == 422
    assert "Choose a time." in missing.content.decode()
    done = client.post(url, {"date": "2026-11-26", "slot": slot.pk})
    assert done.status_code == 302
    booking = Booking.objects.get(citizen=user)
    again = client.post(url, {"date": "2026-11-26", "slot": slot.pk})
    assert again.status_code == 422
    assert "You already have an appointment for this service" in again.content.decode()
    mine = client.get(reverse("halls:my")).content.decode()
    assert "<svg" in mine
    assert booking.reference in mine


def test_reschedule_and_cancel_pages(client: Client) -> None:
    b = bookable()
    slot = slot_create(b.template)
    later = slot_create(b.template, starts_at=slot.starts_at + dt.timedelta(hours=2))
    user = citizen_client(client)
    booking = booking_create(citizen=user, hall=b.hall, implementation=b.implementation, slot=slot)
    url = reverse("halls:reschedule", args=[booking.pk])
    assert client.post(url, {"date": "2026-11-26", "slot": later.pk}).status_code == 302
    booking.refresh_from_db()
    assert booking.slot_id == later.pk
    assert client.get(reverse("halls:cancel", args=[booking.pk])).status_code == 405
    client.post(reverse("halls:cancel", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert client.get(url).status_code == 302  # cancelled: back to my bookings


def test_citizen_pages_need_a_login_and_own_bookings(client: Client) -> None:
    b = bookable()
    booking = booking_create(
        citizen=CitizenFactory().user,
        hall=b.hall,
        implementation=b.implementation,
        slot=slot_create(b.template),
    )
    response = client.get(reverse("halls:my"))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]
    citizen_client(client)
    assert client.post(reverse("halls:cancel", args=[booking.pk])).status_code == 404
    assert client.get(reverse("halls:reschedule", args=[booking.pk])).status_code == 404


def test_board_polls_and_needs_no_login(client: Client) -> None:
    b = bookable()
    page = client.get(reverse("halls:board", args=[b.hall.pk])).content.decode()
    assert 'hx-trigger="every 5s"' in page
    fragment = client.get(reverse("halls:board", args=[b.hall.pk]), HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode()
    assert "No number is being called." in fragment.content.decode()


def test_staff_desk_and_window(client: Client) -> None:
    b = bookable()
    other = window_create(b.hall, b.implementation)
    clerk = StaffFactory(region_code="440106", roles=["clerk"])
    staff_client_login(client, clerk)
    booking = booking_create(
        citizen=CitizenFactory().user,
        hall=b.hall,
        implementation=b.implementation,
        slot=slot_create(b.template, starts_at=dt.datetime(2026, 11, 25, 10, 0, tzinfo=TZ)),
    )
    desk = reverse("halls:staff_hall", args=[b.hall.pk])
    assert booking.reference in client.get(desk).content.decode()
    bad = client.post(desk, {"qr_token": "nope"})
    assert bad.status_code == 422
    assert "This code is not a booking" in bad.content.decode()
    assert client.post(desk, {"qr_token": booking.qr_token}).status_code == 302
    ticket = QueueTicket.objects.get()
    action = "halls:staff_window_action"
    client.post(reverse(action, args=[b.window.pk, "call"]))
    ticket.refresh_from_db()
    assert (ticket.status, ticket.window_id) == (TicketStatus.CALLED, b.window.pk)
    assert (
        "Serving A001"
        in client.get(reverse("halls:staff_window", args=[b.window.pk])).content.decode()
    )
    client.post(
        reverse(action, args=[b.window.pk, "transfer"]), {"ticket": ticket.pk, "to": other.pk}
    )
    client.post(reverse(action, args=[other.pk, "call"]))
    client.post(reverse(action, args=[other.pk, "served"]), {"ticket": ticket.pk})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.SERVED
    assert client.post(reverse(action, args=[other.pk, "explode"])).status_code == 404
    board = client.get(reverse("halls:board", args=[b.hall.pk])).content.decode()
    assert "0 people waiting" in board


def test_staff_scope(client: Client) -> None:
    b = bookable()
    staff_client_login(client, StaffFactory(region_code="440104", roles=["clerk"]))
    assert client.get(reverse("halls:staff_hall", args=[b.hall.pk])).status_code == 404
    assert client.get(reverse("halls:staff_window", args=[b.window.pk])).status_code == 404
    assert b.hall.name_zh not in client.get(reverse("halls:staff_index")).content.decode()
    staff_client_login(client, StaffFactory(region_code="440106", roles=["supervisor"]))
    assert client.get(reverse("halls:staff_hall", args=[b.hall.pk])).status_code == 403
    client.logout()
    citizen_client(client)
    assert client.get(reverse("halls:staff_index")).status_code == 302


def test_id_number_check_in_at_the_desk(client: Client) -> None:
    b = bookable()
    profile = CitizenFactory()
    booking_create(
        citizen=profile.user,
        hall=b.hall,
        implementation=b.implementation,
        slot=slot_create(b.template, starts_at=dt.datetime(2026, 11, 25, 11, 0, tzinfo=TZ)),
    )
    staff_client_login(client, StaffFactory(region_code="4401", roles=["hall_manager"]))
    response = client.post(
        reverse("halls:staff_hall", args=[b.hall.pk]), {"id_number": profile.id_number}
    )
    assert response.status_code == 302
    assert Booking.objects.get().status == BookingStatus.CHECKED_IN


def test_catalog_guide_loads_the_nearest_halls_fragment(client: Client) -> None:
    b = bookable()
    guide = client.get(reverse("catalog:guide", args=[b.implementation.pk])).content.decode()
    assert f'hx-get="/halls/nearest?implementation={b.implementation.pk}"' in guide


def test_pages_speak_chinese_by_default() -> None:
    b = bookable()
    page = Client().get(reverse("halls:detail", args=[b.hall.pk])).content.decode()
    assert "可在此预约的事项" in page
    assert "星期一" in page
    assert b.hall.name_zh in page
