"""On arrival: check-in (by QR token or ID number at the desk) hands out a queue number;
windows call, serve and transfer numbers. Staff only, each step audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import CitizenProfile
from yiwang.audit.services import audit_log, personal_data_read
from yiwang.core.crypto import blind_index
from yiwang.core.ids import validate_resident_id
from yiwang.halls.models import (
    Booking,
    BookingStatus,
    Hall,
    QueueCounter,
    QueueTicket,
    TicketStatus,
    Window,
)
from yiwang.halls.permissions import hall_check_staff

MSG_QR_UNKNOWN = _("This code is not a booking. Ask the citizen to show the code again.")
MSG_QR_OTHER_HALL = _("This booking is for another hall. Send the citizen to the hall booked.")
MSG_QR_OTHER_DAY = _("This booking is for %(day)s, not today.")
MSG_NOT_BOOKED = _("This booking is not waiting for check-in (it is %(status)s).")
MSG_CHECK_IN_NEEDS = _("Scan the booking code or enter an ID number.")
MSG_ID_NO_BOOKING = _("Nobody with this ID number has a booking at this hall today.")
MSG_ID_INVALID = _("Enter a valid resident ID number.")
MSG_WINDOW_BUSY = _("Mark the current number served or transfer it before calling the next.")
MSG_QUEUE_EMPTY = _("Nobody is waiting for this window.")
MSG_TICKET_NOT_CALLED = _("Only a number that has been called to a window can be %(action)s.")
MSG_TRANSFER_SAME = _("Choose a different window to transfer to.")
MSG_TRANSFER_OTHER_HALL = _("You can only transfer to a window of the same hall.")
MSG_TRANSFER_NOT_SERVED = _("That window does not handle this service.")


def _next_number(hall: Hall, day: dt.date) -> int:
    counter, _created = QueueCounter.objects.get_or_create(hall=hall, date=day)
    QueueCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db()
    return counter.last


def _booking_by_id_number(*, hall: Hall, id_number: str, by: Any) -> Booking:
    try:
        normalized = validate_resident_id(id_number)
    except ValidationError:
        raise ValidationError(MSG_ID_INVALID, code="id_invalid") from None
    index = blind_index(normalized, purpose="resident_id")
    profile = CitizenProfile.objects.filter(id_number_index=index).select_related("user").first()
    booking = None
    if profile is not None:
        booking = (
            Booking.objects.filter(
                citizen=profile.user,
                hall=hall,
                slot__date=timezone.localdate(),
                status=BookingStatus.BOOKED,
            )
            .order_by("slot__starts_at")
            .first()
        )
    if booking is None or profile is None:
        raise ValidationError(MSG_ID_NO_BOOKING, code="id_no_booking")
    personal_data_read(
        actor=by,
        subject=profile.user,
        purpose=str(_("Check-in at the hall desk")),
        fields=["id_number", "real_name"],
        target_type="halls.booking",
        target_id=str(booking.pk),
    )
    return booking


def booking_check_in(
    *, hall: Hall, by: Any, qr_token: str = "", id_number: str = ""
) -> QueueTicket:
    """Check a booking in at ``hall`` today and give it the next queue number."""
    hall_check_staff(user=by, hall=hall)
    qr_token, id_number = qr_token.strip(), id_number.strip()
    with transaction.atomic():
        if qr_token:
            booking = Booking.objects.select_related("slot").filter(qr_token=qr_token).first()
            if booking is None:
                raise ValidationError(MSG_QR_UNKNOWN, code="qr_unknown")
            if booking.hall_id != hall.pk:
                raise ValidationError(MSG_QR_OTHER_HALL, code="qr_other_hall")
        elif id_number:
            booking = _booking_by_id_number(hall=hall, id_number=id_number, by=by)
        else:
            raise ValidationError(MSG_CHECK_IN_NEEDS, code="check_in_needs")
        booking = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
        today = timezone.localdate()
        if booking.slot.date != today:
            raise ValidationError(
                MSG_QR_OTHER_DAY, code="qr_other_day", params={"day": booking.slot.date.isoformat()}
            )
        if booking.status != BookingStatus.BOOKED:
            raise ValidationError(
                MSG_NOT_BOOKED,
                code="not_booked",
                params={"status": BookingStatus(booking.status).label},
            )
        now = timezone.now()
        booking.status = BookingStatus.CHECKED_IN
        booking.checked_in_at = now
        booking.save(update_fields=["status", "checked_in_at", "updated_at"])
        ticket = QueueTicket.objects.create(
            hall=hall,
            date=today,
            number=_next_number(hall, today),
            booking=booking,
            implementation_id=booking.implementation_id,
        )
        audit_log(
            actor=by,
            action="halls.check_in",
            target_type="halls.booking",
            target_id=str(booking.pk),
            region_code=hall.region_id,
            details={"ticket": ticket.display_number, "by": "qr" if qr_token else "id_number"},
        )
    return ticket


@transaction.atomic
def queue_call_next(*, window: Window, by: Any) -> QueueTicket:
    """Call the next waiting number this window handles: numbers transferred to it first,
    then in order of arrival. Two windows calling at once never get the same number."""
    hall_check_staff(user=by, hall=window.hall)
    # One call at a time per window (a double click must not call two numbers).
    Window.objects.select_for_update().filter(pk=window.pk).first()
    if QueueTicket.objects.filter(window=window, status=TicketStatus.CALLED).exists():
        raise ValidationError(MSG_WINDOW_BUSY, code="window_busy")
    today = timezone.localdate()
    served_here = Q(transferred_to__isnull=True, implementation__in=window.implementations.all())
    waiting = QueueTicket.objects.filter(
        Q(transferred_to=window) | served_here,
        hall=window.hall,
        date=today,
        status=TicketStatus.WAITING,
    ).order_by(F("transferred_to").asc(nulls_last=True), "number")
    for candidate in waiting[:20]:
        # Conditional UPDATE: if another window took this number first, try the next one.
        now = timezone.now()
        if QueueTicket.objects.filter(pk=candidate.pk, status=TicketStatus.WAITING).update(
            status=TicketStatus.CALLED, window=window, called_at=now, transferred_to=None
        ):
            candidate.refresh_from_db()
            audit_log(
                actor=by,
                action="halls.queue_call",
                target_type="halls.queueticket",
                target_id=str(candidate.pk),
                region_code=window.hall.region_id,
                details={"ticket": candidate.display_number, "window": window.number},
            )
            return candidate
    raise ValidationError(MSG_QUEUE_EMPTY, code="queue_empty")


def _locked_called(ticket: QueueTicket, action: Any) -> QueueTicket:
    locked = (
        QueueTicket.objects.select_for_update(of=("self",))
        .select_related("window", "hall")
        .get(pk=ticket.pk)
    )
    if locked.status != TicketStatus.CALLED or locked.window is None:
        raise ValidationError(MSG_TICKET_NOT_CALLED, code="not_called", params={"action": action})
    return locked


@transaction.atomic
def queue_mark_served(*, ticket: QueueTicket, by: Any) -> QueueTicket:
    hall_check_staff(user=by, hall=ticket.hall)
    locked = _locked_called(ticket, _("marked served"))
    locked.status = TicketStatus.SERVED
    locked.served_at = timezone.now()
    locked.save(update_fields=["status", "served_at"])
    if locked.booking_id:
        Booking.objects.filter(pk=locked.booking_id).update(
            status=BookingStatus.SERVED, updated_at=locked.served_at
        )
    audit_log(
        actor=by,
        action="halls.queue_served",
        target_type="halls.queueticket",
        target_id=str(locked.pk),
        region_code=locked.hall.region_id,
        details={"ticket": locked.display_number},
    )
    return locked


@transaction.atomic
def queue_transfer(*, ticket: QueueTicket, to_window: Window, by: Any) -> QueueTicket:
    """Send a called number on to another window of the hall; it waits there first in line."""
    hall_check_staff(user=by, hall=ticket.hall)
    locked = _locked_called(ticket, _("transferred"))
    if to_window.hall_id != locked.hall_id:
        raise ValidationError(MSG_TRANSFER_OTHER_HALL, code="transfer_other_hall")
    if to_window.pk == locked.window_id:
        raise ValidationError(MSG_TRANSFER_SAME, code="transfer_same")
    if not to_window.implementations.filter(pk=locked.implementation_id).exists():
        raise ValidationError(MSG_TRANSFER_NOT_SERVED, code="transfer_not_served")
    from_number = locked.window.number if locked.window else None
    locked.status = TicketStatus.WAITING
    locked.transferred_to = to_window
    locked.window = None
    locked.save(update_fields=["status", "transferred_to", "window"])
    audit_log(
        actor=by,
        action="halls.queue_transfer",
        target_type="halls.queueticket",
        target_id=str(locked.pk),
        region_code=locked.hall.region_id,
        details={"ticket": locked.display_number, "from": from_number, "to": to_window.number},
    )
    return locked
