"""Who may work rectification orders and who decides appeals."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from yiwang.accounts.models import Role
from yiwang.accounts.selectors import department_scope_q, region_scope_q, staff_roles

# The department's people who answer for a bad rating.
ORDER_ROLES = frozenset(
    {Role.CLERK, Role.REVIEWER, Role.HALL_MANAGER, Role.DEPARTMENT_ADMIN, Role.PLATFORM_ADMIN}
)
# Supervisors (督办) read every order in their region and decide appeals.
SUPERVISOR_ROLES = frozenset({Role.SUPERVISOR, Role.PLATFORM_ADMIN})


def order_scope_q(*, user: Any, prefix: str = "") -> Q:
    """Orders a staff member may see: their region subtree; their department's line unless
    they supervise or work in a coordinating department. PermissionDenied for other roles."""
    roles = staff_roles(user)
    if not roles & (ORDER_ROLES | SUPERVISOR_ROLES):
        raise PermissionDenied
    scope = region_scope_q(user=user, field=f"{prefix}region_code")
    if roles & SUPERVISOR_ROLES:
        return scope
    return scope & department_scope_q(user=user, field=f"{prefix}department")


def can_work_orders(user: Any) -> bool:
    return bool(staff_roles(user) & ORDER_ROLES)


def can_decide_appeals(user: Any) -> bool:
    return bool(staff_roles(user) & SUPERVISOR_ROLES)


def supervisors_for(region_code: str) -> list[Any]:
    """督办: supervisors of ``region_code`` or any region above it."""
    from yiwang.accounts.models import User

    prefixes = [region_code[:n] for n in (2, 4, 6, 9, 12) if n <= len(region_code)]
    return list(
        User.objects.filter(
            is_active=True, staff__region_id__in=prefixes, staff__roles__role=Role.SUPERVISOR
        )
        .distinct()
        .order_by("pk")
    )


def department_staff(department: Any) -> list[Any]:
    """The department's clerks and admins, who are told when an order opens."""
    from yiwang.accounts.models import User

    return list(
        User.objects.filter(
            is_active=True,
            staff__department=department,
            staff__roles__role__in=[Role.CLERK, Role.DEPARTMENT_ADMIN],
        )
        .distinct()
        .order_by("pk")
    )
