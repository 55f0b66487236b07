import datetime as dt
import itertools
from collections.abc import Iterator

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from yiwang.accounts.tests.factories import CitizenFactory, StaffFactory
from yiwang.audit.models import AuditEntry
from yiwang.halls.models import Booking, BookingStatus, QueueTicket, TicketStatus
from yiwang.halls.services import (
    booking_check_in,
    booking_create,
    queue_call_next,
    queue_mark_served,
    queue_transfer,
)
from yiwang.halls.tests.factories import Bookable, bookable, slot_create, window_create

TZ = timezone.get_default_timezone()
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 25, 8, 0, tzinfo=TZ), tick=False):
        yield


_minute = itertools.count(0)


def book(b: Bookable, *, day: dt.date = TODAY, citizen: object = None) -> Booking:
    citizen = citizen or CitizenFactory().user
    start = dt.datetime.combine(day, dt.time(10), tzinfo=TZ)
    slot = slot_create(b.template, starts_at=start + dt.timedelta(minutes=next(_minute)))
    return booking_create(citizen=citizen, hall=b.hall, implementation=b.implementation, slot=slot)


def refused(code: str, func: object, **kwargs: object) -> None:
    with pytest.raises(ValidationError) as info:
        func(**kwargs)  # type: ignore[operator]
    assert info.value.code == code


@pytest.mark.django_db
class TestCheckIn:
    def test_by_qr_gives_the_next_number_and_is_audited(self) -> None:
        b = bookable()
        clerk = StaffFactory(region_code="440106", roles=["clerk"])
        first = booking_check_in(hall=b.hall, by=clerk, qr_token=book(b).qr_token)
        second = booking_check_in(hall=b.hall, by=clerk, qr_token=book(b).qr_token)
        assert (first.number, second.number) == (1, 2)
        assert first.display_number == "A001"
        assert first.booking is not None
        assert first.booking.status == BookingStatus.CHECKED_IN
        assert AuditEntry.objects.filter(action="halls.check_in").count() == 2

    def test_by_id_number_reads_personal_data_with_audit(self) -> None:
        b = bookable()
        clerk = StaffFactory(region_code="440106", roles=["clerk"])
        profile = CitizenFactory()
        booking = book(b, citizen=profile.user)
        ticket = booking_check_in(hall=b.hall, by=clerk, id_number=profile.id_number.lower())
        assert ticket.booking_id == booking.pk
        read = AuditEntry.objects.get(action="personal_data.read")
        assert read.target_id == str(booking.pk)

    def test_qr_for_another_hall(self) -> None:
        b, other = bookable(), bookable()
        clerk = StaffFactory(region_code="440106", roles=["clerk"])
        booking = book(other)
        refused("qr_other_hall", booking_check_in, hall=b.hall, by=clerk, qr_token=booking.qr_token)
        booking.refresh_from_db()
        assert booking.status == BookingStatus.BOOKED
        assert not QueueTicket.objects.exists()

    def test_qr_for_another_day(self) -> None:
        b = bookable()
        clerk = StaffFactory(region_code="440106", roles=["clerk"])
        booking = book(b, day=TODAY + dt.timedelta(days=1))
        refused("qr_other_day", booking_check_in, hall=b.hall, by=clerk, qr_token=booking.qr_token)
        booking.refresh_from_db()
        assert booking.status == BookingStatus.BOOKED
        assert not QueueTicket.objects.exists()

    @pytest.mark.parametrize(
        ("kwargs", "code"),
        [
            ({"qr_token": "nope"}, "qr_unknown"),
            ({}, "check_in_needs"),
            ({"id_number": "123"}, "id_invalid"),
            ({"id_number": "11010519491231002X"}, "id_no_booking"),
        ],
    )
    def test_bad_input(self, kwargs: dict[str, str], code: str) -> None:
        b = bookable()
        book(b)
        clerk = StaffFactory(region_code="440106", roles=["clerk"])
        refused(code, booking_check_in, hall=b.hall, by=clerk, **kwargs)
        assert not QueueTicket.objects.exists()

    def test_twice(self) -> None:
        b = bookable()
        clerk = StaffFactory(region_code="440106", roles=["clerk"])
        booking = book(b)
        booking_check_in(hall=b.hall, by=clerk, qr_token=booking.qr_token)
        refused("not_booked", booking_check_in, hall=b.hall, by=clerk, qr_token=booking.qr_token)
        assert QueueTicket.objects.count() == 1

    def test_staff_of_another_region_or_role(self) -> None:
        b = bookable()
        booking = book(b)
        outsider = StaffFactory(region_code="440104", roles=["clerk"])
        with pytest.raises(Http404):
            booking_check_in(hall=b.hall, by=outsider, qr_token=booking.qr_token)
        supervisor = StaffFactory(region_code="440106", roles=["supervisor"])
        with pytest.raises(PermissionDenied):
            booking_check_in(hall=b.hall, by=supervisor, qr_token=booking.qr_token)
        assert not QueueTicket.objects.exists()


@pytest.mark.django_db
class TestQueue:
    def test_call_serve_and_transfer(self) -> None:
        b = bookable()
        clerk = StaffFactory(region_code="440106", roles=["clerk"])
        other_window = window_create(b.hall, b.implementation)
        t1 = booking_check_in(hall=b.hall, by=clerk, qr_token=book(b).qr_token)
        t2 = booking_check_in(hall=b.hall, by=clerk, qr_token=book(b).qr_token)
        called = queue_call_next(window=b.window, by=clerk)
        assert (called.pk, called.status, called.window_id) == (
            t1.pk,
            TicketStatus.CALLED,
            b.window.pk,
        )
        refused("window_busy", queue_call_next, window=b.window, by=clerk)
        queue_transfer(ticket=called, to_window=other_window, by=clerk)
        # The other window takes the transferred number before t2 even though t2 waited too.
        assert queue_call_next(window=other_window, by=clerk).pk == t1.pk
        assert queue_call_next(window=b.window, by=clerk).pk == t2.pk
        served = queue_mark_served(ticket=t1, by=clerk)
        assert served.status == TicketStatus.SERVED
        assert Booking.objects.get(pk=t1.booking_id).status == BookingStatus.SERVED
        refused("not_called", queue_mark_served, ticket=t1, by=clerk)
        refused("queue_empty", queue_call_next, window=other_window, by=clerk)

    def test_window_only_calls_numbers_it_handles(self) -> None:
        b = bookable()
        clerk = StaffFactory(region_code="440106", roles=["clerk"])
        idle = window_create(b.hall)
        booking_check_in(hall=b.hall, by=clerk, qr_token=book(b).qr_token)
        refused("queue_empty", queue_call_next, window=idle, by=clerk)

    def test_bad_transfers(self) -> None:
        b, other = bookable(), bookable()
        clerk = StaffFactory(region_code="440106", roles=["clerk"])
        idle = window_create(b.hall)
        ticket = booking_check_in(hall=b.hall, by=clerk, qr_token=book(b).qr_token)
        refused("not_called", queue_transfer, ticket=ticket, to_window=idle, by=clerk)
        queue_call_next(window=b.window, by=clerk)
        refused("transfer_same", queue_transfer, ticket=ticket, to_window=b.window, by=clerk)
        refused(
            "transfer_other_hall", queue_transfer, ticket=ticket, to_window=other.window, by=clerk
        )
        refused("transfer_not_served", queue_transfer, ticket=ticket, to_window=idle, by=clerk)
        ticket.refresh_from_db()
        assert (ticket.status, ticket.window_id) == (TicketStatus.CALLED, b.window.pk)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
def test_two_windows_calling_at_once_never_get_the_same_number() -> None:
    import threading

    b = bookable()
    clerk = StaffFactory(region_code="440106", roles=["clerk"])
    windows = [
        b.window,
        window_create(b.hall, b.implementation),
        window_create(b.hall, b.implementation),
    ]
    for _ in range(2):
        booking_check_in(hall=b.hall, by=clerk, qr_token=book(b).qr_token)
    barrier = threading.Barrier(len(windows))
    results: list[str] = []
    lock = threading.Lock()

    def call(window: object) -> None:
        try:
            barrier.wait()
            result = str(queue_call_next(window=window, by=clerk).number)  # type: ignore[arg-type]
        except ValidationError as exc:
            result = str(exc.code)
        finally:
            connection.close()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=call, args=(w,)) for w in windows]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["1", "2", "queue_empty"]
    assert QueueTicket.objects.filter(status=TicketStatus.CALLED).count() == 2
