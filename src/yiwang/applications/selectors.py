"""Reads scoped by who asks: citizens see their own applications, staff see work in their
region subtree and department line. Anything else is "not found"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from yiwang.accounts.models import Role
from yiwang.accounts.selectors import department_scope_q, region_scope_q, staff_roles
from yiwang.applications.models import (
    Application,
    ApplicationEvent,
    AutomatedDecision,
    WorkItem,
    WorkItemStatus,
)
from yiwang.audit.services import personal_data_read

INBOX_VIEWS = ("mine", "pool", "overdue", "done")


def work_items_for_staff(*, user: Any) -> QuerySet[WorkItem]:
    """Work items in the staff member's region subtree and department line."""
    return (
        WorkItem.objects.filter(region_scope_q(user=user, field="region_code"))
        .filter(department_scope_q(user=user, field="department"))
        .select_related(
            "application__implementation__item__published_version",
            "department",
            "claimed_by",
        )
    )


INBOX_SORTS = ("deadline", "-deadline")


@dataclass(frozen=True)
class InboxFilters:
    """What a clerk narrowed the inbox to. Every field is optional."""

    item: str = ""  # service item code
    status: str = ""  # application status
    overdue: bool = False
    number: str = ""  # application number, or its beginning
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None
    sort: str = "deadline"


def inbox_for_staff(
    *, user: Any, view: str = "mine", filters: InboxFilters | None = None
) -> QuerySet[WorkItem]:
    """My tasks, my department's unclaimed pool, overdue, or recently done; filtered and
    sorted by deadline. Each view is served by one of WorkItem's indexes: open items by
    (deadline, id) for the pool and overdue, (claimed_by, status, deadline, id) for mine,
    (completed_by, status, completed_at) for done (EXPLAINed on PostgreSQL at 100,000)."""
    filters = filters or InboxFilters()
    items = _inbox_filtered(_inbox_view(work_items_for_staff(user=user), user, view), filters)
    if view == "done" and filters.sort not in INBOX_SORTS:
        return items.order_by("-completed_at", "-id")
    # Plain orders (deadlines are set at submission, never null): the partial index on
    # (deadline, id) serves both directions.
    if filters.sort == "-deadline":
        return items.order_by("-deadline", "-id")
    return items.order_by("deadline", "id")


def _inbox_view(items: QuerySet[WorkItem], user: Any, view: str) -> QuerySet[WorkItem]:
    if view == "pool":
        return items.filter(status=WorkItemStatus.OPEN, claimed_by__isnull=True)
    if view == "overdue":
        return items.filter(status=WorkItemStatus.OPEN, deadline__lt=timezone.localdate())
    if view == "done":
        return items.filter(status=WorkItemStatus.DONE, completed_by=user)
    return items.filter(status=WorkItemStatus.OPEN, claimed_by=user)


def _inbox_filtered(items: QuerySet[WorkItem], filters: InboxFilters) -> QuerySet[WorkItem]:
    conditions = Q()
    if filters.item:
        conditions &= Q(application__implementation__item__code=filters.item)
    if filters.status:
        conditions &= Q(application__status=filters.status)
    if filters.overdue:
        conditions &= Q(status=WorkItemStatus.OPEN, deadline__lt=timezone.localdate())
    if filters.number:
        conditions &= Q(application__number__startswith=filters.number.strip())
    if filters.submitted_from:
        conditions &= Q(application__submitted_at__gte=_day_start(filters.submitted_from))
    if filters.submitted_to:
        end = _day_start(filters.submitted_to + dt.timedelta(days=1))
        conditions &= Q(application__submitted_at__lt=end)
    return items.filter(conditions)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def inbox_item_choices(*, user: Any) -> list[tuple[str, str]]:
    """(item code, name) of the services applied for online in the reader's region subtree,
    for the filter. Read from the catalogue (a few hundred rows), not from the work items
    (a distinct over 100,000 rows costs more than the inbox page itself)."""
    from yiwang.catalog.models import Implementation

    rows = (
        Implementation.objects.filter(region_scope_q(user=user, field="region__code"))
        .exclude(published_version__process_ref="")
        .filter(published_version__isnull=False)
        .values_list(
            "item__code", "item__published_version__name_zh", "item__published_version__name_en"
        )
        .distinct()
    )
    english = (get_language() or "").startswith("en")
    return sorted({(code, (en if english and en else zh) or code) for code, zh, en in rows})


def work_item_get_for_staff(*, user: Any, item_id: int) -> WorkItem:
    try:
        return work_items_for_staff(user=user).get(pk=item_id)
    except WorkItem.DoesNotExist as exc:
        raise Http404 from exc


def applications_for_citizen(*, user: Any) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).select_related(
        "implementation__item__published_version", "holder_department"
    )


def application_get_for_citizen(*, user: Any, number: str) -> Application:
    try:
        return applications_for_citizen(user=user).get(number=number)
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def timeline_for_citizen(application: Application) -> QuerySet[ApplicationEvent]:
    """What the applicant sees: never the staff's internal notes."""
    return application.events.filter(visible_to_applicant=True).select_related("department")


def form_rows(application: Application) -> list[tuple[str, Any]]:
    """The form as the applicant filled it, each value under its field title in the
    reader's language (fields the schema no longer has keep their key)."""
    properties = application.implementation_version.form_schema.get("properties", {})
    english = (get_language() or "").startswith("en")
    rows = []
    for key, value in (application.form_data or {}).items():
        title = properties.get(key, {}).get("title", {})
        label = (title.get("en") if english else title.get("zh")) or title.get("zh") or key
        rows.append((str(label), value))
    return rows


def timeline_for_staff(application: Application) -> QuerySet[ApplicationEvent]:
    """Everything, internal notes included (the caller already scoped the application)."""
    return application.events.select_related("department", "actor")


def reusable_certificates(*, user: Any, application: Application) -> dict[int, list[Any]]:
    """免提交: per material of the application that names a certificate type, the applicant's
    valid (not revoked, not expired) certificates of that type."""
    from yiwang.certificates.models import CertificateStatus
    from yiwang.certificates.selectors import certificates_for_holder

    materials = [
        m for m in application.implementation_version.materials.all() if m.reusable_certificate_type
    ]
    if not materials:
        return {}
    now = timezone.now()
    held = list(
        certificates_for_holder(user=user)
        .filter(
            status=CertificateStatus.ACTIVE,
            certificate_type__code__in={m.reusable_certificate_type for m in materials},
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
    )
    return {
        m.pk: [c for c in held if c.certificate_type.code == m.reusable_certificate_type]
        for m in materials
    }


def applicant_details_for_staff(
    *, user: Any, application: Application, purpose: str
) -> dict[str, str]:
    """The applicant's name and phone for a clerk handling the case: one audit entry each
    time, with the purpose the clerk gave."""
    profile = getattr(application.applicant, "citizen", None)
    personal_data_read(
        actor=user,
        subject=application.applicant,
        purpose=purpose,
        fields=["real_name", "phone", "id_number"],
        target_type="application",
        target_id=application.number,
    )
    if profile is None:
        return {"real_name": "", "phone": "", "id_number": ""}
    return {
        "real_name": profile.real_name,
        "phone": profile.phone,
        "id_number": profile.id_number,
    }


def supplement_checklist(application: Application) -> list[str]:
    """What the department asked for in its latest 补正 request, while it is pending."""
    if application.status != "supplement_requested":
        return []
    event = application.events.filter(kind="step.supplement").order_by("-created_at", "-id").first()
    return [str(item) for item in event.details.get("checklist", [])] if event else []


def decision_reason(application: Application) -> str:
    """The reason shown to the applicant: the rule's own words, in their language, when
    the rules decided; else what the clerk wrote."""
    automated = AutomatedDecision.objects.filter(application=application).first()
    return automated.reason if automated else application.decision_reason


def automated_decision(application: Application) -> AutomatedDecision | None:
    return AutomatedDecision.objects.filter(application=application).first()


def item_actions(item: WorkItem) -> list[str]:
    """What a clerk may do at this step: the process's choices, or uphold/overturn for
    the review of an appealed automated decision."""
    from yiwang.applications.services.appeals import APPEAL_ACTIONS, APPEAL_STEP

    if item.bpmn_id == APPEAL_STEP:
        return list(APPEAL_ACTIONS)
    definition = item.application.definition
    steps = definition.user_tasks if definition else {}
    return list(steps.get(item.bpmn_id, {}).get("actions", []))


RULE_READER_ROLES = {Role.SUPERVISOR, Role.DEPARTMENT_ADMIN, Role.PLATFORM_ADMIN}


def rule_figures_for_staff(*, user: Any) -> list[dict[str, Any]]:
    """Per decision table and rule, in the reader's region: how many decisions it made, how
    many were appealed and how many a person overturned (问责: the rule answers for them)."""
    if not staff_roles(user) & RULE_READER_ROLES:
        raise PermissionDenied
    rows = (
        AutomatedDecision.objects.filter(
            region_scope_q(user=user, field="application__region_code")
        )
        .values("decision_ref", "rule_id", "definition__version")
        .annotate(
            decided=Count("id"),
            appealed=Count("id", filter=Q(appealed_at__isnull=False)),
            overturned=Count("id", filter=Q(overturned=True)),
        )
        .order_by("decision_ref", "rule_id", "definition__version")
    )
    out = []
    for row in rows:
        decided = row["decided"] or 1
        out.append(
            {
                "decision_ref": row["decision_ref"],
                "rule_id": row["rule_id"],
                "version": row["definition__version"],
                "decided": row["decided"],
                "appealed": row["appealed"],
                "overturned": row["overturned"],
                "appeal_rate": row["appealed"] / decided,
                "overturn_rate": row["overturned"] / decided,
            }
        )
    return out
