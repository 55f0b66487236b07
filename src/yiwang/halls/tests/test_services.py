import datetime as dt
import threading
from collections.abc import Iterator

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from yiwang.accounts.tests.factories import CitizenFactory, StaffFactory
from yiwang.halls.models import Booking, BookingStatus, TimeSlot
from yiwang.halls.services import (
    booking_cancel,
    booking_create,
    booking_reschedule,
    no_show_blocked_until,
    no_shows_mark,
    slots_generate,
)
from yiwang.halls.services import bookings as msgs
from yiwang.halls.tests.factories import (
    bookable,
    hall_create,
    slot_create,
    template_create,
    window_create,
)

TZ = timezone.get_default_timezone()
# Wednesday 25 November 2026, 08:00 in Guangzhou: tomorrow is a working Thursday.
NOW = dt.datetime(2026, 11, 25, 8, 0, tzinfo=TZ)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def citizen() -> object:
    return CitizenFactory().user


def refused(code: str, func: object, **kwargs: object) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        func(**kwargs)  # type: ignore[operator]
    assert info.value.code == code
    return info.value


@pytest.mark.django_db
class TestSlotsGenerate:
    def test_creates_slots_on_working_days_only_and_is_idempotent(self) -> None:
        b = bookable()
        # 10 working days from Wed 25 Nov: 25-27 Nov, 30 Nov-4 Dec, 7-8 Dec (weekends skipped).
        created = slots_generate(days=10)
        per_day = (180 + 210) // 30  # 09:00-12:00 and 13:30-17:00 in 30-minute slots
        assert created == 10 * per_day
        days = sorted(set(TimeSlot.objects.values_list("date", flat=True)))
        assert days[0] == dt.date(2026, 11, 25)
        assert days[-1] == dt.date(2026, 12, 8)
        assert dt.date(2026, 11, 28) not in days  # Saturday
        assert slots_generate(days=10) == 0
        assert TimeSlot.objects.count() == created
        first = TimeSlot.objects.order_by("starts_at").first()
        assert first is not None
        assert first.starts_at == at(dt.date(2026, 11, 25), 9)
        assert first.capacity == b.template.capacity

    def test_statutory_holiday_has_no_slots(self) -> None:
        bookable()
        with time_machine.travel(dt.datetime(2026, 9, 30, 8, 0, tzinfo=TZ), tick=False):
            slots_generate(days=2)
        days = sorted(set(TimeSlot.objects.values_list("date", flat=True)))
        # National Day holiday 1-7 October 2026 is skipped.
        assert days == [dt.date(2026, 9, 30), dt.date(2026, 10, 8)]


@pytest.mark.django_db
class TestBookingCreate:
    def test_books_and_takes_a_place(self) -> None:
        b = bookable()
        slot = slot_create(b.template)
        user = citizen()
        booking = booking_create(
            citizen=user, hall=b.hall, implementation=b.implementation, slot=slot
        )
        assert booking.status == BookingStatus.BOOKED
        assert len(booking.qr_token) >= 20
        slot.refresh_from_db()
        assert slot.booked == 1

    def test_past_slot(self) -> None:
        b = bookable()
        slot = slot_create(b.template, starts_at=at(dt.date(2026, 11, 24)))
        err = refused(
            "slot_past",
            booking_create,
            citizen=citizen(),
            hall=b.hall,
            implementation=b.implementation,
            slot=slot,
        )
        assert err.messages == [str(msgs.MSG_SLOT_PAST)]
        assert not Booking.objects.exists()
        slot.refresh_from_db()
        assert slot.booked == 0

    def test_closed_day(self) -> None:
        b = bookable()
        slot = slot_create(b.template, starts_at=at(dt.date(2026, 11, 28)))  # Saturday
        refused(
            "slot_closed",
            booking_create,
            citizen=citizen(),
            hall=b.hall,
            implementation=b.implementation,
            slot=slot,
        )
        assert not Booking.objects.exists()

    def test_slot_of_another_hall(self) -> None:
        b = bookable()
        other = hall_create()
        window_create(other, b.implementation)
        other_slot = slot_create(template_create(other, b.implementation))
        refused(
            "slot_other_hall",
            booking_create,
            citizen=citizen(),
            hall=b.hall,
            implementation=b.implementation,
            slot=other_slot,
        )
        assert not Booking.objects.exists()

    def test_item_of_another_hall(self) -> None:
        b = bookable()
        elsewhere = bookable()
        slot = slot_create(b.template)
        err = refused(
            "item_not_here",
            booking_create,
            citizen=citizen(),
            hall=b.hall,
            implementation=elsewhere.implementation,
            slot=slot,
        )
        assert err.messages == [str(msgs.MSG_ITEM_NOT_HERE)]
        assert not Booking.objects.exists()

    def test_item_served_by_a_window_but_not_in_the_slot_group(self) -> None:
        b = bookable()
        other = bookable()
        b.window.implementations.add(other.implementation)
        refused(
            "item_not_here",
            booking_create,
            citizen=citizen(),
            hall=b.hall,
            implementation=other.implementation,
            slot=slot_create(b.template),
        )

    def test_second_active_booking_for_the_same_item(self) -> None:
        b = bookable()
        user = citizen()
        first = slot_create(b.template)
        second = slot_create(b.template, starts_at=at(dt.date(2026, 11, 26), 11))
        booking_create(citizen=user, hall=b.hall, implementation=b.implementation, slot=first)
        err = refused(
            "already_booked",
            booking_create,
            citizen=user,
            hall=b.hall,
            implementation=b.implementation,
            slot=second,
        )
        assert err.messages == [str(msgs.MSG_ALREADY_BOOKED)]
        second.refresh_from_db()
        assert second.booked == 0
        assert Booking.objects.count() == 1

    def test_full_slot(self) -> None:
        b = bookable(capacity=1)
        slot = slot_create(b.template)
        booking_create(citizen=citizen(), hall=b.hall, implementation=b.implementation, slot=slot)
        refused(
            "slot_full",
            booking_create,
            citizen=citizen(),
            hall=b.hall,
            implementation=b.implementation,
            slot=slot,
        )
        slot.refresh_from_db()
        assert slot.booked == 1
        assert Booking.objects.count() == 1

    def test_staff_cannot_book(self) -> None:
        b = bookable()
        with pytest.raises(PermissionDenied):
            booking_create(
                citizen=StaffFactory(),
                hall=b.hall,
                implementation=b.implementation,
                slot=slot_create(b.template),
            )

    def test_after_cancelling_one_can_book_again(self) -> None:
        b = bookable()
        user = citizen()
        slot = slot_create(b.template)
        booking = booking_create(
            citizen=user, hall=b.hall, implementation=b.implementation, slot=slot
        )
        booking_cancel(booking=booking, citizen=user)
        again = booking_create(
            citizen=user, hall=b.hall, implementation=b.implementation, slot=slot
        )
        assert again.status == BookingStatus.BOOKED


@pytest.mark.django_db
class TestCancelAndReschedule:
    def test_cancel_releases_the_place(self) -> None:
        b = bookable()
        user = citizen()
        slot = slot_create(b.template)
        booking = booking_create(
            citizen=user, hall=b.hall, implementation=b.implementation, slot=slot
        )
        booking_cancel(booking=booking, citizen=user)
        booking.refresh_from_db()
        slot.refresh_from_db()
        assert booking.status == BookingStatus.CANCELLED
        assert slot.booked == 0
        refused("not_active", booking_cancel, booking=booking, citizen=user)
        slot.refresh_from_db()
        assert slot.booked == 0

    def test_cancel_someone_elses_booking(self) -> None:
        b = bookable()
        booking = booking_create(
            citizen=citizen(),
            hall=b.hall,
            implementation=b.implementation,
            slot=slot_create(b.template),
        )
        with pytest.raises(PermissionDenied):
            booking_cancel(booking=booking, citizen=citizen())
        booking.refresh_from_db()
        assert booking.status == BookingStatus.BOOKED

    def test_cancel_after_start(self) -> None:
        b = bookable()
        user = citizen()
        slot = slot_create(b.template, starts_at=at(dt.date(2026, 11, 25), 9))
        booking = booking_create(
            citizen=user, hall=b.hall, implementation=b.implementation, slot=slot
        )
        with time_machine.travel(at(dt.date(2026, 11, 25), 9, 5), tick=False):
            refused("too_late", booking_cancel, booking=booking, citizen=user)
        booking.refresh_from_db()
        assert booking.status == BookingStatus.BOOKED

    def test_reschedule_moves_the_place(self) -> None:
        b = bookable()
        user = citizen()
        old = slot_create(b.template)
        new = slot_create(b.template, starts_at=at(dt.date(2026, 11, 27), 14))
        booking = booking_create(
            citizen=user, hall=b.hall, implementation=b.implementation, slot=old
        )
        booking_reschedule(booking=booking, citizen=user, slot=new)
        booking.refresh_from_db()
        old.refresh_from_db()
        new.refresh_from_db()
        assert (booking.slot_id, old.booked, new.booked) == (new.pk, 0, 1)

    def test_reschedule_to_a_full_slot_changes_nothing(self) -> None:
        b = bookable(capacity=1)
        user = citizen()
        old = slot_create(b.template)
        full = slot_create(b.template, starts_at=at(dt.date(2026, 11, 27), 14))
        booking_create(citizen=citizen(), hall=b.hall, implementation=b.implementation, slot=full)
        booking = booking_create(
            citizen=user, hall=b.hall, implementation=b.implementation, slot=old
        )
        refused("slot_full", booking_reschedule, booking=booking, citizen=user, slot=full)
        booking.refresh_from_db()
        old.refresh_from_db()
        assert (booking.slot_id, old.booked) == (old.pk, 1)

    @pytest.mark.parametrize("case", ["past", "closed", "same"])
    def test_reschedule_bad_slot(self, case: str) -> None:
        b = bookable()
        user = citizen()
        old = slot_create(b.template)
        booking = booking_create(
            citizen=user, hall=b.hall, implementation=b.implementation, slot=old
        )
        target = {
            "past": lambda: slot_create(b.template, starts_at=at(dt.date(2026, 11, 24))),
            "closed": lambda: slot_create(b.template, starts_at=at(dt.date(2026, 11, 29))),
            "same": lambda: old,
        }[case]()
        code = {"past": "slot_past", "closed": "slot_closed", "same": "same_slot"}[case]
        refused(code, booking_reschedule, booking=booking, citizen=user, slot=target)
        booking.refresh_from_db()
        assert booking.slot_id == old.pk


@pytest.mark.django_db
class TestNoShows:
    def _missed(self, user: object, b: object, day: dt.date) -> Booking:
        slot = slot_create(b.template, starts_at=at(day))  # type: ignore[attr-defined]
        with time_machine.travel(at(day, 8), tick=False):
            booking = booking_create(
                citizen=user,
                hall=b.hall,  # type: ignore[attr-defined]
                implementation=b.implementation,
                slot=slot,
            )  # type: ignore[attr-defined]
        with time_machine.travel(at(day, 11), tick=False):
            assert no_shows_mark() == 1
        booking.refresh_from_db()
        assert booking.status == BookingStatus.NO_SHOW
        return booking

    def test_marking_waits_for_the_slot_to_end_and_is_idempotent(self) -> None:
        b = bookable()
        booking = booking_create(
            citizen=citizen(),
            hall=b.hall,
            implementation=b.implementation,
            slot=slot_create(b.template),
        )
        with time_machine.travel(at(dt.date(2026, 11, 26), 10, 29), tick=False):
            assert no_shows_mark() == 0
        with time_machine.travel(at(dt.date(2026, 11, 26), 10, 30), tick=False):
            assert no_shows_mark() == 1
            assert no_shows_mark() == 0
        booking.refresh_from_db()
        assert booking.status == BookingStatus.NO_SHOW

    def test_three_no_shows_in_90_days_block_for_30_days(self) -> None:
        b = bookable()
        user = citizen()
        days = [dt.date(2026, 12, 1), dt.date(2027, 1, 5), dt.date(2027, 2, 23)]
        for day in days:
            self._missed(user, b, day)
        slot = slot_create(b.template, starts_at=at(dt.date(2027, 3, 2)))
        with time_machine.travel(at(dt.date(2027, 2, 24), 9), tick=False):
            assert no_show_blocked_until(citizen=user) == at(dt.date(2027, 3, 25))
            err = refused(
                "no_show_blocked",
                booking_create,
                citizen=user,
                hall=b.hall,
                implementation=b.implementation,
                slot=slot,
            )
            assert "2027-03-25" in err.messages[0]
            assert "3" in err.messages[0]
        slot.refresh_from_db()
        assert slot.booked == 0
        with time_machine.travel(at(dt.date(2027, 3, 25), 10), tick=False):
            assert no_show_blocked_until(citizen=user) is None

    def test_three_no_shows_spread_over_more_than_90_days_do_not_block(self) -> None:
        b = bookable()
        user = citizen()
        for day in [dt.date(2026, 12, 1), dt.date(2027, 1, 5), dt.date(2027, 3, 2)]:
            self._missed(user, b, day)
        with time_machine.travel(at(dt.date(2027, 3, 3), 9), tick=False):
            assert no_show_blocked_until(citizen=user) is None

    def test_the_rule_is_configurable(self, settings: object) -> None:
        settings.HALLS_NO_SHOW_LIMIT = 1  # type: ignore[attr-defined]
        settings.HALLS_NO_SHOW_BLOCK_DAYS = 7  # type: ignore[attr-defined]
        b = bookable()
        user = citizen()
        self._missed(user, b, dt.date(2026, 12, 1))
        with time_machine.travel(at(dt.date(2026, 12, 2), 9), tick=False):
            assert no_show_blocked_until(citizen=user) == at(dt.date(2026, 12, 8))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
def test_last_place_booked_twice_at_once_exactly_one_succeeds() -> None:
    assert connection.vendor == "postgresql"
    b = bookable(capacity=1)
    slot = slot_create(b.template)
    users = [citizen(), citizen(), citizen(), citizen()]
    barrier = threading.Barrier(len(users))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(user: object) -> None:
        try:
            barrier.wait()
            booking_create(citizen=user, hall=b.hall, implementation=b.implementation, slot=slot)
            result = "ok"
        except ValidationError as exc:
            result = str(exc.code)
        finally:
            close_old_connections()
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "slot_full", "slot_full", "slot_full"]
    slot.refresh_from_db()
    assert slot.booked == 1
    assert Booking.objects.filter(slot=slot).count() == 1


@pytest.mark.django_db
def test_booking_and_cancelling_notify_the_citizen_in_app_and_by_sms() -> None:
    from yiwang.notify.models import Delivery

    b = bookable()
    user = citizen()
    slot = slot_create(b.template)
    with pytest.raises(ValidationError):
        booking_create(
            citizen=user,
            hall=b.hall,
            implementation=b.implementation,
            slot=slot_create(b.template, starts_at=at(dt.date(2026, 11, 24))),
        )
    assert not Delivery.objects.exists()
    booking = booking_create(citizen=user, hall=b.hall, implementation=b.implementation, slot=slot)
    booked = Delivery.objects.filter(recipient=user, template="halls_booked")
    assert sorted(booked.values_list("channel", flat=True)) == ["inapp", "sms"]
    body = booked.get(channel="inapp").body
    assert b.hall.name_zh in body
    assert "2026-11-26 10:00" in body
    assert booking.reference in body
    booking_cancel(booking=booking, citizen=user)
    assert Delivery.objects.filter(recipient=user, template="halls_cancelled").count() == 2
