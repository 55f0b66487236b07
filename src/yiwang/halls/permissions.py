"""Who may work a hall: clerks and hall managers whose region contains it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from yiwang.accounts.models import Role
from yiwang.accounts.selectors import region_scope_q, staff_roles
from yiwang.halls.models import Hall

HALL_ROLES = frozenset({Role.CLERK, Role.HALL_MANAGER, Role.PLATFORM_ADMIN})


def halls_for_staff(*, user: Any) -> QuerySet[Hall]:
    """Halls in the staff member's region subtree; PermissionDenied for other roles."""
    if not (staff_roles(user) & HALL_ROLES):
        raise PermissionDenied
    return Hall.objects.filter(region_scope_q(user=user, field="region__code")).select_related(
        "region"
    )


def hall_check_staff(*, user: Any, hall: Hall) -> None:
    """Refuse anyone who may not work ``hall``: outside their region it does not exist."""
    if not halls_for_staff(user=user).filter(pk=hall.pk).exists():
        raise Http404
