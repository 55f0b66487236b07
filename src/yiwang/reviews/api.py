"""``/api/v1/reviews``: rate a finished service and read one's ratings (citizens); the
department's rectification orders, callbacks, results and appeals, supervisors' decisions
(staff with a TOTP-verified session); satisfaction roll-ups (public, or one's region)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from yiwang.reviews import selectors, services
from yiwang.reviews.models import Rating, RectificationOrder

router = Router(tags=["reviews"])
PAGE = 100


class RateIn(Schema):
    kind: str
    ref: str
    level: int
    scores: dict[str, int]
    comment: str = ""
    named: bool = True


class VerdictOut(Schema):
    round: int
    satisfied: bool
    comment: str
    result: str
    created_at: dt.datetime


class OrderBrief(Schema):
    id: int
    reference: str
    status: str
    deadline: dt.date
    overdue: bool
    department: str
    result: str
    result_at: dt.datetime | None
    round: int
    awaits_verdict: bool
    verdicts: list[VerdictOut]


class VerdictIn(Schema):
    satisfied: bool
    comment: str = ""


class RatingOut(Schema):
    id: int
    kind: str
    ref: str
    service: str
    level: int
    channel: str
    scores: dict[str, int]
    comment: str
    named: bool
    created_at: dt.datetime
    excluded: bool
    order: OrderBrief | None


class OrderOut(OrderBrief):
    rating: RatingOut
    callbacks: int
    appeal: str | None


class CallbackIn(Schema):
    called_at: dt.datetime
    method: str
    reviewer_said: str


class ResultIn(Schema):
    result: str
    public_summary: str


class AppealIn(Schema):
    reason: str
    evidence: str


class DecideIn(Schema):
    upheld: bool
    note: str


class AppealOut(Schema):
    id: int
    order: str
    status: str
    reason: str
    evidence: str
    decision_note: str


class SatisfactionOut(Schema):
    key: str
    name: str
    total: int
    counts: dict[int, int]
    satisfied_rate: float | None
    average: float | None
    bad: int
    rectified: int
    rectification_rate: float | None


def _citizen(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_authenticated or not getattr(user, "is_citizen", False):
        raise PermissionDenied
    return user


def _staff(request: HttpRequest) -> Any:
    """Staff work needs a web session that passed TOTP; bearer tokens never reach it."""
    user = request.user
    verified = getattr(user, "is_verified", lambda: False)()
    if not user.is_authenticated or not getattr(user, "is_government_staff", False) or not verified:
        raise PermissionDenied
    return user


def _order_brief(order: RectificationOrder) -> dict[str, Any]:
    return {
        "id": order.pk, "reference": order.reference, "status": order.status,
        "deadline": order.deadline, "overdue": order.is_overdue,
        "department": order.department.name, "result": order.result,
        "result_at": order.result_at, "round": order.round,
        "awaits_verdict": order.awaits_feedback,
        "verdicts": [
            {"round": f.round, "satisfied": f.satisfied, "comment": f.comment,
             "result": f.result, "created_at": f.created_at}
            for f in order.feedbacks.all()
        ],
    }  # fmt: skip


def _rating(rating: Rating) -> dict[str, Any]:
    order = getattr(rating, "order", None) if hasattr(rating, "order") else None
    return {
        "id": rating.pk, "kind": rating.subject_kind, "ref": rating.subject_ref,
        "service": rating.subject_title, "level": rating.level, "channel": rating.channel,
        "scores": rating.scores, "comment": rating.comment, "named": rating.is_named,
        "created_at": rating.created_at, "excluded": rating.excluded,
        "order": _order_brief(order) if order else None,
    }  # fmt: skip


def _order(order: RectificationOrder) -> dict[str, Any]:
    appeal = getattr(order, "appeal", None) if hasattr(order, "appeal") else None
    return {
        **_order_brief(order), "rating": _rating(order.rating),
        "callbacks": order.callbacks.count(), "appeal": appeal.status if appeal else None,
    }  # fmt: skip


def _appeal(appeal: Any) -> dict[str, Any]:
    return {
        "id": appeal.pk, "order": appeal.order.reference, "status": appeal.status,
        "reason": appeal.reason, "evidence": appeal.evidence,
        "decision_note": appeal.decision_note,
    }  # fmt: skip


@router.post("/ratings", response={201: RatingOut}, summary="Rate a finished service")
def rate(request: HttpRequest, payload: RateIn) -> Status:
    rating = services.rating_submit(
        rater=_citizen(request), kind=payload.kind, ref=payload.ref, level=payload.level,
        scores=payload.scores, comment=payload.comment, is_named=payload.named,
    )  # fmt: skip
    return Status(201, _rating(rating))


@router.get("/ratings", response=list[RatingOut], summary="My ratings")
def my_ratings(request: HttpRequest) -> list[dict[str, Any]]:
    return [_rating(r) for r in selectors.ratings_for_citizen(user=_citizen(request))[:PAGE]]


@router.post(
    "/orders/{int:order_id}/verdict", response={201: OrderBrief},
    summary="Say whether the rectification result satisfies you",
)  # fmt: skip
def verdict(request: HttpRequest, order_id: int, payload: VerdictIn) -> Status:
    user = _citizen(request)
    order = selectors.order_get_for_reviewer(user=user, pk=order_id)
    services.result_feedback_give(
        order=order, rater=user, satisfied=payload.satisfied, comment=payload.comment
    )
    return Status(201, _order_brief(selectors.order_get_for_reviewer(user=user, pk=order_id)))


@router.get("/staff/orders", response=list[OrderOut], summary="Rectification orders")
def orders(
    request: HttpRequest, status: str = "open", sort: str = "deadline"
) -> list[dict[str, Any]]:
    found = selectors.orders_for_staff(user=_staff(request), status=status, sort=sort)
    return [_order(o) for o in found.select_related("rating__order")[:PAGE]]


@router.get("/staff/orders/{int:order_id}", response=OrderOut, summary="One order")
def order_detail(request: HttpRequest, order_id: int) -> dict[str, Any]:
    return _order(selectors.order_get_for_staff(user=_staff(request), pk=order_id))


@router.post("/staff/orders/{int:order_id}/callback", response=OrderOut, summary="Callback")
def order_callback(request: HttpRequest, order_id: int, payload: CallbackIn) -> dict[str, Any]:
    user = _staff(request)
    order = selectors.order_get_for_staff(user=user, pk=order_id)
    services.callback_record(order=order, by=user, **payload.dict())
    return _order(selectors.order_get_for_staff(user=user, pk=order_id))


@router.post("/staff/orders/{int:order_id}/result", response=OrderOut, summary="Result")
def order_result(request: HttpRequest, order_id: int, payload: ResultIn) -> dict[str, Any]:
    user = _staff(request)
    order = selectors.order_get_for_staff(user=user, pk=order_id)
    services.order_result_record(order=order, by=user, **payload.dict())
    return _order(selectors.order_get_for_staff(user=user, pk=order_id))


@router.post(
    "/staff/orders/{int:order_id}/appeal", response={201: AppealOut}, summary="Appeal a rating"
)
def order_appeal(request: HttpRequest, order_id: int, payload: AppealIn) -> Status:
    user = _staff(request)
    order = selectors.order_get_for_staff(user=user, pk=order_id)
    return Status(201, _appeal(services.appeal_file(order=order, by=user, **payload.dict())))


@router.get("/staff/appeals", response=list[AppealOut], summary="Appeals to decide")
def appeals(request: HttpRequest) -> list[dict[str, Any]]:
    return [_appeal(a) for a in selectors.appeals_for_supervisor(user=_staff(request))[:PAGE]]


@router.post("/staff/appeals/{int:appeal_id}/decide", response=AppealOut, summary="Decide")
def appeal_decide(request: HttpRequest, appeal_id: int, payload: DecideIn) -> dict[str, Any]:
    user = _staff(request)
    appeal = selectors.appeal_get_for_supervisor(user=user, pk=appeal_id)
    return _appeal(services.appeal_decide(appeal=appeal, by=user, **payload.dict()))


def _rows(rows: list[Any]) -> list[dict[str, Any]]:
    return [{**r.__dict__, "name": r.name} for r in rows]


@router.get(
    "/statistics/{dimension}", response=list[SatisfactionOut], auth=None,
    summary="Satisfaction by item, department, hall or region",
)  # fmt: skip
def statistics(
    request: HttpRequest, dimension: str, region: str = "", since: dt.date | None = None
) -> list[dict[str, Any]]:
    if dimension not in selectors.DIMENSIONS or (region and not region.isdigit()):
        raise Http404
    return _rows(selectors.satisfaction_by(dimension=dimension, region_code=region, since=since))


@router.get(
    "/staff/statistics/{dimension}", response=list[SatisfactionOut],
    summary="Satisfaction in my region",
)  # fmt: skip
def staff_statistics(
    request: HttpRequest, dimension: str, since: dt.date | None = None
) -> list[dict[str, Any]]:
    if dimension not in selectors.DIMENSIONS:
        raise Http404
    region = selectors.staff_statistics_region(user=_staff(request))
    return _rows(selectors.satisfaction_by(dimension=dimension, region_code=region, since=since))
