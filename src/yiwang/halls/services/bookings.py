"""Bookings (预约): create, cancel, reschedule, and the no-show rule.

Capacity is taken with one conditional UPDATE (``booked < capacity``): on PostgreSQL a second
transaction updating the same row waits for the first and re-checks the condition, on SQLite
writers are serialised, so the last place is never sold twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.catalog.models import Implementation
from yiwang.core.workdays import is_working_day
from yiwang.halls.models import ACTIVE_STATUSES, Booking, BookingStatus, Hall, TimeSlot, Window
from yiwang.notify.services import notification_send

MSG_NOT_CITIZEN = _("Only a signed-in citizen can book an appointment.")
MSG_SLOT_PAST = _("That time has already passed. Choose a later time.")
MSG_SLOT_CLOSED = _("The hall is closed on that day. Choose a working day.")
MSG_SLOT_OTHER_HALL = _("That time belongs to another hall. Choose a time at this hall.")
MSG_ITEM_NOT_HERE = _("This hall does not handle that service. Choose a hall that does.")
MSG_ITEM_NOT_PUBLISHED = _("That service cannot be booked.")
MSG_SLOT_FULL = _("That time is fully booked. Choose another time.")
MSG_ALREADY_BOOKED = _(
    "You already have an appointment for this service. Change or cancel it instead."
)
MSG_BLOCKED = _(
    "You missed %(count)d appointments in %(window)d days, so you cannot book online until "
    "%(until)s. You can still go to the hall and take a number."
)
MSG_NOT_ACTIVE = _("This appointment can no longer be changed.")
MSG_TOO_LATE = _("This appointment has already started and can no longer be changed.")
MSG_SAME_SLOT = _("That is the time you already have. Choose a different time.")


def _rule() -> tuple[int, int, int]:
    """(no-shows, within days, blocked for days) — configurable in settings."""
    return (
        int(getattr(settings, "HALLS_NO_SHOW_LIMIT", 3)),
        int(getattr(settings, "HALLS_NO_SHOW_WINDOW_DAYS", 90)),
        int(getattr(settings, "HALLS_NO_SHOW_BLOCK_DAYS", 30)),
    )


def no_show_blocked_until(*, citizen: Any, now: dt.datetime | None = None) -> dt.datetime | None:
    """When online booking opens again for ``citizen``, or None if it is open.

    ``limit`` no-shows whose slots start within ``window`` days of each other block booking
    for ``block`` days from the last of them."""
    limit, window, block = _rule()
    now = now or timezone.now()
    since = now - dt.timedelta(days=window + block)
    starts = list(
        Booking.objects.filter(
            citizen=citizen, status=BookingStatus.NO_SHOW, slot__starts_at__gte=since
        )
        .order_by("slot__starts_at")
        .values_list("slot__starts_at", flat=True)
    )
    until: dt.datetime | None = None
    for i in range(limit - 1, len(starts)):
        if starts[i] - starts[i - limit + 1] <= dt.timedelta(days=window):
            candidate = starts[i] + dt.timedelta(days=block)
            if candidate > now and (until is None or candidate > until):
                until = candidate
    return until


def _check_citizen(citizen: Any) -> None:
    if not getattr(citizen, "is_authenticated", False) or not getattr(citizen, "is_citizen", False):
        raise PermissionDenied(MSG_NOT_CITIZEN)


def _check_not_blocked(citizen: Any) -> None:
    until = no_show_blocked_until(citizen=citizen)
    if until is not None:
        limit, window, _block = _rule()
        day = timezone.localtime(until).date().isoformat()
        raise ValidationError(
            MSG_BLOCKED,
            code="no_show_blocked",
            params={"count": limit, "window": window, "until": day},
        )


def implementation_served_at(*, hall: Hall, implementation: Implementation) -> bool:
    return Window.objects.filter(hall=hall, implementations=implementation).exists()


def _check_slot(*, slot: TimeSlot, hall: Hall, implementation: Implementation) -> None:
    """Every reason a slot cannot be booked for this hall and item, first one wins."""
    if implementation.published_version_id is None:
        raise ValidationError(MSG_ITEM_NOT_PUBLISHED, code="item_not_published")
    if slot.hall_id != hall.pk:
        raise ValidationError(MSG_SLOT_OTHER_HALL, code="slot_other_hall")
    if not implementation_served_at(hall=hall, implementation=implementation):
        raise ValidationError(MSG_ITEM_NOT_HERE, code="item_not_here")
    if not slot.template.implementations.filter(pk=implementation.pk).exists():
        raise ValidationError(MSG_ITEM_NOT_HERE, code="item_not_here")
    if slot.starts_at <= timezone.now():
        raise ValidationError(MSG_SLOT_PAST, code="slot_past")
    if not hall.is_active or not is_working_day(slot.date):
        raise ValidationError(MSG_SLOT_CLOSED, code="slot_closed")


def _take_place(slot: TimeSlot) -> None:
    taken = TimeSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(
        booked=F("booked") + 1
    )
    if not taken:
        raise ValidationError(MSG_SLOT_FULL, code="slot_full")


def _release_place(slot_id: int) -> None:
    TimeSlot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _notify(booking: Booking, template: str) -> None:
    """Tell the citizen in the app and by SMS (delivered after commit by the worker)."""
    item_version = booking.implementation.item.published_version
    start = timezone.localtime(booking.slot.starts_at)
    limit, window, block = _rule()
    notification_send(
        user=booking.citizen,
        template=template,
        context={
            "reference": booking.reference,
            "time": f"{start:%Y-%m-%d %H:%M}",
            "hall_zh": booking.hall.name_zh, "hall_en": booking.hall.name_en,
            "address_zh": booking.hall.address_zh, "address_en": booking.hall.address_en,
            "service_zh": item_version.name_zh if item_version else "",
            "service_en": item_version.name_en if item_version else "",
            "link_url": reverse("halls:my"),
            "no_show_limit": limit, "no_show_window": window, "no_show_block": block,
        },
        channels=("inapp", "sms"),
    )  # fmt: skip


def booking_create(
    *, citizen: Any, hall: Hall, implementation: Implementation, slot: TimeSlot
) -> Booking:
    _check_citizen(citizen)
    _check_slot(slot=slot, hall=hall, implementation=implementation)
    _check_not_blocked(citizen)
    with transaction.atomic():
        if Booking.objects.filter(
            citizen=citizen, implementation=implementation, status__in=ACTIVE_STATUSES
        ).exists():
            raise ValidationError(MSG_ALREADY_BOOKED, code="already_booked")
        _take_place(slot)
        try:
            # The partial unique constraint catches a second request that raced past the
            # check above; its savepoint rollback also undoes the place just taken.
            with transaction.atomic():
                booking = Booking.objects.create(
                    citizen=citizen, hall=hall, implementation=implementation, slot=slot
                )
        except IntegrityError:
            raise ValidationError(MSG_ALREADY_BOOKED, code="already_booked") from None
        _notify(booking, "halls_booked")
    return booking


def _locked_active(booking: Booking) -> Booking:
    locked = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
    if locked.status != BookingStatus.BOOKED:
        raise ValidationError(MSG_NOT_ACTIVE, code="not_active")
    if locked.slot.starts_at <= timezone.now():
        raise ValidationError(MSG_TOO_LATE, code="too_late")
    return locked


def _check_owner(*, booking: Booking, citizen: Any) -> None:
    if booking.citizen_id != getattr(citizen, "pk", None):
        raise PermissionDenied


@transaction.atomic
def booking_cancel(*, booking: Booking, citizen: Any) -> Booking:
    _check_owner(booking=booking, citizen=citizen)
    locked = _locked_active(booking)
    locked.status = BookingStatus.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    _release_place(locked.slot_id)
    _notify(locked, "halls_cancelled")
    return locked


def booking_reschedule(*, booking: Booking, citizen: Any, slot: TimeSlot) -> Booking:
    """Move to another slot of the same hall and item: the new place is taken and the old
    one released in one transaction, so a failure leaves the booking where it was."""
    _check_owner(booking=booking, citizen=citizen)
    with transaction.atomic():
        locked = _locked_active(booking)
        if slot.pk == locked.slot_id:
            raise ValidationError(MSG_SAME_SLOT, code="same_slot")
        _check_slot(slot=slot, hall=locked.hall, implementation=locked.implementation)
        _take_place(slot)
        _release_place(locked.slot_id)
        locked.slot = slot
        locked.save(update_fields=["slot", "updated_at"])
        _notify(locked, "halls_booked")
    return locked


def no_shows_mark(*, now: dt.datetime | None = None) -> int:
    """Bookings still only "booked" after their slot ended did not come. Idempotent."""
    now = now or timezone.now()
    return Booking.objects.filter(status=BookingStatus.BOOKED, slot__ends_at__lte=now).update(
        status=BookingStatus.NO_SHOW, updated_at=now
    )
