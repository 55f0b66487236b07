"""Use cases that change applications. Each one commits the application row, its workflow
state, its work items, its timeline and its audit entries together, or nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import Department, Role
from yiwang.accounts.selectors import staff_profile
from yiwang.applications.engine import runtime
from yiwang.applications.engine.definitions import (
    GROUP_APPLICANT,
    GROUP_IMPLEMENTING,
    process_parse,
)
from yiwang.applications.models import (
    OPEN_STATUSES,
    Application,
    ApplicationEvent,
    ProcessDefinition,
    Status,
    WorkItem,
    WorkItemStatus,
)
from yiwang.audit.services import audit_log
from yiwang.catalog.forms_schema import form_validate
from yiwang.catalog.models import Implementation
from yiwang.core.workdays import working_days_add
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


# --- process definitions --------------------------------------------------------------


@transaction.atomic
def process_definition_install(*, actor: Any, bpmn_xml: str) -> ProcessDefinition:
    """Validate and install ``bpmn_xml`` as the next version of its process key.

    Installing the same file again returns the version already installed.
    """
    staff = staff_profile(actor)
    if staff is None or not staff.has_role(Role.PLATFORM_ADMIN):
        raise PermissionDenied(MSG_NOT_PLATFORM_ADMIN)
    parsed = process_parse(bpmn_xml)
    existing = ProcessDefinition.objects.filter(key=parsed.key, sha256=parsed.sha256).first()
    if existing is not None:
        return existing
    last = (
        ProcessDefinition.objects.select_for_update()
        .filter(key=parsed.key)
        .order_by("-version")
        .first()
    )
    definition = ProcessDefinition.objects.create(
        key=parsed.key,
        version=(last.version + 1) if last else 1,
        name=parsed.name,
        bpmn_xml=bpmn_xml,
        sha256=parsed.sha256,
        user_tasks=parsed.user_tasks,
        installed_by=actor,
    )
    audit_log(
        actor=actor,
        action="applications.process_install",
        target_type="process_definition",
        target_id=str(definition.pk),
        details={"key": definition.key, "version": definition.version, "sha256": parsed.sha256},
    )
    return definition


def process_definition_latest(key: str) -> ProcessDefinition | None:
    return ProcessDefinition.objects.filter(key=key).order_by("-version").first()


# --- citizen side ---------------------------------------------------------------------


def _number(now: dt.datetime) -> str:
    # Date for people reading it over the phone, random tail so numbers are not guessable.
    return f"{timezone.localtime(now):%Y%m%d}{uuid.uuid4().int % 10**10:010d}"


@transaction.atomic
def application_draft_save(
    *,
    user: Any,
    implementation: Implementation,
    form_data: dict[str, Any],
    application: Application | None = None,
) -> Application:
    """Create or update a draft. Drafts are saved as typed, without validation."""
    version = implementation.published_version
    if version is None or not version.process_ref:
        raise _invalid(MSG_NO_PROCESS, "no_process")
    if application is None:
        return Application.objects.create(
            number=_number(timezone.now()),
            applicant=user,
            implementation=implementation,
            implementation_version=version,
            form_data=form_data,
            region_code=implementation.region_id,
        )
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.applicant_id != user.pk:
        raise PermissionDenied(MSG_NOT_YOURS)
    if locked.status != Status.DRAFT:
        raise _invalid(MSG_NOT_DRAFT, "not_draft")
    locked.form_data = form_data
    locked.save(update_fields=["form_data", "updated_at"])
    return locked


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


@transaction.atomic
def application_submit(
    *, user: Any, application: Application, submit_token: uuid.UUID
) -> Application:
    """Validate the form and start the process. The same ``submit_token`` submitted twice
    (a double click, a retry) returns the application submitted the first time."""
    earlier = Application.objects.filter(submit_token=submit_token).first()
    if earlier is not None:
        if earlier.applicant_id != user.pk:
            raise PermissionDenied(MSG_NOT_YOURS)
        return earlier
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.applicant_id != user.pk:
        raise PermissionDenied(MSG_NOT_YOURS)
    if locked.submit_token == submit_token:
        # A concurrent retry that waited for our lock: the first one has submitted it.
        return locked
    if locked.status != Status.DRAFT:
        raise _invalid(MSG_NOT_DRAFT, "not_draft")
    version = locked.implementation_version
    cleaned = form_validate(version.form_schema, locked.form_data)
    definition = process_definition_latest(version.process_ref)
    if definition is None:
        raise _invalid(MSG_NO_PROCESS, "no_process")
    now = timezone.now()
    locked.deadline = working_days_add(timezone.localdate(now), version.promised_limit_days)
    locked.definition = definition
    locked.submit_token = submit_token
    locked.submitted_at = now
    spec = process_parse(definition.bpmn_xml).spec
    _event(locked, "submitted", actor=user)
    wf = runtime.workflow_start(
        spec=spec,
        data={
            "form": _json_ready(cleaned),
            "application_deadline": runtime.end_of_day(locked.deadline).isoformat(),
        },
        context=locked,
    )
    _sync(locked, wf)
    audit_log(
        actor=user,
        action="applications.submit",
        target_type="application",
        target_id=locked.number,
        region_code=locked.region_code,
    )
    _notify(locked, "application_received", deadline=str(locked.deadline))
    _after_step(locked)
    return locked


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


@transaction.atomic
def application_withdraw(*, user: Any, application: Application) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.applicant_id != user.pk:
        raise PermissionDenied(MSG_NOT_YOURS)
    if locked.status not in (Status.DRAFT, *OPEN_STATUSES):
        raise _invalid(MSG_CANNOT_WITHDRAW, "cannot_withdraw")
    locked.status = Status.WITHDRAWN
    locked.holder_department = None
    locked.next_timer_at = None
    locked.save()
    WorkItem.objects.filter(application=locked, status=WorkItemStatus.OPEN).update(
        status=WorkItemStatus.CANCELLED
    )
    _event(locked, "withdrawn", actor=user)
    audit_log(
        actor=user,
        action="applications.withdraw",
        target_type="application",
        target_id=locked.number,
        region_code=locked.region_code,
    )
    return locked


@transaction.atomic
def application_supplement(
    *, user: Any, application: Application, form_data: dict[str, Any]
) -> Application:
    """Answer a 补正 request in one go: the corrected form is validated and the process
    goes back to the department."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.applicant_id != user.pk:
        raise PermissionDenied(MSG_NOT_YOURS)
    if locked.status != Status.SUPPLEMENT_REQUESTED:
        raise _invalid(MSG_NO_SUPPLEMENT, "no_supplement")
    item = WorkItem.objects.select_for_update().get(
        application=locked, status=WorkItemStatus.OPEN, group=GROUP_APPLICANT
    )
    cleaned = form_validate(locked.implementation_version.form_schema, form_data)
    locked.form_data = form_data
    wf = _load(locked)
    runtime.task_complete(
        wf, task_id=item.task_id, data={"form": _json_ready(cleaned), "decision": ""}
    )
    item.status = WorkItemStatus.DONE
    item.completed_by = user
    item.completed_at = timezone.now()
    item.outcome = "complete"
    item.save()
    _sync(locked, wf)
    _event(locked, "supplemented", actor=user)
    audit_log(
        actor=user,
        action="applications.supplement",
        target_type="application",
        target_id=locked.number,
        region_code=locked.region_code,
    )
    return locked


# --- staff side -------------------------------------------------------------------------


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
    _event(
        application,
        f"step.{action}",
        actor=user,
        department=item.department,
        message=reason,
        details={"step": item.bpmn_id, "checklist": checklist},
    )
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


# --- timers -------------------------------------------------------------------------------


def application_timers_fire(*, now: dt.datetime | None = None) -> int:
    """Refresh every workflow whose earliest timer is due; return how many moved. Each
    application is its own transaction, so one broken workflow does not stop the others."""
    now = now or timezone.now()
    due = list(
        Application.objects.filter(next_timer_at__lte=now, status__in=OPEN_STATUSES).values_list(
            "pk", flat=True
        )[:500]
    )
    moved = 0
    for pk in due:
        with transaction.atomic():
            application = Application.objects.select_for_update().get(pk=pk)
            if application.next_timer_at is None or application.next_timer_at > now:
                continue  # another worker got here first
            wf = _load(application)
            if runtime.timers_refresh(wf):
                moved += 1
            _sync(application, wf)
    return moved
