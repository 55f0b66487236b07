"""Delivery orders (邮寄单): ship, record status changes (clerk, carrier, tracking job), the
applicant's receipt confirmation (签收确认)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from yiwang.applications.models import OPEN_STATUSES, Application, Status
from yiwang.audit.services import audit_log
from yiwang.delivery.carriers import KNOWN_CARRIERS, carrier_get
from yiwang.delivery.models import (
    FINAL_STATUSES,
    STATUS_RANK,
    TRACKED_STATUSES,
    DeliveryEvent,
    DeliveryOrder,
    DeliveryStatus,
    Direction,
    EventSource,
    PostalAddress,
)
from yiwang.notify.services import notification_send

MSG_ALREADY_SHIPPED = _("This parcel has already been shipped with tracking number %(number)s.")
MSG_RESULT_NOT_READY = _("The result can be posted only after the application is approved.")
MSG_MATERIALS_NOT_OPEN = _(
    "A courier can collect the materials only while the application is submitted and open."
)
MSG_NOT_SHIPPABLE = _("This parcel is no longer waiting to be shipped.")
MSG_CARRIER_UNKNOWN = _("Choose a carrier from the list.")
MSG_TRACKING_FORMAT = _("A tracking number has 6 to 30 letters and digits.")
MSG_TRACKING_TAKEN = _("This tracking number is already used by another parcel of this carrier.")
MSG_NOT_SHIPPED = _("Enter the carrier and tracking number before recording where it is.")
MSG_STATUS_UNKNOWN = _("Choose picked up, in transit, delivered or returned.")
MSG_STATUS_BACKWARDS = _("The parcel is already %(current)s; it cannot go back to %(new)s.")
MSG_STATUS_FINAL = _("The parcel is already %(current)s; its status can no longer change.")
MSG_NOT_DELIVERED = _("You can confirm receipt once the parcel has been delivered.")
MSG_NOT_A_RESULT = _("Only a result sent to you can be confirmed as received.")
MSG_NOTE_TOO_LONG = _("Keep the note under 300 characters.")
MSG_BOOKING_UNAVAILABLE = _(
    "No carrier is connected: enter the carrier and tracking number from the courier's receipt."
)
MSG_RESEND_NOT_RETURNED = _("Only a result that came back returned can be sent again.")
MSG_RESEND_EXISTS = _("The result is already being sent again (parcel %(reference)s).")
MSG_RESEND_PICKUP = _(
    "The applicant now collects the result at a service hall, so there is nothing to resend."
)

TRACKING_RE = re.compile(r"^[A-Za-z0-9]{6,30}$")
RESULT_READY_STATUSES = (Status.APPROVED, Status.FINISHED)


def order_open(
    *, application: Application, direction: str, address: PostalAddress
) -> DeliveryOrder:
    """The live, unshipped order of ``application`` in ``direction``, created or re-addressed."""
    order = (
        DeliveryOrder.objects.select_for_update()
        .filter(application=application, direction=direction)
        .exclude(status__in=[DeliveryStatus.RETURNED, DeliveryStatus.CANCELLED])
        .first()
    )
    if order is not None:
        if order.address_id != address.pk:
            order.address = address
            order.save(update_fields=["address", "updated_at"])
        return order
    implementation = application.implementation
    order = DeliveryOrder.objects.create(
        application=application,
        direction=direction,
        address=address,
        department_id=implementation.department_id,
        region_code=implementation.region_id,
    )
    _event(order, status=DeliveryStatus.CREATED, source=EventSource.APPLICANT,
           actor=application.applicant)  # fmt: skip
    return order


def order_cancel_unshipped(*, application: Application, direction: str, actor: Any) -> None:
    """The applicant changed their mind before the parcel left: cancel it."""
    for order in DeliveryOrder.objects.select_for_update().filter(
        application=application, direction=direction, status=DeliveryStatus.CREATED,
        tracking_number="",
    ):  # fmt: skip
        order.status = DeliveryStatus.CANCELLED
        order.save(update_fields=["status", "updated_at"])
        _event(order, status=DeliveryStatus.CANCELLED, source=EventSource.APPLICANT, actor=actor)


def _event(
    order: DeliveryOrder,
    *,
    status: str,
    source: str,
    actor: Any = None,
    kind: str = "status",
    occurred_at: dt.datetime | None = None,
    location: str = "",
    note: str = "",
    external_id: str = "",
) -> DeliveryEvent:
    return DeliveryEvent.objects.create(
        order=order, kind=kind, status=status, source=source,
        actor=actor if getattr(actor, "pk", None) else None,
        occurred_at=occurred_at or timezone.now(), location=location[:120], note=note[:300],
        external_id=external_id[:80],
    )  # fmt: skip


def _carrier_in(order: DeliveryOrder, language: str) -> str:
    with translation.override(language):
        return order.carrier_name


def _notify(order: DeliveryOrder, template: str) -> None:
    application = order.application
    item_version = application.implementation.item.published_version
    notification_send(
        user=application.applicant,
        template=template,
        context={
            "number": application.number,
            "service_zh": item_version.name_zh if item_version else "",
            "service_en": item_version.name_en if item_version else "",
            "carrier_zh": _carrier_in(order, "zh-hans"),
            "carrier_en": _carrier_in(order, "en"),
            "tracking_number": order.tracking_number,
            "link_url": reverse("applications:detail", args=[application.number]),
        },
        channels=("inapp", "sms"),
    )


def _locked(order: DeliveryOrder) -> DeliveryOrder:
    return (
        DeliveryOrder.objects.select_for_update(of=("self",))
        .select_related("application__implementation__item__published_version", "address")
        .get(pk=order.pk)
    )


def _check_shippable(order: DeliveryOrder) -> None:
    if order.tracking_number:
        raise ValidationError(
            MSG_ALREADY_SHIPPED, code="already_shipped", params={"number": order.tracking_number}
        )
    if order.status != DeliveryStatus.CREATED:
        raise ValidationError(MSG_NOT_SHIPPABLE, code="not_shippable")
    status = order.application.status
    if order.direction == Direction.RESULT_OUT and status not in RESULT_READY_STATUSES:
        raise ValidationError(MSG_RESULT_NOT_READY, code="result_not_ready")
    if order.direction == Direction.MATERIALS_IN and status not in OPEN_STATUSES:
        raise ValidationError(MSG_MATERIALS_NOT_OPEN, code="materials_not_open")


@transaction.atomic
def order_ship(
    *,
    order: DeliveryOrder,
    by: Any,
    carrier: str = "",
    tracking_number: str = "",
    book: bool = False,
) -> DeliveryOrder:
    """Hand the parcel to a carrier: either the clerk enters carrier and tracking number, or
    (``book``) the configured carrier adapter books a pickup and returns the number."""
    order = _locked(order)
    _check_shippable(order)
    if book:
        adapter = carrier_get()
        if not adapter.can_book:
            raise ValidationError(MSG_BOOKING_UNAVAILABLE, code="booking_unavailable")
        carrier, tracking_number = adapter.code, adapter.book(order=order)
    else:
        carrier, tracking_number = carrier.strip(), tracking_number.strip().upper()
        errors = {}
        if carrier not in KNOWN_CARRIERS or carrier == "fake":
            errors["carrier"] = ValidationError(MSG_CARRIER_UNKNOWN, code="carrier_unknown")
        if not TRACKING_RE.match(tracking_number):
            errors["tracking_number"] = ValidationError(MSG_TRACKING_FORMAT, code="tracking_format")
        if errors:
            raise ValidationError(errors)
    order.carrier, order.tracking_number = carrier, tracking_number
    order.shipped_at, order.shipped_by = timezone.now(), by
    try:
        with transaction.atomic():
            order.save(
                update_fields=[
                    "carrier",
                    "tracking_number",
                    "shipped_at",
                    "shipped_by",
                    "updated_at",
                ]
            )
    except IntegrityError:
        raise ValidationError(
            {"tracking_number": ValidationError(MSG_TRACKING_TAKEN, code="tracking_taken")}
        ) from None
    _event(order, kind="shipped", status=order.status, source=EventSource.CLERK, actor=by,
           note=f"{order.carrier_name} {tracking_number}")  # fmt: skip
    audit_log(
        actor=by, action="delivery.ship", target_type="delivery.order", target_id=str(order.pk),
        region_code=order.region_code, subject=order.application.applicant,
        details={"carrier": carrier, "tracking_number": tracking_number, "booked": book,
                 "direction": order.direction, "application": order.application.number},
    )  # fmt: skip
    if order.direction == Direction.RESULT_OUT:
        _notify(order, "delivery_shipped")
    return order


STATUS_NOTICES: dict[tuple[str, str], str] = {
    (Direction.RESULT_OUT, DeliveryStatus.DELIVERED): "delivery_delivered",
    (Direction.RESULT_OUT, DeliveryStatus.RETURNED): "delivery_returned",
    (Direction.MATERIALS_IN, DeliveryStatus.RETURNED): "delivery_returned",
    (Direction.MATERIALS_IN, DeliveryStatus.PICKED_UP): "delivery_materials_picked_up",
}


def _is_news(order: DeliveryOrder, *, status: str, note: str, external_id: str) -> bool:
    """False for a repeat; raises for a status that is unknown, backwards or after the end."""
    if status not in TRACKED_STATUSES:
        raise ValidationError(
            {"status": ValidationError(MSG_STATUS_UNKNOWN, code="status_unknown")}
        )
    if len(note) > 300:
        raise ValidationError({"note": ValidationError(MSG_NOTE_TOO_LONG, code="max_length")})
    if not order.tracking_number:
        raise ValidationError(MSG_NOT_SHIPPED, code="not_shipped")
    if external_id and order.events.filter(external_id=external_id).exists():
        return False
    if status == order.status:
        return False
    labels = {"current": DeliveryStatus(order.status).label, "new": DeliveryStatus(status).label}
    if order.status in FINAL_STATUSES:
        raise ValidationError(MSG_STATUS_FINAL, code="status_final", params=labels)
    if STATUS_RANK[DeliveryStatus(status)] < STATUS_RANK[DeliveryStatus(order.status)]:
        raise ValidationError(MSG_STATUS_BACKWARDS, code="status_backwards", params=labels)
    return True


@transaction.atomic
def order_status_record(
    *,
    order: DeliveryOrder,
    status: str,
    source: str,
    by: Any = None,
    occurred_at: dt.datetime | None = None,
    location: str = "",
    note: str = "",
    external_id: str = "",
) -> tuple[DeliveryOrder, bool]:
    """Move the parcel forward. A repeat (same status, or an event id already recorded) is
    a no-op and returns ``changed=False``; going backwards or past the end is refused."""
    order = _locked(order)
    if not _is_news(order, status=status, note=note, external_id=external_id):
        return order, False
    previous = order.status
    order.status = status
    fields = ["status", "updated_at"]
    if status == DeliveryStatus.DELIVERED:
        order.delivered_at = occurred_at or timezone.now()
        fields.append("delivered_at")
    order.save(update_fields=fields)
    _event(order, status=status, source=source, actor=by, occurred_at=occurred_at,
           location=location, note=note, external_id=external_id)  # fmt: skip
    audit_log(
        actor=by, action="delivery.status", target_type="delivery.order", target_id=str(order.pk),
        region_code=order.region_code,
        details={"from": previous, "to": status, "source": source,
                 "tracking_number": order.tracking_number},
    )  # fmt: skip
    template = STATUS_NOTICES.get((order.direction, status))
    if template:
        _notify(order, template)
    return order, True


def result_awaiting_resend(*, application: Application) -> DeliveryOrder | None:
    """The returned result parcel when it is the latest one and nothing replaces it yet."""
    latest = (
        DeliveryOrder.objects.filter(application=application, direction=Direction.RESULT_OUT)
        .exclude(status=DeliveryStatus.CANCELLED)
        .order_by("-created_at", "-pk")
        .first()
    )
    return latest if latest is not None and latest.status == DeliveryStatus.RETURNED else None


@transaction.atomic
def order_resend(*, order: DeliveryOrder, by: Any) -> DeliveryOrder:
    """重新寄送: a result parcel came back; open a new order to the applicant's current
    choice (which they may have corrected meanwhile), linked to the returned one."""
    order = _locked(order)
    if order.direction != Direction.RESULT_OUT or order.status != DeliveryStatus.RETURNED:
        raise ValidationError(MSG_RESEND_NOT_RETURNED, code="not_returned")
    application = Application.objects.select_for_update().get(pk=order.application_id)
    if application.status not in RESULT_READY_STATUSES:
        raise ValidationError(MSG_RESULT_NOT_READY, code="result_not_ready")
    live = (
        DeliveryOrder.objects.filter(application=application, direction=Direction.RESULT_OUT)
        .exclude(status__in=[DeliveryStatus.RETURNED, DeliveryStatus.CANCELLED])
        .first()
    )
    if live is not None:
        raise ValidationError(
            MSG_RESEND_EXISTS, code="resend_exists", params={"reference": live.reference}
        )
    choice = getattr(application, "delivery_choice", None)
    if choice is None or choice.result_method != "post" or choice.address_id is None:
        raise ValidationError(MSG_RESEND_PICKUP, code="resend_pickup")
    new = DeliveryOrder.objects.create(
        application=application, direction=Direction.RESULT_OUT, address_id=choice.address_id,
        department_id=order.department_id, region_code=order.region_code, resent_from=order,
    )  # fmt: skip
    _event(new, status=DeliveryStatus.CREATED, source=EventSource.CLERK, actor=by)
    audit_log(
        actor=by, action="delivery.resend", target_type="delivery.order", target_id=str(new.pk),
        region_code=new.region_code, subject=application.applicant,
        details={"returned": order.pk, "application": application.number,
                 "same_address": new.address_id == order.address_id},
    )  # fmt: skip
    return new


@transaction.atomic
def order_confirm_received(*, user: Any, order: DeliveryOrder) -> DeliveryOrder:
    """签收确认: the applicant says the result arrived. Confirming twice changes nothing."""
    order = _locked(order)
    if order.application.applicant_id != getattr(user, "pk", None):
        raise Http404
    if order.direction != Direction.RESULT_OUT:
        raise ValidationError(MSG_NOT_A_RESULT, code="not_a_result")
    if order.status != DeliveryStatus.DELIVERED:
        raise ValidationError(MSG_NOT_DELIVERED, code="not_delivered")
    if order.received_confirmed_at is None:
        order.received_confirmed_at = timezone.now()
        order.save(update_fields=["received_confirmed_at", "updated_at"])
        _event(order, kind="received", status=order.status, source=EventSource.APPLICANT,
               actor=user)  # fmt: skip
    return order


def orders_track(*, now: dt.datetime | None = None) -> int:
    """Poll the carrier adapter for every parcel it carries that is still on its way and
    record what is new. Idempotent: events already recorded are skipped."""
    from yiwang.delivery.carriers import TrackingEvent

    adapter = carrier_get()
    if not adapter.can_book:
        return 0  # manual: clerks and the carrier's callback report the statuses
    changed = 0
    in_flight = DeliveryOrder.objects.filter(
        carrier=adapter.code,
        status__in=[DeliveryStatus.CREATED, DeliveryStatus.PICKED_UP, DeliveryStatus.IN_TRANSIT],
        shipped_at__isnull=False,
    ).exclude(tracking_number="")
    # A list, not a server-side cursor: each order is then locked in its own transaction.
    for order in list(in_flight.order_by("pk")):
        assert order.shipped_at is not None  # noqa: S101 - filtered above
        events: list[TrackingEvent] = adapter.track(
            tracking_number=order.tracking_number, shipped_at=order.shipped_at, now=now
        )
        for event in events:
            try:
                order, did = order_status_record(
                    order=order, status=event.status, source=EventSource.CARRIER,
                    occurred_at=event.occurred_at, location=event.location,
                    note=event.description, external_id=event.event_id,
                )  # fmt: skip
            except ValidationError:
                continue  # a late scan older than what we already know: nothing to do
            changed += int(did)
    return changed
