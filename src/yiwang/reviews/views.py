"""Citizen and public pages: the rating fragment on a service's page, the rating form, my
ratings, the public 差评整改公示 and the public satisfaction summary."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.accounts.decorators import citizen_required
from yiwang.reviews import selectors, services
from yiwang.reviews.forms import error_map
from yiwang.reviews.models import INDICATORS, Level

PAGE_SIZE = 20


def subject_fragment(request: HttpRequest, kind: str, ref: str) -> HttpResponse:
    """htmx fragment: "Rate this service" (and until when), or the citizen's rating with
    the rectification status and result. Empty for anyone but the service's owner."""
    if not getattr(request.user, "is_citizen", False):
        return HttpResponse("")
    eligibility = services.rating_eligibility(rater=request.user, kind=kind, ref=ref)
    return render(request, "reviews/_subject.html", {"e": eligibility, "kind": kind, "ref": ref})


@citizen_required
def rate(request: HttpRequest, kind: str, ref: str) -> HttpResponse:
    eligibility = services.rating_eligibility(rater=request.user, kind=kind, ref=ref)
    errors: dict[str, str] = {}
    values = {"level": "", "comment": "", "named": "1", "scores": {}}
    if request.method == "POST" and eligibility.can_rate:
        post = request.POST
        scores = {k[6:]: v for k, v in post.items() if k.startswith("score_")}
        values = {"level": post.get("level", ""), "comment": post.get("comment", ""),
                  "named": post.get("named", "1"), "scores": scores}  # fmt: skip
        try:
            services.rating_submit(
                rater=request.user, kind=kind, ref=ref, level=values["level"], scores=scores,
                comment=str(values["comment"]), is_named=values["named"] != "0",
            )  # fmt: skip
            return redirect("reviews:thanks", kind=kind, ref=ref)
        except ValidationError as exc:
            errors = error_map(exc)
    return render(request, "reviews/rate.html", {
        "e": eligibility, "kind": kind, "ref": ref, "errors": errors, "values": values,
        "levels": Level.choices, "indicators": INDICATORS[eligibility.subject.channel],
        "window_days": getattr(settings, "REVIEWS_WINDOW_DAYS", 15),
    }, status=422 if errors else 200)  # fmt: skip


@citizen_required
def thanks(request: HttpRequest, kind: str, ref: str) -> HttpResponse:
    eligibility = services.rating_eligibility(rater=request.user, kind=kind, ref=ref)
    if eligibility.rating is None:
        return redirect("reviews:rate", kind=kind, ref=ref)
    return render(request, "reviews/thanks.html", {"e": eligibility, "rating": eligibility.rating})


@citizen_required
def my_ratings(request: HttpRequest) -> HttpResponse:
    ratings = selectors.ratings_for_citizen(user=request.user)
    page = Paginator(ratings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/my.html", {"page": page, "query": ""})


@citizen_required
def verdict(request: HttpRequest, pk: int) -> HttpResponse:
    """回访评价: is the reviewer satisfied with the recorded result? Once a round."""
    order = selectors.order_get_for_reviewer(user=request.user, pk=pk)
    errors: dict[str, str] = {}
    values = {"satisfied": "", "comment": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        choice = {"yes": True, "no": False}.get(values["satisfied"])
        try:
            services.result_feedback_give(
                order=order, rater=request.user, satisfied=choice, comment=values["comment"]
            )
            messages.success(request, _("Thank you. The department has been told."))
            return redirect("reviews:my")
        except ValidationError as exc:
            errors = error_map(exc)
    context = {"order": order, "rating": order.rating, "errors": errors, "values": values}
    return render(request, "reviews/verdict.html", context, status=422 if errors else 200)


def rectifications(request: HttpRequest) -> HttpResponse:
    """差评整改公示: what departments put right after bad ratings (no personal data)."""
    orders = selectors.rectifications_public()
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/rectifications.html", {"page": page, "query": ""})


MSG_REGION_UNKNOWN = gettext_lazy(
    "There is no region with the code “%(code)s”. The figures below are for the whole province."
)


def satisfaction(request: HttpRequest) -> HttpResponse:
    """满意度: figures by item, department, hall and the regions one level below the chosen
    region (by default the whole province). Works as a plain GET form without JavaScript."""
    asked = request.GET.get("region", "").strip()[:20]
    if "region__region" in request.GET:  # the picker's own selects: keep the address clean
        return redirect(f"{request.path}?{urlencode({'region': asked})}" if asked else request.path)
    path, problem = selectors.satisfaction_region_path(code=asked)
    region = path[-1].code if path else ""
    tables = [
        (
            dimension,
            _label(dimension),
            selectors.satisfaction_by(dimension=dimension, region_code=region)[:50],
        )
        for dimension in selectors.DIMENSIONS
    ]
    return render(request, "reviews/satisfaction.html", {
        "tables": tables, "region": region, "path": path,
        "problem": MSG_REGION_UNKNOWN % {"code": asked} if problem else "",
    }, status=404 if problem else 200)  # fmt: skip


def _label(dimension: str) -> str:
    return {
        "item": _("By service item"), "department": _("By department"),
        "hall": _("By service hall"), "region": _("By region"),
    }[dimension]  # fmt: skip
