"""Applicants: drafts, submission (idempotent), withdrawal and supplements (补正)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from yiwang.accounts.selectors import enterprise_get_for_user
from yiwang.applications.engine import runtime
from yiwang.applications.engine.definitions import (
    GROUP_APPLICANT,
    process_parse,
)
from yiwang.applications.models import (
    OPEN_STATUSES,
    Application,
    Status,
    WorkItem,
    WorkItemStatus,
)
from yiwang.applications.services._common import (
    MSG_CANNOT_WITHDRAW,
    MSG_NO_PROCESS,
    MSG_NO_SUPPLEMENT,
    MSG_NOT_DRAFT,
    MSG_NOT_YOURS,
    _after_step,
    _event,
    _invalid,
    _json_ready,
    _load,
    _notify,
    _sync,
)
from yiwang.applications.services.definitions import process_definition_latest
from yiwang.applications.services.reuse import linked_certificates_recheck
from yiwang.audit.services import audit_log
from yiwang.catalog.forms_schema import form_validate
from yiwang.catalog.models import Implementation
from yiwang.core.workdays import working_days_add


def _applicant_facts(application: Application) -> dict[str, Any]:
    """Facts about the applicant that decision tables may test (never personal data)."""
    profile = getattr(application.applicant, "citizen", None)
    region = getattr(profile, "region_id", None) or ""
    return {
        "applicant_verified": bool(profile is not None and profile.id_number),
        "applicant_in_province": bool(region) and region[:2] == application.region_code[:2],
    }


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
    enterprise_id: int | None = None,
) -> Application:
    """Create or update a draft. Drafts are saved as typed, without validation.

    ``enterprise_id``: an agent applying on behalf of an enterprise they are authorised
    for (anyone else gets "not found").
    """
    version = implementation.published_version
    if version is None or not version.process_ref:
        raise _invalid(MSG_NO_PROCESS, "no_process")
    if application is None:
        enterprise = (
            enterprise_get_for_user(user=user, pk=enterprise_id)
            if enterprise_id is not None
            else None
        )
        return Application.objects.create(
            number=_number(timezone.now()),
            applicant=user,
            enterprise=enterprise,
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
    linked_certificates_recheck(application=locked)
    definition = process_definition_latest(version.process_ref)
    if definition is None:
        raise _invalid(MSG_NO_PROCESS, "no_process")
    now = timezone.now()
    locked.deadline = working_days_add(timezone.localdate(now), version.promised_limit_days)
    locked.definition = definition
    locked.submit_token = submit_token
    locked.submitted_at = now
    spec = process_parse(definition.bpmn_xml, definition.dmn_xml).spec
    _event(locked, "submitted", actor=user)
    wf = runtime.workflow_start(
        spec=spec,
        data={
            "form": _json_ready(cleaned),
            "application_deadline": runtime.end_of_day(locked.deadline).isoformat(),
            **_applicant_facts(locked),
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
