"""Staff pages: the department's rectification orders, one order (callback, result,
appeal), the supervisors' appeal queue and decision, and the statistics of one's region."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yiwang.accounts.decorators import staff_required
from yiwang.reviews import selectors, services
from yiwang.reviews.forms import error_map
from yiwang.reviews.models import CallbackMethod, OrderStatus
from yiwang.reviews.permissions import can_decide_appeals, can_work_orders

PAGE_SIZE = 25
FILTER_LABELS = {
    "open": gettext_lazy("Not yet closed"),
    "overdue": gettext_lazy("Overdue"),
    "resolved": gettext_lazy("Rectified"),
    "appealed": gettext_lazy("Closed after appeal"),
    "all": gettext_lazy("All"),
}


@staff_required
def staff_index(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    status = status if status in selectors.ORDER_FILTERS else "open"
    sort = request.GET.get("sort", "deadline")
    sort = sort if sort in selectors.ORDER_SORTS else "deadline"
    orders = selectors.orders_for_staff(user=request.user, status=status, sort=sort)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/staff/index.html", {
        "page": page, "status": status, "sort": sort, "filters": FILTER_LABELS.items(),
        "query": f"status={status}&sort={sort}&",
        "can_decide": can_decide_appeals(request.user),
    })  # fmt: skip


def _order_context(request: HttpRequest, pk: int, **extra: Any) -> dict[str, Any]:
    order = selectors.order_get_for_staff(user=request.user, pk=pk)
    appeal = getattr(order, "appeal", None) if hasattr(order, "appeal") else None
    return {
        "order": order, "rating": order.rating, "appeal": appeal,
        "callbacks": order.callbacks.select_related("by"), "feedbacks": order.feedbacks.all(),
        "reviewer": selectors.reviewer_masked(order), "methods": CallbackMethod.choices,
        "can_work": can_work_orders(request.user) and order.is_open,
        "can_decide": can_decide_appeals(request.user),
        "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "errors": {}, "values": {}, "form": "", **extra,
    }  # fmt: skip


@staff_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "reviews/staff/order.html", _order_context(request, pk))


def _parse_when(value: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


ORDER_ACTIONS = ("contact", "callback", "result", "appeal")


@staff_required
@require_POST
def order_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ORDER_ACTIONS:
        raise Http404
    order = selectors.order_get_for_staff(user=request.user, pk=pk)
    post = request.POST
    values = {k: post.get(k, "").strip() for k in post if k != "csrfmiddlewaretoken"}
    try:
        if action == "contact":
            contact = selectors.reviewer_contact_for_staff(
                user=request.user, order=order, purpose=values.get("purpose", "")
            )
            context = _order_context(request, pk, contact=contact)
            return render(request, "reviews/staff/order.html", context)
        if action == "callback":
            services.callback_record(
                order=order, by=request.user, called_at=_parse_when(values.get("called_at", "")),
                method=values.get("method", ""), reviewer_said=values.get("reviewer_said", ""),
            )  # fmt: skip
            messages.success(request, _("Callback recorded."))
        elif action == "result":
            services.order_result_record(
                order=order, by=request.user, result=values.get("result", ""),
                public_summary=values.get("public_summary", ""),
            )  # fmt: skip
            messages.success(request, _("Result recorded. The reviewer has been told."))
        else:
            services.appeal_file(
                order=order, by=request.user, reason=values.get("reason", ""),
                evidence=values.get("evidence", ""),
            )  # fmt: skip
            messages.success(request, _("Appeal filed. A supervisor will decide."))
    except ValidationError as exc:
        context = _order_context(request, pk, errors=error_map(exc), values=values, form=action)
        return render(request, "reviews/staff/order.html", context, status=422)
    return redirect("reviews:staff_order", pk=pk)


@staff_required
def appeals(request: HttpRequest) -> HttpResponse:
    pending = request.GET.get("view", "pending") == "pending"
    found = selectors.appeals_for_supervisor(user=request.user, pending=pending)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    view = "pending" if pending else "all"
    return render(request, "reviews/staff/appeals.html", {
        "page": page, "view": view, "query": f"view={view}&", "can_decide": True,
    })  # fmt: skip


@staff_required
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_get_for_supervisor(user=request.user, pk=pk)
    errors: dict[str, str] = {}
    values = {"decision": "", "note": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        try:
            if values["decision"] not in {"upheld", "dismissed"}:
                raise ValidationError(
                    {
                        "decision": ValidationError(
                            _("Choose whether to uphold or dismiss the appeal."), code="required"
                        )
                    }
                )
            services.appeal_decide(
                appeal=appeal, by=request.user, upheld=values["decision"] == "upheld",
                note=values["note"],
            )  # fmt: skip
            messages.success(request, _("Decision recorded. Both sides have been told."))
            return redirect("reviews:staff_appeal", pk=pk)
        except ValidationError as exc:
            errors = error_map(exc)
    return render(request, "reviews/staff/appeal.html", {
        "appeal": appeal, "order": appeal.order, "rating": appeal.order.rating,
        "errors": errors, "values": values,
    }, status=422 if errors else 200)  # fmt: skip


@staff_required
def statistics(request: HttpRequest) -> HttpResponse:
    region = selectors.staff_statistics_region(user=request.user)
    tables = [
        (d, label, selectors.satisfaction_by(dimension=d, region_code=region)[:100])
        for d, label in DIMENSION_LABELS.items()
    ]
    return render(request, "reviews/staff/statistics.html", {
        "tables": tables, "region": region, "open_orders": selectors.orders_for_staff(
            user=request.user, status=OrderStatus.OPEN).count(),
        "can_decide": can_decide_appeals(request.user),
    })  # fmt: skip


DIMENSION_LABELS = {
    "item": gettext_lazy("By service item"),
    "department": gettext_lazy("By department"),
    "hall": gettext_lazy("By service hall"),
    "region": gettext_lazy("By region"),
}
