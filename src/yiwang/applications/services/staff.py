"""Staff steps: claim (exactly one winner) and act on a task."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.applications.engine import runtime
from yiwang.applications.models import (
    Application,
    WorkItem,
    WorkItemStatus,
)
from yiwang.applications.services._common import (
    MSG_ALREADY_CLAIMED,
    MSG_CHECKLIST_REQUIRED,
    MSG_NOT_CLAIMED,
    MSG_REASON_REQUIRED,
    MSG_UNKNOWN_ACTION,
    REASON_ACTIONS,
    _after_step,
    _definition,
    _event,
    _invalid,
    _load,
    _notify,
    _sync,
)
from yiwang.applications.services.appeals import APPEAL_STEP, appeal_review_complete
from yiwang.audit.services import audit_log

MSG_COMMENT_REQUIRED = _("Write the note first.")
MSG_COMMENT_TOO_LONG = _("Keep the note to %(limit)s characters or fewer.")
COMMENT_MAX = 2000


def _staff_item(user: Any, item_id: int, *, lock: bool) -> WorkItem:
    """The work item, if the staff member's region and department may see it (else 404)."""
    from yiwang.applications.selectors import work_items_for_staff

    qs = work_items_for_staff(user=user)
    if lock:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=item_id)
    except WorkItem.DoesNotExist as exc:
        raise Http404 from exc


@transaction.atomic
def task_claim(*, user: Any, item_id: int) -> WorkItem:
    """Take an open task. Of two clerks claiming at once exactly one wins: the claim is a
    conditional UPDATE that only matches while nobody holds the task."""
    item = _staff_item(user, item_id, lock=False)
    claimed = WorkItem.objects.filter(
        pk=item.pk, status=WorkItemStatus.OPEN, claimed_by__isnull=True
    ).update(claimed_by=user, claimed_at=timezone.now())
    item.refresh_from_db()
    if not claimed and item.claimed_by_id != user.pk:
        raise _invalid(MSG_ALREADY_CLAIMED, "already_claimed")
    if claimed:
        audit_log(
            actor=user,
            action="applications.task_claim",
            target_type="application",
            target_id=item.application.number,
            region_code=item.region_code,
            details={"step": item.bpmn_id},
        )
    return item


@transaction.atomic
def task_complete(
    *,
    user: Any,
    item_id: int,
    action: str,
    reason: str = "",
    checklist: list[str] | None = None,
) -> Application:
    """Act on a claimed task: accept / not_accept / supplement / approve / reject / return
    (whatever the process offers at this step)."""
    item = _staff_item(user, item_id, lock=True)
    if item.status != WorkItemStatus.OPEN:
        raise _invalid(runtime.MSG_STALE_TASK, "stale_task")
    if item.claimed_by_id != user.pk:
        raise _invalid(
            MSG_NOT_CLAIMED if item.claimed_by_id is None else MSG_ALREADY_CLAIMED,
            "not_claimed" if item.claimed_by_id is None else "already_claimed",
        )
    application = Application.objects.select_for_update().get(pk=item.application_id)
    if item.bpmn_id == APPEAL_STEP:
        return appeal_review_complete(
            user=user, item=item, application=application, action=action, reason=reason
        )
    step = _definition(application).user_tasks.get(item.bpmn_id, {})
    if action not in step.get("actions", []):
        raise _invalid(MSG_UNKNOWN_ACTION, "unknown_action")
    reason = reason.strip()
    checklist = [c.strip() for c in (checklist or []) if c.strip()]
    if action in REASON_ACTIONS and not reason:
        raise ValidationError({"reason": [_invalid(MSG_REASON_REQUIRED, "reason_required")]})
    if action == "supplement" and not checklist:
        raise ValidationError(
            {"checklist": [_invalid(MSG_CHECKLIST_REQUIRED, "checklist_required")]}
        )
    # The step goes on the timeline before the engine moves on, so what the step causes (a
    # certificate issued, the decision) follows it.
    _event(
        application,
        f"step.{action}",
        actor=user,
        department=item.department,
        message=reason,
        details={"step": item.bpmn_id, "checklist": checklist},
    )
    wf = _load(application)
    data = {"decision": action, "reason": reason, "checklist": checklist}
    runtime.task_complete(wf, task_id=item.task_id, data=data)
    now = timezone.now()
    item.status = WorkItemStatus.DONE
    item.completed_by = user
    item.completed_at = now
    item.outcome = action
    item.save()
    if action in REASON_ACTIONS:
        application.decision_reason = reason
    _sync(application, wf)
    audit_log(
        actor=user,
        action="applications.task_complete",
        target_type="application",
        target_id=application.number,
        region_code=application.region_code,
        details={"step": item.bpmn_id, "action": action},
    )
    if action == "accept":
        _notify(application, "application_accepted", deadline=str(application.deadline))
    elif action == "supplement":
        _notify(application, "application_supplement", checklist="\n".join(checklist))
    _after_step(application)
    return application


@transaction.atomic
def task_comment(*, user: Any, item_id: int, text: str) -> None:
    """An internal note between staff on the application's staff timeline (never shown to
    the applicant). Anyone who may see the work item may comment, claimed or not, open or
    done; each note is audited."""
    item = _staff_item(user, item_id, lock=False)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"comment": [_invalid(MSG_COMMENT_REQUIRED, "comment_required")]})
    if len(text) > COMMENT_MAX:
        raise ValidationError(
            {
                "comment": [
                    ValidationError(
                        MSG_COMMENT_TOO_LONG, code="comment_too_long", params={"limit": COMMENT_MAX}
                    )
                ]
            }
        )
    _event(
        item.application,
        "comment",
        actor=user,
        department=getattr(getattr(user, "staff", None), "department", None),
        message=text,
        details={"step": item.bpmn_id},
        visible=False,
    )
    audit_log(
        actor=user,
        action="applications.comment",
        target_type="application",
        target_id=item.application.number,
        region_code=item.region_code,
        details={"step": item.bpmn_id},
    )
