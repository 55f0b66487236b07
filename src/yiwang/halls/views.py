"""Citizen pages: halls, the nearest-hall fragment, booking (one question per page), my
bookings, and the public queue board."""

from __future__ import annotations

import datetime as dt

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.accounts.decorators import citizen_required
from yiwang.halls import selectors, services
from yiwang.halls.models import Booking, BookingStatus, Hall, TimeSlot
from yiwang.regions.models import Region


def index(request: HttpRequest) -> HttpResponse:
    region = request.GET.get("region", "")
    region = region if region.isdigit() and 2 <= len(region) <= 12 else ""
    return render(request, "halls/index.html", {
        "halls": selectors.halls_public(region_code=region or None),
        "regions": _hall_regions(), "region": region,
    })  # fmt: skip


def _hall_regions() -> list[Region]:
    """Regions that hold a hall, and their ancestors, for the region choice."""
    codes: set[str] = set()
    for code in selectors.halls_public().values_list("region_id", flat=True):
        codes.update(code[:n] for n in (2, 4, 6, 9, 12) if n <= len(code))
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    hall = selectors.hall_get_public(pk=pk)
    return render(request, "halls/detail.html", {
        "hall": hall, "windows": selectors.hall_windows(hall=hall),
        "implementations": selectors.hall_implementations(hall=hall),
    })  # fmt: skip


def nearest(request: HttpRequest) -> HttpResponse:
    """htmx fragment for a guide page: the nearest halls handling ``implementation``."""
    implementation_id = request.GET.get("implementation", "")
    if not implementation_id.isdigit():
        return HttpResponse(status=400)
    implementation = selectors.implementation_bookable(pk=int(implementation_id))
    error, found = "", None
    get = request.GET
    if get.get("lat") or get.get("region"):
        try:
            found = selectors.hall_nearest_lookup(
                implementation=implementation, latitude=get.get("lat"),
                longitude=get.get("lon"), region_code=get.get("region"),
            )  # fmt: skip
        except ValidationError as exc:
            error = exc.messages[0]
    return render(request, "halls/_nearest.html", {
        "implementation": implementation, "found": found, "error": error,
        "regions": _hall_regions(), "region": get.get("region", ""),
    })  # fmt: skip


def _parse_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


@citizen_required
def book(request: HttpRequest, pk: int, implementation: int) -> HttpResponse:
    """Step 1 (no ``date``): which day. Step 2: which time, posted to book."""
    hall = selectors.hall_get_public(pk=pk)
    impl = selectors.implementation_get_at_hall(hall=hall, pk=implementation)
    return _choose(request, hall=hall, implementation=impl, booking=None)


@citizen_required
def reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_get_for_citizen(user=request.user, pk=pk)
    if booking.status != BookingStatus.BOOKED:
        messages.error(request, _("This appointment can no longer be changed."))
        return redirect("halls:my")
    return _choose(
        request, hall=booking.hall, implementation=booking.implementation, booking=booking
    )


def _choose(
    request: HttpRequest, *, hall: Hall, implementation: object, booking: Booking | None
) -> HttpResponse:
    context: dict[str, object] = {
        "hall": hall,
        "implementation": implementation,
        "booking": booking,
    }
    day = _parse_day(request.POST.get("date") or request.GET.get("date"))
    if day is None:
        context["days"] = selectors.slot_days(hall=hall, implementation=implementation)  # type: ignore[arg-type]
        context["error"] = _("Choose a day.") if "date" in request.GET else ""
        return render(request, "halls/book_day.html", context)
    slots = selectors.slots_bookable(hall=hall, implementation=implementation, day=day)  # type: ignore[arg-type]
    context.update({"day": day, "slots": slots, "error": ""})
    if request.method == "POST":
        slot_id = request.POST.get("slot", "")
        slot = (
            TimeSlot.objects.select_related("template").filter(pk=slot_id).first()
            if slot_id.isdigit()
            else None
        )
        if slot is None:
            context["error"] = _("Choose a time.")
        else:
            try:
                if booking is None:
                    services.booking_create(
                        citizen=request.user, hall=hall, implementation=implementation,  # type: ignore[arg-type]
                        slot=slot,
                    )  # fmt: skip
                    messages.success(request, _("Your appointment is booked."))
                else:
                    services.booking_reschedule(booking=booking, citizen=request.user, slot=slot)
                    messages.success(request, _("Your appointment has been moved."))
                return redirect("halls:my")
            except ValidationError as exc:
                context["error"] = exc.messages[0]
    return render(request, "halls/book_slot.html", context, status=422 if context["error"] else 200)


def _qr_svg(token: str) -> str:
    # segno's SVG is generated from our own token only, so marking it safe is sound.
    svg = segno.make(token, error="m").svg_inline(scale=4, title=_("Booking code"))
    return mark_safe(svg)  # noqa: S308


@citizen_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    bookings = list(selectors.bookings_for_citizen(user=request.user)[:50])
    qr = {b.pk: _qr_svg(b.qr_token) for b in bookings if b.status == BookingStatus.BOOKED}
    return render(request, "halls/my.html", {
        "bookings": [(b, qr.get(b.pk)) for b in bookings],
        "blocked_until": services.no_show_blocked_until(citizen=request.user),
    })  # fmt: skip


@citizen_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_get_for_citizen(user=request.user, pk=pk)
    try:
        services.booking_cancel(booking=booking, citizen=request.user)
        messages.success(request, _("Your appointment is cancelled."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("halls:my")


def board(request: HttpRequest, pk: int) -> HttpResponse:
    hall = selectors.hall_get_public(pk=pk)
    template = "halls/_board.html" if request.headers.get("HX-Request") else "halls/board.html"
    return render(request, template, {"hall": hall, "board": selectors.queue_board(hall=hall)})
