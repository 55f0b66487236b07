"""Reads of the audit log, scoped by who asks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from yiwang.audit.models import ACTION_PERSONAL_DATA_READ, AuditEntry

# Roles (accounts.Role values) that may read the audit log; audit sits below accounts and
# cannot import it, so the codes are spelled out here.
ROLE_SUPERVISOR = "supervisor"
ROLE_PLATFORM_ADMIN = "platform_admin"


def staff_audit_roles(user: Any) -> set[str]:
    """The caller's audit-relevant roles; empty for citizens and anonymous users."""
    if not getattr(user, "is_authenticated", False):
        return set()
    staff = getattr(user, "staff", None)
    if staff is None:
        return set()
    roles = {assignment.role for assignment in staff.roles.all()}
    return roles & {ROLE_SUPERVISOR, ROLE_PLATFORM_ADMIN}


def audit_reads_for_subject(*, user: Any) -> QuerySet[AuditEntry]:
    """Reads of ``user``'s own personal data, newest first.

    Only the columns a citizen may see are loaded: the reader's name and department at the
    time, when, why and which fields — never the reader's id, address or region.
    """
    return (
        AuditEntry.objects.filter(subject_id=user.pk, action=ACTION_PERSONAL_DATA_READ)
        .only("sequence", "created_at", "actor_name", "actor_department", "purpose", "details")
        .order_by("-sequence")
    )


def audit_entries_for_staff(
    *,
    user: Any,
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """The audit log as a supervisor or platform admin may see it, newest first.

    A platform admin sees everything. A supervisor sees what happened in their region's
    subtree and what staff of that subtree did elsewhere. Anyone else is refused.
    """
    roles = staff_audit_roles(user)
    if not roles:
        raise PermissionDenied
    entries = AuditEntry.objects.order_by("-sequence")
    if ROLE_PLATFORM_ADMIN not in roles:
        code = user.staff.region_id
        entries = entries.filter(
            Q(region_code__startswith=code) | Q(actor_region_code__startswith=code)
        )
    if action:
        entries = entries.filter(action=action)
    if date_from is not None:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to is not None:
        entries = entries.filter(created_at__date__lte=date_to)
    return entries
