"""Staff pages: parcels to prepare and ship, one parcel (ship by hand or book the carrier,
record where it is, resend a returned result, reveal the address for a stated purpose) and
PDF labels."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.accounts.decorators import staff_required
from yiwang.delivery import labels, selectors, services
from yiwang.delivery.carriers import carrier_get, manual_carrier_choices
from yiwang.delivery.forms import errors_of
from yiwang.delivery.models import (
    STATUS_RANK,
    TRACKED_STATUSES,
    DeliveryStatus,
    Direction,
    EventSource,
)


@staff_required
def staff_list(request: HttpRequest) -> HttpResponse:
    status, direction = request.GET.get("status", ""), request.GET.get("direction", "")
    orders = selectors.orders_for_staff(user=request.user, status=status, direction=direction)
    page = Paginator(orders, 25).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in {"status": status, "direction": direction}.items() if v})
    return render(request, "delivery/staff/list.html", {
        "page": page, "status": status, "direction": direction,
        "query": f"{query}&" if query else "",
        "statuses": DeliveryStatus.choices, "directions": Direction.choices,
    })  # fmt: skip


def _order_page(request: HttpRequest, pk: int, *, errors: dict[str, str] | None = None,
                address: object = None, status: int = 200) -> HttpResponse:  # fmt: skip
    order = selectors.order_get_for_staff(user=request.user, pk=pk)
    return render(request, "delivery/staff/order.html", {
        "order": order, "events": order.events.select_related("actor"), "address": address,
        "errors": errors or {}, "values": request.POST if request.method == "POST" else {},
        "carriers": manual_carrier_choices(), "can_book": carrier_get().can_book,
        "resend": selectors.order_resend_info(order=order),
        "statuses": [(s, DeliveryStatus(s).label) for s in TRACKED_STATUSES],
        "next_status": next(
            (s for s in TRACKED_STATUSES
             if STATUS_RANK[DeliveryStatus(s)] > STATUS_RANK[DeliveryStatus(order.status)]), "",
        ),
    }, status=status)  # fmt: skip


@staff_required
def staff_order(request: HttpRequest, pk: int) -> HttpResponse:
    """The parcel; POST with a purpose shows the full address (an audited read)."""
    if request.method != "POST":
        return _order_page(request, pk)
    order = selectors.order_get_for_staff(user=request.user, pk=pk)
    try:
        address = selectors.order_address_for_staff(
            user=request.user, order=order, purpose=request.POST.get("purpose", "")
        )
    except ValidationError as exc:
        return _order_page(request, pk, errors={"purpose": exc.messages[0]}, status=422)
    return _order_page(request, pk, address=address)


@staff_required
@require_POST
def staff_ship(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get_for_staff(user=request.user, pk=pk)
    try:
        order = services.order_ship(
            order=order, by=request.user, book=request.POST.get("book") == "1",
            carrier=request.POST.get("carrier", ""),
            tracking_number=request.POST.get("tracking_number", ""),
        )  # fmt: skip
    except ValidationError as exc:
        return _order_page(request, pk, errors=errors_of(exc), status=422)
    messages.success(
        request, _("Shipped with tracking number %(number)s.") % {"number": order.tracking_number}
    )
    return redirect("delivery:staff_order", pk=pk)


@staff_required
@require_POST
def staff_status(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get_for_staff(user=request.user, pk=pk)
    try:
        _order, changed = services.order_status_record(
            order=order, status=request.POST.get("status", ""), source=EventSource.CLERK,
            by=request.user, location=request.POST.get("location", "").strip(),
            note=request.POST.get("note", "").strip(),
        )  # fmt: skip
    except ValidationError as exc:
        return _order_page(request, pk, errors=errors_of(exc), status=422)
    if changed:
        messages.success(request, _("The status is recorded."))
    else:
        messages.info(request, _("The parcel already has this status; nothing changed."))
    return redirect("delivery:staff_order", pk=pk)


@staff_required
@require_POST
def staff_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """重新寄送 a returned result to the applicant's current choice."""
    order = selectors.order_get_for_staff(user=request.user, pk=pk)
    try:
        new = services.order_resend(order=order, by=request.user)
    except ValidationError as exc:
        return _order_page(request, pk, errors=errors_of(exc), status=422)
    messages.success(request, _("A new parcel %(ref)s is ready to ship.") % {"ref": new.reference})
    return redirect("delivery:staff_order", pk=new.pk)


@staff_required
@require_POST
def staff_labels(request: HttpRequest) -> HttpResponse:
    pks = [int(v) for v in request.POST.getlist("order") if v.isdigit()]
    if not pks:
        messages.error(request, _("Tick the parcels whose labels you want to print."))
        return redirect("delivery:staff_list")
    pdf = labels.labels_pdf(user=request.user, pks=pks)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="labels.pdf"'
    return response
