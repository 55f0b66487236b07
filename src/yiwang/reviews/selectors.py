"""Reads that depend on the reader: a citizen's ratings, a department's orders in the
reader's region, supervisors' appeals, the public 公示, and the satisfaction roll-ups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from yiwang.accounts.selectors import region_scope_q, staff_region_code
from yiwang.audit.services import personal_data_read
from yiwang.core.ids import mask_name, mask_phone
from yiwang.reviews.models import (
    BAD_LEVEL,
    SATISFIED_LEVEL,
    Appeal,
    AppealStatus,
    Level,
    OrderStatus,
    Rating,
    RectificationOrder,
)
from yiwang.reviews.permissions import can_decide_appeals, can_work_orders, order_scope_q

ORDER_SORTS = {"deadline": ("deadline", "pk"), "-deadline": ("-deadline", "-pk"),
               "opened": ("opened_at", "pk"), "-opened": ("-opened_at", "-pk")}  # fmt: skip
ORDER_FILTERS = ("open", "overdue", "resolved", "appealed", "all")


# --- citizens


def ratings_for_citizen(*, user: Any) -> QuerySet[Rating]:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    return (
        Rating.objects.filter(rater=user)
        .select_related("order__department", "department", "order__appeal")
        .prefetch_related("order__feedbacks")
        .order_by("-created_at", "-pk")
    )


def order_get_for_reviewer(*, user: Any, pk: int) -> RectificationOrder:
    """The order opened by ``user``'s own rating; Http404 for anyone else's."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    order = (
        RectificationOrder.objects.filter(pk=pk, rating__rater=user)
        .select_related("rating", "department")
        .prefetch_related("feedbacks")
        .first()
    )
    if order is None:
        raise Http404
    return order


# --- staff


def orders_for_staff(
    *, user: Any, status: str = "open", sort: str = "deadline"
) -> QuerySet[RectificationOrder]:
    orders = (
        RectificationOrder.objects.filter(order_scope_q(user=user))
        .select_related("rating", "department")
        .prefetch_related("feedbacks")
    )
    if status == "overdue":
        orders = orders.filter(status=OrderStatus.OPEN, deadline__lt=timezone.localdate())
    elif status in OrderStatus.values:
        orders = orders.filter(status=status)
    return orders.order_by(*ORDER_SORTS.get(sort, ORDER_SORTS["deadline"]))


def order_get_for_staff(*, user: Any, pk: int) -> RectificationOrder:
    """One order in the reader's scope; Http404 outside it."""
    order = (
        orders_for_staff(user=user, status="all")
        .select_related("rating__implementation", "rating__hall", "result_by")
        .filter(pk=pk)
        .first()
    )
    if order is None:
        raise Http404
    return order


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str


def reviewer_contact_for_staff(*, user: Any, order: RectificationOrder, purpose: str) -> Contact:
    """The named reviewer's name and phone for the callback (回访), audited as a personal-data
    read. Anonymous reviewers stay hidden: Http404."""
    if not can_work_orders(user):  # supervisors see figures, not people
        raise PermissionDenied
    order = order_get_for_staff(user=user, pk=order.pk)
    if not order.rating.is_named:
        raise Http404
    rater = order.rating.rater
    personal_data_read(
        actor=user, subject=rater, purpose=purpose, fields=["real_name", "phone"],
        target_type="reviews.order", target_id=order.reference,
    )  # fmt: skip
    profile = getattr(rater, "citizen", None)
    return Contact(
        name=getattr(profile, "real_name", "") or rater.display_name,
        phone=getattr(profile, "phone", "") or "",
    )


def reviewer_masked(order: RectificationOrder) -> str:
    """What the order page shows before anyone asks for the contact details."""
    if not order.rating.is_named:
        return ""
    profile = getattr(order.rating.rater, "citizen", None)
    name = mask_name(getattr(profile, "real_name", "") or "")
    phone = mask_phone(getattr(profile, "phone", "") or "")
    return " ".join(p for p in (name, phone) if p)


def appeals_for_supervisor(*, user: Any, pending: bool = True) -> QuerySet[Appeal]:
    if not can_decide_appeals(user):
        raise PermissionDenied
    appeals = Appeal.objects.filter(
        region_scope_q(user=user, field="order__region_code")
    ).select_related("order__rating", "order__department", "filed_by")
    if pending:
        appeals = appeals.filter(status=AppealStatus.PENDING)
    return appeals.order_by("filed_at", "pk")


def appeal_get_for_supervisor(*, user: Any, pk: int) -> Appeal:
    appeal = appeals_for_supervisor(user=user, pending=False).filter(pk=pk).first()
    if appeal is None:
        raise Http404
    return appeal


# --- public


def rectifications_public(*, region_code: str = "") -> QuerySet[RectificationOrder]:
    """差评整改公示: resolved orders; the page shows no personal data."""
    orders = RectificationOrder.objects.filter(status=OrderStatus.RESOLVED)
    if region_code:
        orders = orders.filter(region_code__startswith=region_code)
    return orders.select_related("rating", "department").order_by("-result_at", "-pk")


# --- roll-ups (the operations centre reads these)

DIMENSIONS = ("item", "department", "hall", "region")


@dataclass(frozen=True)
class SatisfactionRow:
    key: str
    name_zh: str
    name_en: str
    total: int
    counts: dict[int, int]  # level → number of ratings
    satisfied_rate: float | None  # 满意率 (非常满意+满意+基本满意)/all
    average: float | None
    bad: int
    rectified: int
    rectification_rate: float | None  # resolved bad ratings / bad ratings

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh or self.key

    def count_rows(self) -> list[tuple[int, int]]:
        return [(level, self.counts.get(level, 0)) for level in sorted(Level.values, reverse=True)]


def _group(dimension: str, region_length: int) -> dict[str, Any]:
    if dimension == "item":
        return {"key": F("implementation__item__code"),
                "name_zh": F("implementation__item__published_version__name_zh"),
                "name_en": F("implementation__item__published_version__name_en")}  # fmt: skip
    if dimension == "department":
        return {"key": F("department_id"), "name_zh": F("department__name"),
                "name_en": F("department__name_en")}  # fmt: skip
    if dimension == "hall":
        return {"key": F("hall_id"), "name_zh": F("hall__name_zh"), "name_en": F("hall__name_en")}
    if dimension == "region":
        return {"key": Substr("region_code", 1, region_length)}
    raise ValueError(f"unknown dimension {dimension!r}")


def next_level_length(region_code: str) -> int:
    """How many digits name the level below ``region_code`` (44 → 4401 → 440106 → …)."""
    for length in (4, 6, 9, 12):
        if length > len(region_code):
            return length
    return 12


def satisfaction_by(
    *, dimension: str, region_code: str = "", since: Any = None, region_length: int | None = None
) -> list[SatisfactionRow]:
    """Satisfaction grouped by item, department, hall or region, in one aggregate query, for
    ratings under ``region_code`` (a prefix). Regions group by the first ``region_length``
    digits, by default the level below ``region_code``. Ratings set aside by an upheld appeal
    are left out."""
    if region_length is None:
        region_length = next_level_length(region_code)
    ratings = Rating.objects.filter(excluded=False)
    if region_code:
        ratings = ratings.filter(region_code__startswith=region_code)
    if since is not None:
        ratings = ratings.filter(created_at__gte=since)
    if dimension == "hall":
        ratings = ratings.filter(hall__isnull=False)
    if dimension == "item":
        ratings = ratings.filter(implementation__isnull=False)
    group = _group(dimension, region_length)
    per_level = {f"n{level}": Count("pk", filter=Q(level=level)) for level in Level.values}
    rows = (
        ratings.annotate(**group)
        .values(*group)
        .annotate(
            total=Count("pk"),
            satisfied=Count("pk", filter=Q(level__gte=SATISFIED_LEVEL)),
            average=Avg("level"),
            bad=Count("pk", filter=Q(level__lte=BAD_LEVEL)),
            rectified=Count("pk", filter=Q(order__status=OrderStatus.RESOLVED)),
            **per_level,
        )
        .order_by("-total", "key")
    )
    names = _region_names([r["key"] for r in rows]) if dimension == "region" else {}
    return [_row(r, names) for r in rows]


def _region_names(codes: list[str]) -> dict[str, tuple[str, str]]:
    from yiwang.regions.models import Region

    found = Region.objects.filter(code__in=codes)
    return {r.code: (r.name, getattr(r, "name_en", "") or "") for r in found}


def _row(r: dict[str, Any], names: dict[str, tuple[str, str]]) -> SatisfactionRow:
    total, bad = r["total"], r["bad"]
    key = str(r["key"])
    zh, en = names.get(key, (r.get("name_zh") or "", r.get("name_en") or ""))
    return SatisfactionRow(
        key=key, name_zh=zh or "", name_en=en or "", total=total,
        counts={level: r[f"n{level}"] for level in Level.values},
        satisfied_rate=round(r["satisfied"] / total, 4) if total else None,
        average=round(float(r["average"]), 2) if r["average"] is not None else None,
        bad=bad, rectified=r["rectified"],
        rectification_rate=round(r["rectified"] / bad, 4) if bad else None,
    )  # fmt: skip


def satisfaction_region_path(*, code: str) -> tuple[list[Any], bool]:
    """The regions from the province down to ``code`` for the public figures, and whether
    ``code`` was refused (malformed or not in the tree). An empty code, or a refused one,
    means the whole province: the only top-level region when there is one, else all."""
    from yiwang.regions.selectors import region_children, region_path

    if code:
        try:
            return region_path(code=code), False
        except (ValidationError, Http404):
            refused = True
    else:
        refused = False
    provinces = list(region_children(code="")[:2])
    return (provinces[:1] if len(provinces) == 1 else []), refused


def staff_statistics_region(*, user: Any) -> str:
    """The region a staff member's statistics page covers: their own subtree."""
    code = staff_region_code(user)
    if code is None:
        raise PermissionDenied
    return code
