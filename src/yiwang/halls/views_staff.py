"""Staff pages: the halls in one's region, the check-in desk with today's bookings, and a
window's page (call next, served, transfer)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.accounts.decorators import staff_required
from yiwang.core.ids import mask_name
from yiwang.halls import selectors, services
from yiwang.halls.permissions import halls_for_staff


@staff_required
def staff_index(request: HttpRequest) -> HttpResponse:
    halls = halls_for_staff(user=request.user).prefetch_related("windows")
    return render(request, "halls/staff/index.html", {"halls": halls})


@staff_required
def staff_hall(request: HttpRequest, pk: int) -> HttpResponse:
    """Check-in desk: scan a booking code or enter an ID number; today's bookings below."""
    hall = selectors.hall_get_for_staff(user=request.user, pk=pk)
    error, values = "", {"qr_token": "", "id_number": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        try:
            ticket = services.booking_check_in(hall=hall, by=request.user, **values)
            messages.success(
                request,
                _("Checked in. Queue number %(number)s.") % {"number": ticket.display_number},
            )
            return redirect("halls:staff_hall", pk=hall.pk)
        except ValidationError as exc:
            error = exc.messages[0]
    bookings = selectors.bookings_today_for_staff(user=request.user, hall=hall)
    rows = [
        (b, mask_name(getattr(getattr(b.citizen, "citizen", None), "real_name", "") or ""))
        for b in bookings
    ]
    return render(request, "halls/staff/hall.html", {
        "hall": hall, "rows": rows, "error": error, "values": values,
        "windows": hall.windows.all(),
    }, status=422 if error else 200)  # fmt: skip


@staff_required
def staff_window(request: HttpRequest, pk: int) -> HttpResponse:
    window = selectors.window_get_for_staff(user=request.user, pk=pk)
    return render(request, "halls/staff/window.html", {
        "window": window, "hall": window.hall, **selectors.window_queue(window=window),
    })  # fmt: skip


@staff_required
@require_POST
def staff_window_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    window = selectors.window_get_for_staff(user=request.user, pk=pk)
    if action not in {"call", "served", "transfer"}:
        raise Http404
    try:
        if action == "call":
            ticket = services.queue_call_next(window=window, by=request.user)
            messages.success(request, _("Called %(number)s.") % {"number": ticket.display_number})
        else:
            ticket = selectors.ticket_get_for_staff(
                user=request.user, pk=int(request.POST.get("ticket", "0") or 0)
            )
            if action == "served":
                services.queue_mark_served(ticket=ticket, by=request.user)
                messages.success(
                    request, _("%(number)s served.") % {"number": ticket.display_number}
                )
            else:
                to = selectors.window_get_for_staff(
                    user=request.user, pk=int(request.POST.get("to", "0") or 0)
                )
                services.queue_transfer(ticket=ticket, to_window=to, by=request.user)
                messages.success(
                    request,
                    _("%(number)s sent to window %(window)s.")
                    % {"number": ticket.display_number, "window": to.number},
                )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("halls:staff_window", pk=window.pk)
