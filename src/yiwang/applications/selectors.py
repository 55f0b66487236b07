"""Reads scoped by who asks."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from yiwang.accounts.selectors import department_scope_q, region_scope_q
from yiwang.applications.models import Application, WorkItem


def work_items_for_staff(*, user: Any) -> QuerySet[WorkItem]:
    """Work items in the staff member's region subtree and department line."""
    return (
        WorkItem.objects.filter(region_scope_q(user=user, field="region_code"))
        .filter(department_scope_q(user=user, field="department"))
        .select_related("application", "department")
    )


def applications_for_citizen(*, user: Any) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).select_related(
        "implementation__item", "holder_department"
    )
