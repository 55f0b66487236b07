"""Shared helpers of the application services: timeline, notifications, and mirroring a
workflow into the application row and its work items."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import Department
from yiwang.applications.engine import runtime
from yiwang.applications.engine.definitions import (
    GROUP_APPLICANT,
    GROUP_IMPLEMENTING,
)
from yiwang.applications.models import (
    Application,
    ApplicationEvent,
    ProcessDefinition,
    Status,
    WorkItem,
    WorkItemStatus,
)
from yiwang.notify.services import notification_send

MSG_NOT_PLATFORM_ADMIN = _("Only platform administrators may install process definitions.")
MSG_NO_PROCESS = _("This service cannot be applied for online yet.")
MSG_NOT_DRAFT = _("Only a draft can be changed or submitted.")
MSG_NOT_YOURS = _("Not found, or you may not see it.")
MSG_ALREADY_CLAIMED = _("Someone else has already taken this task.")
MSG_NOT_CLAIMED = _("Take the task before acting on it.")
MSG_UNKNOWN_ACTION = _("This action is not possible at this step.")
MSG_REASON_REQUIRED = _("Give the reason for this decision.")
MSG_CHECKLIST_REQUIRED = _("List what the applicant must supplement.")
MSG_NO_SUPPLEMENT = _("This application is not waiting for a supplement.")
MSG_CANNOT_WITHDRAW = _("Only an application that has not been decided can be withdrawn.")

# Actions that must say why (不予受理, 不予许可) — the applicant is owed a reason.
REASON_ACTIONS = {"not_accept", "reject"}
END_STATUS = {
    "end_approved": Status.APPROVED,
    "end_rejected": Status.REJECTED,
    "end_not_accepted": Status.NOT_ACCEPTED,
}


def _invalid(message: Any, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _event(
    application: Application,
    kind: str,
    *,
    message: str = "",
    actor: Any = None,
    department: Department | None = None,
    details: dict[str, Any] | None = None,
    visible: bool = True,
) -> None:
    ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        message=message,
        actor=actor,
        department=department,
        details=details or {},
        visible_to_applicant=visible,
    )


def _notify(application: Application, template: str, **extra: Any) -> None:
    notification_send(
        user=application.applicant,
        template=template,
        context={
            "number": application.number,
            # Both names: the message is rendered later in the applicant's own language.
            "item_zh": _item_name(application, "zh"),
            "item_en": _item_name(application, "en"),
            "link_url": f"/applications/{application.number}/",
            **extra,
        },
        channels=("inapp", "sms"),
    )


def _item_name(application: Application, lang: str) -> str:
    version = application.implementation.item.published_version
    if version is None:
        return application.implementation.item.code
    return str(getattr(version, f"name_{lang}") or version.name_zh)


def _department_for(application: Application, group: str) -> Department | None:
    implementation = application.implementation
    if group == GROUP_APPLICANT:
        return None
    if group == GROUP_IMPLEMENTING:
        return implementation.department
    # Another department of the same region (e.g. the health inspectors of 食品经营许可).
    # Where the region has none, the implementing department holds the step, so the work
    # is never left in nobody's inbox.
    other = Department.objects.filter(region_id=implementation.region_id, kind=group).first()
    return other or implementation.department


def _definition(application: Application) -> ProcessDefinition:
    if application.definition is None:  # only drafts have none, and drafts have no workflow
        raise _invalid(MSG_NOT_DRAFT, "not_submitted")
    return application.definition


def _sync(application: Application, wf: Any) -> None:
    """Mirror the workflow into the application row and its work items, then store it."""
    ready = runtime.ready_tasks(wf, _definition(application).user_tasks)
    ready_ids = {t.id for t in ready}
    WorkItem.objects.filter(application=application, status=WorkItemStatus.OPEN).exclude(
        task_id__in=ready_ids
    ).update(status=WorkItemStatus.CANCELLED)
    known = set(
        WorkItem.objects.filter(application=application, task_id__in=ready_ids).values_list(
            "task_id", flat=True
        )
    )
    holder = None
    for task in ready:
        department = _department_for(application, task.group)
        holder = holder or department
        if task.id not in known:
            WorkItem.objects.create(
                application=application,
                task_id=task.id,
                bpmn_id=task.bpmn_id,
                name=task.name,
                group=task.group,
                department=department,
                region_code=application.region_code,
                deadline=application.deadline,
            )
    if wf.completed:
        application.end_event = runtime.workflow_end_event(wf)
        application.status = END_STATUS.get(application.end_event, Status.FINISHED)
        application.decided_at = timezone.now()
        application.holder_department = None
    elif any(t.group == GROUP_APPLICANT for t in ready):
        application.status = Status.SUPPLEMENT_REQUESTED
        application.holder_department = None
    elif any(t.bpmn_id == "accept" for t in ready):
        application.status = Status.SUBMITTED
        application.holder_department = holder
    else:
        application.status = Status.UNDER_REVIEW
        application.holder_department = holder
    application.workflow_state = runtime.workflow_dump(wf)
    application.next_timer_at = runtime.next_timer_at(wf)
    application.save()


def _json_ready(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (str(v) if not isinstance(v, (str, int, bool, float, type(None))) else v)
        for k, v in values.items()
    }


def _after_step(application: Application) -> None:
    """Timeline and notifications that depend on where the workflow arrived."""
    if application.status in END_STATUS.values():
        _event(application, "decided", details={"status": application.status})
        _notify(
            application,
            "application_decided",
            status=str(application.get_status_display()),
            reason=application.decision_reason,
        )


def _load(application: Application) -> Any:
    return runtime.workflow_load(application.workflow_state, context=application)
