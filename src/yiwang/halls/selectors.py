"""Reads: public hall pages, bookable slots, "my bookings", the nearest hall, the queue."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Avg, F, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.catalog.models import Implementation
from yiwang.halls.models import (
    Booking,
    BookingStatus,
    Hall,
    QueueTicket,
    TicketStatus,
    TimeSlot,
    Window,
)
from yiwang.halls.permissions import halls_for_staff
from yiwang.regions.models import Region

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


def halls_public(*, region_code: str | None = None) -> QuerySet[Hall]:
    halls = Hall.objects.filter(is_active=True).select_related("region")
    if region_code:
        halls = halls.filter(region__code__startswith=region_code)
    return halls


def hall_get_public(*, pk: int) -> Hall:
    hall = halls_public().filter(pk=pk).first()
    if hall is None:
        raise Http404
    return hall


def hall_windows(*, hall: Hall) -> QuerySet[Window]:
    return hall.windows.prefetch_related("implementations__item__published_version")


def hall_implementations(*, hall: Hall) -> QuerySet[Implementation]:
    """Published implementations some window of ``hall`` handles."""
    return (
        Implementation.objects.filter(
            pk__in=Window.objects.filter(hall=hall).values("implementations"),
            published_version__isnull=False,
            item__published_version__isnull=False,
        )
        .select_related("item__published_version", "department")
        .order_by("item__code")
    )


def implementation_get_at_hall(*, hall: Hall, pk: int) -> Implementation:
    implementation = hall_implementations(hall=hall).filter(pk=pk).first()
    if implementation is None:
        raise Http404
    return implementation


def slots_bookable(
    *, hall: Hall, implementation: Implementation, day: dt.date | None = None
) -> QuerySet[TimeSlot]:
    """Future slots with a place left, at ``hall`` for ``implementation`` (on ``day``)."""
    slots = TimeSlot.objects.filter(
        hall=hall,
        template__is_active=True,
        template__implementations=implementation,
        starts_at__gt=timezone.now(),
        booked__lt=F("capacity"),
    )
    if day is not None:
        slots = slots.filter(date=day)
    return slots.order_by("starts_at")


def slot_days(*, hall: Hall, implementation: Implementation) -> list[dt.date]:
    qs = slots_bookable(hall=hall, implementation=implementation)
    return sorted(set(qs.values_list("date", flat=True)))


def bookings_for_citizen(*, user: Any) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(citizen_id=getattr(user, "pk", None))
        .select_related("hall", "slot", "implementation__item__published_version")
        .order_by("-slot__starts_at", "-pk")
    )


def booking_get_for_citizen(*, user: Any, pk: int) -> Booking:
    booking = bookings_for_citizen(user=user).filter(pk=pk).first()
    if booking is None:
        raise Http404
    return booking


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of the Earth's mean radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class NearHall:
    hall: Hall
    distance_km: float


def region_centre(*, region: Region) -> tuple[float, float] | None:
    """Approximate centre of a region without a map service: the mean position of the
    active halls in its subtree, else of its parent's, and so on up. None if no hall."""
    current: Region | None = region
    while current is not None:
        mean = Hall.objects.filter(is_active=True, region__code__startswith=current.code).aggregate(
            lat=Avg("latitude"), lon=Avg("longitude")
        )
        if mean["lat"] is not None and mean["lon"] is not None:
            return float(mean["lat"]), float(mean["lon"])
        current = current.parent
    return None


def hall_nearest_for_implementation(
    *, implementation: Implementation, latitude: float, longitude: float, limit: int = 3
) -> list[NearHall]:
    """The active halls with a window handling ``implementation``, nearest first."""
    halls = Hall.objects.filter(is_active=True, windows__implementations=implementation).distinct()
    near = [
        NearHall(
            hall, haversine_km(latitude, longitude, float(hall.latitude), float(hall.longitude))
        )
        for hall in halls
    ]
    near.sort(key=lambda n: (n.distance_km, n.hall.pk))
    return near[:limit]


def halls_serving(*, implementation: Implementation) -> QuerySet[Hall]:
    return halls_public().filter(windows__implementations=implementation).distinct()


@dataclass(frozen=True)
class Board:
    called: list[QueueTicket]
    waiting: int


def queue_board(*, hall: Hall) -> Board:
    """What the hall's display shows: numbers called today (newest first), count waiting."""
    today = timezone.localdate()
    tickets = QueueTicket.objects.filter(hall=hall, date=today)
    called = list(
        tickets.filter(status=TicketStatus.CALLED)
        .select_related("window")
        .order_by("-called_at", "-pk")[:8]
    )
    return Board(called=called, waiting=tickets.filter(status=TicketStatus.WAITING).count())


# --- staff ------------------------------------------------------------------------------


def hall_get_for_staff(*, user: Any, pk: int) -> Hall:
    hall = halls_for_staff(user=user).filter(pk=pk).first()
    if hall is None:
        raise Http404
    return hall


def window_get_for_staff(*, user: Any, pk: int) -> Window:
    window = Window.objects.filter(pk=pk, hall__in=halls_for_staff(user=user)).first()
    if window is None:
        raise Http404
    return window


def ticket_get_for_staff(*, user: Any, pk: int) -> QueueTicket:
    ticket = QueueTicket.objects.filter(pk=pk, hall__in=halls_for_staff(user=user)).first()
    if ticket is None:
        raise Http404
    return ticket


def bookings_today_for_staff(*, user: Any, hall: Hall) -> QuerySet[Booking]:
    """Today's bookings at a hall in the staff member's scope. Citizens appear by booking
    reference and masked name only, so listing them is not a personal-data read."""
    hall_get_for_staff(user=user, pk=hall.pk)
    return (
        Booking.objects.filter(hall=hall, slot__date=timezone.localdate())
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("slot", "implementation__item__published_version", "citizen")
        .order_by("slot__starts_at", "pk")
    )


def window_queue(*, window: Window) -> dict[str, Any]:
    today = timezone.localdate()
    tickets = QueueTicket.objects.filter(hall=window.hall, date=today)
    current = tickets.filter(window=window, status=TicketStatus.CALLED).first()
    waiting = tickets.filter(status=TicketStatus.WAITING).filter(
        implementation__in=window.implementations.all()
    ) | tickets.filter(status=TicketStatus.WAITING, transferred_to=window)
    return {
        "current": current,
        "waiting": waiting.distinct().count(),
        "others": window.hall.windows.exclude(pk=window.pk),
    }


MSG_NEAREST_NEEDS = _("Share your location or choose a region.")
MSG_COORDINATES = _("The location is not valid: latitude -90 to 90, longitude -180 to 180.")
MSG_REGION_UNKNOWN = _("Choose a region from the list.")


def hall_nearest_lookup(
    *,
    implementation: Implementation,
    latitude: str | float | None = None,
    longitude: str | float | None = None,
    region_code: str | None = None,
    limit: int = 3,
) -> list[NearHall]:
    """Nearest halls from a position (browser geolocation) or, failing that, from the
    approximate centre of a chosen region (see ``region_centre``)."""
    if latitude not in (None, "") and longitude not in (None, ""):
        try:
            lat, lon = float(latitude), float(longitude)
        except (TypeError, ValueError):
            raise ValidationError(MSG_COORDINATES, code="coordinates") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat + lon):
            raise ValidationError(MSG_COORDINATES, code="coordinates")
    elif region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise ValidationError(MSG_REGION_UNKNOWN, code="region_unknown")
        centre = region_centre(region=region)
        if centre is None:
            return []
        lat, lon = centre
    else:
        raise ValidationError(MSG_NEAREST_NEEDS, code="nearest_needs")
    return hall_nearest_for_implementation(
        implementation=implementation, latitude=lat, longitude=lon, limit=limit
    )


def implementation_bookable(*, pk: int) -> Implementation:
    implementation = (
        Implementation.objects.filter(
            pk=pk, published_version__isnull=False, item__published_version__isnull=False
        )
        .select_related("item__published_version")
        .first()
    )
    if implementation is None:
        raise Http404
    return implementation
