"""整改: the department calls a named reviewer back, writes the rectification result (shown
to the reviewer and published), or appeals a malicious rating; supervisors decide appeals
and are told about overdue orders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.audit.services import audit_log
from yiwang.core.workdays import working_days_add
from yiwang.reviews.models import (
    MAX_ROUNDS,
    Appeal,
    AppealStatus,
    Callback,
    CallbackMethod,
    OrderStatus,
    Rating,
    RectificationOrder,
    ResultFeedback,
)
from yiwang.reviews.permissions import (
    can_decide_appeals,
    can_work_orders,
    department_staff,
    supervisors_for,
)
from yiwang.reviews.privacy import personal_data_check
from yiwang.reviews.services.notices import citizen_notify, staff_notify

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
MSG_VERDICT_REQUIRED = _("Say whether you are satisfied with what was put right.")
MSG_FEEDBACK_TOO_LONG = _("Keep the comment under 500 characters.")
MSG_FEEDBACK_GIVEN = _("You have already said whether you are satisfied with this result.")
MSG_NO_RESULT_YET = _("The department has not recorded a result yet.")
FEEDBACK_COMMENT_MAX = 500
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
    outcome appears on the public 差评整改公示 page. Both texts are published, so neither may
    hold a phone or ID number."""
    result = _text(result, MSG_RESULT_REQUIRED, "required", "result")
    summary = _text(public_summary, MSG_SUMMARY_REQUIRED, "required", "public_summary")
    personal_data_check(summary, field="public_summary")
    personal_data_check(result, field="result")
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
        _log(by, "reviews.result", locked, round=locked.round)
        rating = locked.rating
        citizen_notify(
            user=rating.rater,
            template="reviews_result",
            context={
                "service_zh": rating.subject_title_zh,
                "service_en": rating.subject_title_en,
                "result": result,
                "subject_url": rating.links.citizen,
                "link_url": "/reviews/my/",
            },  # fmt: skip
        )
    return locked


def result_feedback_give(
    *, order: RectificationOrder, rater: Any, satisfied: Any, comment: str = ""
) -> ResultFeedback:
    """回访评价: the reviewer says, once a round, whether the recorded result satisfies them.
    Not satisfied after the first round → the order re-opens with a new working-day deadline;
    after the last round the verdict is only recorded. The department is told either way.
    Http404 unless ``rater`` gave the rating."""
    if not getattr(rater, "is_authenticated", False) or order.rating.rater_id != rater.pk:
        raise Http404
    if satisfied not in (True, False):
        raise ValidationError(
            {"satisfied": ValidationError(MSG_VERDICT_REQUIRED, code="verdict_required")}
        )
    comment = (comment or "").strip()
    if len(comment) > FEEDBACK_COMMENT_MAX:
        raise ValidationError(
            {"comment": ValidationError(MSG_FEEDBACK_TOO_LONG, code="comment_too_long")}
        )
    with transaction.atomic():
        locked = (
            RectificationOrder.objects.select_for_update()
            .select_related("rating", "department")
            .get(pk=order.pk)
        )
        if ResultFeedback.objects.filter(order=locked, round=locked.round).exists():
            raise ValidationError(MSG_FEEDBACK_GIVEN, code="feedback_given")
        if locked.status != OrderStatus.RESOLVED:
            raise ValidationError(MSG_NO_RESULT_YET, code="no_result")
        feedback = ResultFeedback.objects.create(
            order=locked, round=locked.round, satisfied=satisfied, comment=comment,
            result=locked.result,
        )  # fmt: skip
        reopened = not satisfied and locked.round < MAX_ROUNDS
        if reopened:
            days = int(getattr(settings, "REVIEWS_RECTIFY_DAYS", 5))
            locked.status, locked.round = OrderStatus.OPEN, locked.round + 1
            locked.deadline = working_days_add(timezone.localdate(), days)
            locked.closed_at = locked.escalated_at = None
            locked.save(update_fields=["status", "round", "deadline", "closed_at", "escalated_at"])
        audit_log(
            actor=rater, action="reviews.feedback", target_type="reviews.order",
            target_id=locked.reference, region_code=locked.region_code,
            details={"round": feedback.round, "satisfied": satisfied, "reopened": reopened},
        )  # fmt: skip
        recipients = {u.pk: u for u in department_staff(locked.department)}
        if locked.result_by is not None:
            recipients.setdefault(locked.result_by_id, locked.result_by)
        for user in recipients.values():
            staff_notify(
                user=user,
                template="reviews_feedback",
                context={
                    "reference": locked.reference,
                    "satisfied": satisfied,
                    "comment": comment,
                    "reopened": reopened,
                    "deadline": locked.deadline.isoformat(),
                    "service_zh": locked.rating.subject_title_zh,
                    "service_en": locked.rating.subject_title_en,
                    "link_url": f"/reviews/staff/orders/{locked.pk}/",
                },  # fmt: skip
            )
    return feedback


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
            staff_notify(
                user=supervisor,
                template="reviews_appeal_filed",
                context={
                    "reference": locked.reference,
                    "department": locked.department.name,
                    "link_url": f"/reviews/staff/appeals/{appeal.pk}/",
                },  # fmt: skip
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
        staff_notify(
            user=locked.filed_by,
            template="reviews_appeal_decided_staff",
            context={**context, "link_url": f"/reviews/staff/orders/{order.pk}/"},
        )
        citizen_notify(
            user=order.rating.rater,
            template="reviews_appeal_decided",
            context={**context, "link_url": "/reviews/my/"},
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
                staff_notify(
                    user=supervisor,
                    template="reviews_overdue_staff",
                    context={
                        "reference": order.reference,
                        "department": order.department.name,
                        "deadline": order.deadline.isoformat(),
                        "link_url": f"/reviews/staff/orders/{order.pk}/",
                    },  # fmt: skip
                )
            escalated += 1
    return escalated
