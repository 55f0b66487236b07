"""Appeals against automated decisions (申诉): the applicant asks, a person reviews.

The review is a work item outside the (finished) workflow, in the implementing
department's pool; upholding or overturning it is recorded on the decision, so appeal and
overturn rates can be counted per rule.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.applications.models import (
    Application,
    AutomatedDecision,
    Status,
    WorkItem,
    WorkItemStatus,
)
from yiwang.applications.services._common import (
    MSG_NOT_YOURS,
    MSG_REASON_REQUIRED,
    MSG_UNKNOWN_ACTION,
    _event,
    _invalid,
    _notify,
)
from yiwang.audit.services import audit_log
from yiwang.core.workdays import working_days_add

APPEAL_STEP = "appeal_review"
APPEAL_ACTIONS = ["uphold", "overturn"]
MSG_NOT_APPEALABLE = _("Only a decision made automatically by the rules can be appealed, once.")
MSG_APPEAL_REASON = _("Tell us why you think the decision is wrong.")
# Stored on the work item (the inbox shows it); the page translates it again.
APPEAL_STEP_NAME = "人工复核"


@transaction.atomic
def application_appeal(*, user: Any, application: Application, reason: str) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.applicant_id != user.pk:
        raise PermissionDenied(MSG_NOT_YOURS)
    decision = AutomatedDecision.objects.select_for_update().filter(application=locked).first()
    if (
        decision is None
        or decision.appealed_at is not None
        or locked.status not in (Status.APPROVED, Status.REJECTED)
    ):
        raise _invalid(MSG_NOT_APPEALABLE, "not_appealable")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_invalid(MSG_APPEAL_REASON, "reason_required")]})
    decision.appealed_at = timezone.now()
    decision.appeal_reason = reason
    decision.save(update_fields=["appealed_at", "appeal_reason"])
    WorkItem.objects.create(
        application=locked,
        task_id=f"appeal-{decision.pk}",
        bpmn_id=APPEAL_STEP,
        name=APPEAL_STEP_NAME,
        group="implementing",
        department=locked.implementation.department,
        region_code=locked.region_code,
        # A person answers an appeal within the service's promised time, counted afresh.
        deadline=working_days_add(
            timezone.localdate(), max(locked.implementation_version.promised_limit_days, 1)
        ),
    )
    locked.status = Status.UNDER_REVIEW
    locked.holder_department = locked.implementation.department
    locked.save(update_fields=["status", "holder_department", "updated_at"])
    _event(locked, "appealed", actor=user, message=reason)
    audit_log(
        actor=user,
        action="applications.appeal",
        target_type="application",
        target_id=locked.number,
        region_code=locked.region_code,
        details={"rule": decision.rule_id},
    )
    return locked


def appeal_review_complete(
    *, user: Any, item: WorkItem, application: Application, action: str, reason: str
) -> Application:
    """Uphold or overturn the automated decision (called by task_complete, locked)."""
    if action not in APPEAL_ACTIONS:
        raise _invalid(MSG_UNKNOWN_ACTION, "unknown_action")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_invalid(MSG_REASON_REQUIRED, "reason_required")]})
    decision = AutomatedDecision.objects.select_for_update().get(application=application)
    now = timezone.now()
    decision.overturned = action == "overturn"
    decision.reviewed_by = user
    decision.reviewed_at = now
    decision.save(update_fields=["overturned", "reviewed_by", "reviewed_at"])
    approved = (decision.outcome == "approve") != decision.overturned
    application.status = Status.APPROVED if approved else Status.REJECTED
    application.decision_reason = reason
    application.holder_department = None
    application.decided_at = now
    application.save()
    item.status = WorkItemStatus.DONE
    item.completed_by = user
    item.completed_at = now
    item.outcome = action
    item.save()
    _event(application, f"appeal.{action}", actor=user, department=item.department, message=reason)
    audit_log(
        actor=user,
        action="applications.task_complete",
        target_type="application",
        target_id=application.number,
        region_code=application.region_code,
        details={"step": APPEAL_STEP, "action": action, "rule": decision.rule_id},
    )
    _notify(
        application,
        "application_decided",
        status=str(application.get_status_display()),
        reason=reason,
    )
    return application
