"""``/api/v1/halls``: halls, the nearest hall for a service, free slots (public) and the
signed-in citizen's bookings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from yiwang.halls import selectors, services
from yiwang.halls.models import Booking, Hall, TimeSlot

router = Router(tags=["halls"])


class HallOut(Schema):
    id: int
    name: str
    level: str
    region_code: str
    address: str
    latitude: float
    longitude: float
    phone: str
    opening_hours: dict[str, list[list[str]]]


class NearHallOut(Schema):
    hall: HallOut
    distance_km: float


class SlotOut(Schema):
    id: int
    date: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    places_left: int


class BookingOut(Schema):
    id: int
    reference: str
    status: str
    hall: HallOut
    implementation_id: int
    service_name: str
    slot: SlotOut
    qr_token: str


class BookingIn(Schema):
    hall: int
    implementation: int
    slot: int


class RescheduleIn(Schema):
    slot: int


def _hall(hall: Hall) -> dict[str, Any]:
    return {
        "id": hall.pk, "name": hall.name, "level": hall.level, "region_code": hall.region_id,
        "address": hall.address, "latitude": float(hall.latitude),
        "longitude": float(hall.longitude), "phone": hall.phone,
        "opening_hours": hall.opening_hours,
    }  # fmt: skip


def _slot(slot: TimeSlot) -> dict[str, Any]:
    return {
        "id": slot.pk, "date": slot.date, "starts_at": slot.starts_at, "ends_at": slot.ends_at,
        "places_left": slot.places_left,
    }  # fmt: skip


def _booking(booking: Booking) -> dict[str, Any]:
    item_version = booking.implementation.item.published_version
    return {
        "id": booking.pk, "reference": booking.reference, "status": booking.status,
        "hall": _hall(booking.hall), "implementation_id": booking.implementation_id,
        "service_name": item_version.name if item_version else "",
        "slot": _slot(booking.slot), "qr_token": booking.qr_token,
    }  # fmt: skip


def _citizen(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_authenticated or not getattr(user, "is_citizen", False):
        raise PermissionDenied
    return user


@router.get("/", response=list[HallOut], auth=None, summary="Service halls")
def hall_list(request: HttpRequest, region: str = "") -> list[dict[str, Any]]:
    return [_hall(h) for h in selectors.halls_public(region_code=region or None)[:200]]


@router.get(
    "/nearest", response=list[NearHallOut], auth=None, summary="Nearest halls for a service"
)
def nearest(
    request: HttpRequest, implementation: int, lat: str = "", lon: str = "", region: str = ""
) -> list[dict[str, Any]]:
    found = selectors.hall_nearest_lookup(
        implementation=selectors.implementation_bookable(pk=implementation),
        latitude=lat, longitude=lon, region_code=region,
    )  # fmt: skip
    return [{"hall": _hall(n.hall), "distance_km": round(n.distance_km, 2)} for n in found]


@router.get("/bookings", response=list[BookingOut], summary="My bookings")
def my_bookings(request: HttpRequest) -> list[dict[str, Any]]:
    return [_booking(b) for b in selectors.bookings_for_citizen(user=_citizen(request))[:100]]


@router.post("/bookings", response={201: BookingOut}, summary="Book an appointment")
def booking_create(request: HttpRequest, payload: BookingIn) -> Status:
    citizen = _citizen(request)
    hall = selectors.hall_get_public(pk=payload.hall)
    booking = services.booking_create(
        citizen=citizen, hall=hall,
        implementation=selectors.implementation_bookable(pk=payload.implementation),
        slot=get_object_or_404(TimeSlot.objects.select_related("template"), pk=payload.slot),
    )  # fmt: skip
    return Status(201, _booking(selectors.booking_get_for_citizen(user=citizen, pk=booking.pk)))


@router.post("/bookings/{int:booking_id}/cancel", response=BookingOut, summary="Cancel")
def booking_cancel(request: HttpRequest, booking_id: int) -> dict[str, Any]:
    citizen = _citizen(request)
    booking = selectors.booking_get_for_citizen(user=citizen, pk=booking_id)
    services.booking_cancel(booking=booking, citizen=citizen)
    return _booking(selectors.booking_get_for_citizen(user=citizen, pk=booking_id))


@router.post("/bookings/{int:booking_id}/reschedule", response=BookingOut, summary="Reschedule")
def booking_reschedule(
    request: HttpRequest, booking_id: int, payload: RescheduleIn
) -> dict[str, Any]:
    citizen = _citizen(request)
    booking = selectors.booking_get_for_citizen(user=citizen, pk=booking_id)
    slot = get_object_or_404(TimeSlot.objects.select_related("template"), pk=payload.slot)
    services.booking_reschedule(booking=booking, citizen=citizen, slot=slot)
    return _booking(selectors.booking_get_for_citizen(user=citizen, pk=booking_id))


@router.get("/{int:hall_id}", response=HallOut, auth=None, summary="One hall")
def hall_detail(request: HttpRequest, hall_id: int) -> dict[str, Any]:
    return _hall(selectors.hall_get_public(pk=hall_id))


@router.get("/{int:hall_id}/slots", response=list[SlotOut], auth=None, summary="Free slots")
def slots(
    request: HttpRequest, hall_id: int, implementation: int, date: dt.date | None = None
) -> list[dict[str, Any]]:
    hall = selectors.hall_get_public(pk=hall_id)
    impl = selectors.implementation_get_at_hall(hall=hall, pk=implementation)
    return [_slot(s) for s in selectors.slots_bookable(hall=hall, implementation=impl, day=date)]
