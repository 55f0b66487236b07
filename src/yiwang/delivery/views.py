"""Citizen pages: the delivery panel on an application (htmx fragment), choosing or changing
how to receive the result, "my deliveries" and the receipt confirmation (签收确认)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.accounts.decorators import citizen_required
from yiwang.delivery import selectors, services
from yiwang.delivery.forms import choice_from_post, errors_of, form_values


def application_fragment(request: HttpRequest, number: str) -> HttpResponse:
    """The delivery panel the application page loads with htmx."""
    data = selectors.application_delivery_for_citizen(user=request.user, number=number)
    if data.choice is None and not data.orders and not data.can_choose:
        return HttpResponse("")
    return render(request, "delivery/_application.html", {
        "d": data, "values": form_values(None, data), "errors": {},
    })  # fmt: skip


@citizen_required
def choose(request: HttpRequest, number: str) -> HttpResponse:
    data = selectors.application_delivery_for_citizen(user=request.user, number=number)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            services.delivery_choice_set(
                user=request.user, application=data.application, **choice_from_post(request.POST)
            )
            messages.success(request, _("Your choice is saved."))
            return redirect("applications:detail", number=number)
        except ValidationError as exc:
            errors = errors_of(exc)
    values = form_values(request.POST if request.method == "POST" else None, data)
    return render(request, "delivery/choose.html", {
        "d": data, "values": values, "errors": errors,
    }, status=422 if errors else 200)  # fmt: skip


@citizen_required
@require_POST
def confirm_received(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get_for_citizen(user=request.user, pk=pk)
    try:
        services.order_confirm_received(user=request.user, order=order)
        messages.success(request, _("Thank you: you confirmed that you received it."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("applications:detail", number=order.application.number)


@citizen_required
def my_deliveries(request: HttpRequest) -> HttpResponse:
    return render(request, "delivery/my.html", {
        "orders": selectors.orders_for_citizen(user=request.user)[:100],
        "addresses": selectors.addresses_for_citizen(user=request.user).select_related(
            "region__parent__parent__parent"
        ),
    })  # fmt: skip


@citizen_required
@require_POST
def address_remove(request: HttpRequest, pk: int) -> HttpResponse:
    services.address_remove(owner=request.user, address_id=pk)
    messages.success(request, _("The address is removed from your list."))
    return redirect(reverse("delivery:my"))
