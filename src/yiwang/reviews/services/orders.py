"""整改: the department calls a named reviewer back, writes the rectification result (shown
to the reviewer and published), or appeals a malicious rating; supervisors decide appeals
and are told about overdue orders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.audit.services import audit_log
from yiwang.notify.services import notification_send
from yiwang.reviews.models import (
    Appeal,
    AppealStatus,
    Callback,
    CallbackMethod,
    OrderStatus,
    Rating,
    RectificationOrder,
)
from yiwang.reviews.permissions import can_decide_appeals, can_work_orders, supervisors_for

MSG_ORDER_CLOSED = _("This rectification order is already closed.")
MSG_ANONYMOUS_NO_CALLBACK = _("This rating is anonymous: there is nobody to call back.")
MSG_WHEN_REQUIRED = _("Enter when you called the reviewer back.")
MSG_CALLBACK_FUTURE = _("The callback cannot be in the future.")
MSG_METHOD_REQUIRED = _("Choose how you contacted the reviewer.")
MSG_SAID_REQUIRED = _("Write down what the reviewer said.")
MSG_CALLBACK_REQUIRED = _(
    "The reviewer gave their name: record the callback before you close the order."
)
MSG_APPEAL_PENDING = _("An appeal against this rating is waiting for a decision.")
MSG_RESULT_REQUIRED = _("Describe what was put right.")
MSG_SUMMARY_REQUIRED = _("Write a public summary without personal data.")
MSG_APPEAL_EXISTS = _("This rating has already been appealed.")
MSG_REASON_REQUIRED = _("Say why the rating is malicious.")
MSG_EVIDENCE_REQUIRED = _("Describe the evidence.")
MSG_APPEAL_DECIDED = _("This appeal has already been decided.")
MSG_DECISION_NOTE_REQUIRED = _("Give the reasons for the decision.")
MSG_NOT_SUPERVISOR = _("Only a supervisor can decide an appeal.")
TEXT_MAX = 2000


def _text(value: str, message: Any, code: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: ValidationError(message, code=code)})
    return value[:TEXT_MAX]


def _locked_open(order: RectificationOrder, by: Any) -> RectificationOrder:
    if not can_work_orders(by):
        raise PermissionDenied
    locked = (
        RectificationOrder.objects.select_for_update().select_related("rating").get(pk=order.pk)
    )
    if not locked.is_open:
        raise ValidationError(MSG_ORDER_CLOSED, code="order_closed")
    return locked


def _log(by: Any, action: str, order: RectificationOrder, **details: Any) -> None:
    audit_log(
        actor=by, action=action, target_type="reviews.order", target_id=order.reference,
        region_code=order.region_code, details=details or None,
    )  # fmt: skip


def callback_record(
    *, order: RectificationOrder, by: Any, called_at: dt.datetime | None, method: str,
    reviewer_said: str,
) -> Callback:  # fmt: skip
    """回访: record when and how the named reviewer was called back and what they said."""
    if called_at is None:
        raise ValidationError({"called_at": ValidationError(MSG_WHEN_REQUIRED, code="required")})
    if called_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"called_at": ValidationError(MSG_CALLBACK_FUTURE, code="future")})
    if method not in CallbackMethod.values:
        raise ValidationError({"method": ValidationError(MSG_METHOD_REQUIRED, code="required")})
    said = _text(reviewer_said, MSG_SAID_REQUIRED, "required", "reviewer_said")
    with transaction.atomic():
        locked = _locked_open(order, by)
        if not locked.rating.is_named:
            raise ValidationError(MSG_ANONYMOUS_NO_CALLBACK, code="anonymous")
        callback = Callback.objects.create(
            order=locked, by=by, called_at=called_at, method=method, reviewer_said=said
        )
        _log(by, "reviews.callback", locked, method=method)
    return callback


def order_result_record(
    *, order: RectificationOrder, by: Any, result: str, public_summary: str
) -> RectificationOrder:
    """Write the rectification result and close the order: the reviewer is told, and the
    outcome appears on the public 差评整改公示 page."""
    result = _text(result, MSG_RESULT_REQUIRED, "required", "result")
    summary = _text(public_summary, MSG_SUMMARY_REQUIRED, "required", "public_summary")
    with transaction.atomic():
        locked = _locked_open(order, by)
        if Appeal.objects.filter(order=locked, status=AppealStatus.PENDING).exists():
            raise ValidationError(MSG_APPEAL_PENDING, code="appeal_pending")
        if locked.rating.is_named and not locked.callbacks.exists():
            raise ValidationError(MSG_CALLBACK_REQUIRED, code="callback_required")
        now = timezone.now()
        locked.status = OrderStatus.RESOLVED
        locked.result, locked.public_summary = result, summary
        locked.result_by, locked.result_at, locked.closed_at = by, now, now
        locked.save(
            update_fields=["status", "result", "public_summary", "result_by", "result_at",
                           "closed_at"]
        )  # fmt: skip
        _log(by, "reviews.result", locked)
        rating = locked.rating
        notification_send(
            user=rating.rater,
            template="reviews_result",
            context={
                "service_zh": rating.subject_title_zh,
                "service_en": rating.subject_title_en,
                "result": result,
                "link_url": "/reviews/my/",
            },  # fmt: skip
            channels=("inapp", "sms"),
        )
    return locked


def appeal_file(*, order: RectificationOrder, by: Any, reason: str, evidence: str) -> Appeal:
    """申诉: the department asks a supervisor to set a malicious rating aside."""
    reason = _text(reason, MSG_REASON_REQUIRED, "required", "reason")
    evidence = _text(evidence, MSG_EVIDENCE_REQUIRED, "required", "evidence")
    with transaction.atomic():
        locked = _locked_open(order, by)
        if Appeal.objects.filter(order=locked).exists():
            raise ValidationError(MSG_APPEAL_EXISTS, code="appeal_exists")
        appeal = Appeal.objects.create(order=locked, filed_by=by, reason=reason, evidence=evidence)
        _log(by, "reviews.appeal", locked)
        for supervisor in supervisors_for(locked.region_code):
            notification_send(
                user=supervisor,
                template="reviews_appeal_filed",
                context={
                    "reference": locked.reference,
                    "department": locked.department.name,
                    "link_url": f"/reviews/staff/appeals/{appeal.pk}/",
                },  # fmt: skip
                channels=("inapp", "sms"),
            )
    return appeal


def appeal_decide(*, appeal: Appeal, by: Any, upheld: bool, note: str) -> Appeal:
    """复核: upheld → the rating leaves the statistics and the order closes as appealed;
    dismissed → rectification continues with the same deadline. Both sides are told."""
    if not can_decide_appeals(by):
        raise ValidationError(MSG_NOT_SUPERVISOR, code="not_supervisor")
    note = _text(note, MSG_DECISION_NOTE_REQUIRED, "required", "note")
    with transaction.atomic():
        locked = (
            Appeal.objects.select_for_update().select_related("order__rating").get(pk=appeal.pk)
        )
        if locked.status != AppealStatus.PENDING:
            raise ValidationError(MSG_APPEAL_DECIDED, code="decided")
        now = timezone.now()
        locked.status = AppealStatus.UPHELD if upheld else AppealStatus.DISMISSED
        locked.decided_by, locked.decided_at, locked.decision_note = by, now, note
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        order = locked.order
        if upheld:
            Rating.objects.filter(pk=order.rating_id).update(excluded=True)
            RectificationOrder.objects.filter(pk=order.pk).update(
                status=OrderStatus.APPEALED, closed_at=now
            )
        _log(by, "reviews.appeal_decide", order, outcome=locked.status)
        context = {
            "reference": order.reference, "upheld": upheld, "note": note,
            "service_zh": order.rating.subject_title_zh,
            "service_en": order.rating.subject_title_en,
        }  # fmt: skip
        notification_send(
            user=locked.filed_by,
            template="reviews_appeal_decided_staff",
            context={**context, "link_url": f"/reviews/staff/orders/{order.pk}/"},
            channels=("inapp", "sms"),
        )
        notification_send(
            user=order.rating.rater,
            template="reviews_appeal_decided",
            context={**context, "link_url": "/reviews/my/"},
            channels=("inapp", "sms"),
        )
    return locked


def orders_escalate_overdue(*, today: dt.date | None = None) -> int:
    """超期督办: tell the region's supervisors about each open order past its deadline, once."""
    today = today or timezone.localdate()
    escalated = 0
    overdue = RectificationOrder.objects.filter(
        status=OrderStatus.OPEN, deadline__lt=today, escalated_at__isnull=True
    ).select_related("department", "rating")
    for order in overdue:
        with transaction.atomic():
            claimed = RectificationOrder.objects.filter(
                pk=order.pk, escalated_at__isnull=True
            ).update(escalated_at=timezone.now())
            if not claimed:  # another worker got there first
                continue
            audit_log(
                actor=None, action="reviews.overdue", target_type="reviews.order",
                target_id=order.reference, region_code=order.region_code,
            )  # fmt: skip
            for supervisor in supervisors_for(order.region_code):
                notification_send(
                    user=supervisor,
                    template="reviews_overdue_staff",
                    context={
                        "reference": order.reference,
                        "department": order.department.name,
                        "deadline": order.deadline.isoformat(),
                        "link_url": f"/reviews/staff/orders/{order.pk}/",
                    },  # fmt: skip
                    channels=("inapp", "sms"),
                )
            escalated += 1
    return escalated
