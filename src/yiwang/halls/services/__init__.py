"""Halls use cases: slots, bookings, check-in and the queue."""

from yiwang.halls.services.bookings import (
    booking_cancel,
    booking_create,
    booking_reschedule,
    no_show_blocked_until,
    no_shows_mark,
)
from yiwang.halls.services.queue import (
    booking_check_in,
    queue_call_next,
    queue_mark_served,
    queue_transfer,
)
from yiwang.halls.services.slots import slots_generate

__all__ = [
    "booking_cancel",
    "booking_check_in",
    "booking_create",
    "booking_reschedule",
    "no_show_blocked_until",
    "no_shows_mark",
    "queue_call_next",
    "queue_mark_served",
    "queue_transfer",
    "slots_generate",
]
