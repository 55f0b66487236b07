"""``/api/v1/delivery``: the applicant's parcels and choice, the staff shipping list, and the
carrier's tracking callback (signed with a shared secret, no session)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema
from pydantic import ValidationError as PydanticValidationError

from yiwang.core import errors
from yiwang.delivery import selectors, services
from yiwang.delivery.models import DeliveryOrder, EventSource

router = Router(tags=["delivery"])

SIGNATURE_HEADER = "X-Yiwang-Signature"
MSG_CALLBACK_DISABLED = _("Carrier callbacks are not enabled on this server.")
MSG_BAD_SIGNATURE = _("The signature of this tracking update is missing or wrong.")
MSG_TRACKING_UNKNOWN = _("No parcel has this tracking number.")


class EventOut(Schema):
    kind: str
    status: str
    source: str
    location: str
    note: str
    occurred_at: dt.datetime


class OrderOut(Schema):
    id: int
    reference: str
    application: str
    direction: str
    status: str
    carrier: str
    tracking_number: str
    shipped_at: dt.datetime | None
    delivered_at: dt.datetime | None
    received_confirmed_at: dt.datetime | None
    region_code: str
    resent_from: int | None = None  # the returned order this one sends again
    events: list[EventOut]


class StaffOrderOut(OrderOut):
    recipient: str  # masked
    phone: str  # masked


class AddressIn(Schema):
    region_code: str
    street: str
    recipient_name: str
    recipient_phone: str


class ChoiceIn(Schema):
    result_method: Literal["pickup", "post"]
    hall_id: int | None = None
    address_id: int | None = None
    new_address: AddressIn | None = None
    materials_by_post: bool | None = None


class ChoiceOut(Schema):
    application: str
    result_method: str
    hall_id: int | None
    address_id: int | None
    materials_by_post: bool


class ShipIn(Schema):
    book: bool = False
    carrier: str = ""
    tracking_number: str = ""


class StatusIn(Schema):
    status: str
    location: str = ""
    note: str = ""


class TrackingEventIn(Schema):
    tracking_number: str
    carrier: str = ""
    status: Literal["picked_up", "in_transit", "delivered", "returned"]
    occurred_at: dt.datetime | None = None
    location: str = ""
    description: str = ""
    event_id: str = ""


class TrackingEventOut(Schema):
    order: str
    status: str
    changed: bool


def _order(order: DeliveryOrder, *, staff: bool = False) -> dict[str, Any]:
    data = {
        "id": order.pk, "reference": order.reference, "application": order.application.number,
        "direction": order.direction, "status": order.status, "carrier": order.carrier,
        "tracking_number": order.tracking_number, "shipped_at": order.shipped_at,
        "delivered_at": order.delivered_at, "region_code": order.region_code,
        "received_confirmed_at": order.received_confirmed_at,
        "resent_from": order.resent_from_id,
        "events": [
            {"kind": e.kind, "status": e.status, "source": e.source, "location": e.location,
             "note": e.note, "occurred_at": e.occurred_at}
            for e in order.events.all()
        ],
    }  # fmt: skip
    if staff:
        data |= {"recipient": order.address.masked_name, "phone": order.address.masked_phone}
    return data


def _citizen(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_authenticated or not getattr(user, "is_citizen", False):
        raise PermissionDenied
    return user


@router.get("/orders", response=list[OrderOut], summary="My parcels")
def my_orders(request: HttpRequest) -> list[dict[str, Any]]:
    return [_order(o) for o in selectors.orders_for_citizen(user=_citizen(request))[:100]]


@router.post(
    "/applications/{number}/choice", response=ChoiceOut, summary="How to receive the result"
)
def choice_set(request: HttpRequest, number: str, payload: ChoiceIn) -> dict[str, Any]:
    user = _citizen(request)
    data = selectors.application_delivery_for_citizen(user=user, number=number)
    choice = services.delivery_choice_set(
        user=user, application=data.application, result_method=payload.result_method,
        hall_id=payload.hall_id, address_id=payload.address_id,
        new_address=payload.new_address.model_dump() if payload.new_address else None,
        materials_by_post=payload.materials_by_post,
    )  # fmt: skip
    return {
        "application": number, "result_method": choice.result_method,
        "hall_id": choice.pickup_hall_id, "address_id": choice.address_id,
        "materials_by_post": choice.materials_by_post,
    }  # fmt: skip


@router.post("/orders/{int:order_id}/received", response=OrderOut, summary="Confirm receipt")
def confirm_received(request: HttpRequest, order_id: int) -> dict[str, Any]:
    user = _citizen(request)
    order = selectors.order_get_for_citizen(user=user, pk=order_id)
    services.order_confirm_received(user=user, order=order)
    return _order(selectors.order_get_for_citizen(user=user, pk=order_id))


@router.get("/staff/orders", response=list[StaffOrderOut], summary="Parcels to prepare and ship")
def staff_orders(
    request: HttpRequest, status: str = "", direction: str = "", offset: int = 0
) -> list[dict[str, Any]]:
    orders = selectors.orders_for_staff(user=request.user, status=status, direction=direction)
    offset = max(offset, 0)
    return [_order(o, staff=True) for o in orders.prefetch_related("events")[offset : offset + 100]]


@router.post("/staff/orders/{int:order_id}/ship", response=StaffOrderOut, summary="Ship")
def staff_ship(request: HttpRequest, order_id: int, payload: ShipIn) -> dict[str, Any]:
    order = selectors.order_get_for_staff(user=request.user, pk=order_id)
    services.order_ship(
        order=order, by=request.user, book=payload.book, carrier=payload.carrier,
        tracking_number=payload.tracking_number,
    )  # fmt: skip
    return _order(selectors.order_get_for_staff(user=request.user, pk=order_id), staff=True)


@router.post("/staff/orders/{int:order_id}/status", response=StaffOrderOut, summary="Status")
def staff_status(request: HttpRequest, order_id: int, payload: StatusIn) -> dict[str, Any]:
    order = selectors.order_get_for_staff(user=request.user, pk=order_id)
    services.order_status_record(
        order=order, status=payload.status, source=EventSource.CLERK, by=request.user,
        location=payload.location, note=payload.note,
    )  # fmt: skip
    return _order(selectors.order_get_for_staff(user=request.user, pk=order_id), staff=True)


@router.post("/staff/orders/{int:order_id}/resend", response=StaffOrderOut, summary="Resend")
def staff_resend(request: HttpRequest, order_id: int) -> dict[str, Any]:
    """A returned result goes out again, as a new order, to the applicant's current choice."""
    order = selectors.order_get_for_staff(user=request.user, pk=order_id)
    new = services.order_resend(order=order, by=request.user)
    return _order(selectors.order_get_for_staff(user=request.user, pk=new.pk), staff=True)


def _check_signature(request: HttpRequest) -> None:
    secret = getattr(settings, "DELIVERY_CALLBACK_SECRET", "")
    if not secret:
        raise errors.ApiError(status=403, code="callback_disabled", message=MSG_CALLBACK_DISABLED)
    given = request.headers.get(SIGNATURE_HEADER, "").removeprefix("sha256=")
    expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    if not given or not hmac.compare_digest(given.lower(), expected):
        raise errors.ApiError(status=401, code="bad_signature", message=MSG_BAD_SIGNATURE)


@router.post(
    "/tracking-events",
    response=TrackingEventOut,
    auth=None,
    summary="Carrier callback: one tracking event",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": TrackingEventIn.model_json_schema()}},
        }
    },
    description=(
        f"Signed by the carrier: `{SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256 of the raw body "
        "with the shared secret>`. A repeated event or status changes nothing."
    ),
)
def tracking_event(request: HttpRequest) -> dict[str, Any]:
    _check_signature(request)
    try:
        payload = TrackingEventIn.model_validate(json.loads(request.body))
    except ValueError as exc:
        if isinstance(exc, PydanticValidationError):
            details = [{"loc": list(e["loc"]), "type": e["type"], "msg": e["msg"]}
                       for e in exc.errors()]  # fmt: skip
            raise errors.ApiError(
                status=422, code="invalid_input", message=errors.MSG_INVALID_INPUT,
                details=details,
            ) from None  # fmt: skip
        raise errors.ApiError(
            status=400, code="malformed_json", message=errors.MSG_MALFORMED_JSON
        ) from None
    orders = DeliveryOrder.objects.filter(tracking_number=payload.tracking_number.strip().upper())
    if payload.carrier:
        orders = orders.filter(carrier=payload.carrier)
    order = orders.first() if payload.tracking_number.strip() else None
    if order is None:
        raise errors.ApiError(status=404, code="tracking_unknown", message=MSG_TRACKING_UNKNOWN)
    order, changed = services.order_status_record(
        order=order, status=payload.status, source=EventSource.CARRIER,
        occurred_at=payload.occurred_at, location=payload.location,
        note=payload.description, external_id=payload.event_id,
    )  # fmt: skip
    return {"order": order.reference, "status": order.status, "changed": changed}
