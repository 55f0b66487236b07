"""Who may draft and who may publish catalogue content.

Drafting: department admins (and platform admins) of the item's department kind; for an
implementation, also inside their region's subtree. Publishing: reviewers (and platform
admins) under the same scope, and never the author of the draft (four eyes). ``by=None``
in the services means the platform itself (the demo loader, an operator's import command).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import DepartmentKind, Role, User
from yiwang.accounts.selectors import staff_profile

EDITOR_ROLES = frozenset({Role.DEPARTMENT_ADMIN, Role.PLATFORM_ADMIN})
REVIEWER_ROLES = frozenset({Role.REVIEWER, Role.PLATFORM_ADMIN})
COORDINATING_KINDS = frozenset({DepartmentKind.DATA, DepartmentKind.GOVERNMENT})
MSG_OWN_DRAFT = _("Someone other than the author of a draft must review and publish it.")


def _check(user: User | None, roles: frozenset[str], kind: str, region_code: str | None) -> None:
    if user is None:
        return
    staff = staff_profile(user)
    if staff is None or not (staff.role_codes & roles):
        raise PermissionDenied
    platform = Role.PLATFORM_ADMIN in staff.role_codes
    if not platform and staff.department.kind not in COORDINATING_KINDS | {kind}:
        raise PermissionDenied
    if region_code is not None and not region_code.startswith(staff.region_id):
        raise PermissionDenied


def check_can_edit(user: User | None, *, kind: str, region_code: str | None = None) -> None:
    _check(user, EDITOR_ROLES, kind, region_code)


def check_can_publish(
    user: User | None, *, kind: str, author_id: int | None, region_code: str | None = None
) -> None:
    _check(user, REVIEWER_ROLES, kind, region_code)
    if user is not None and author_id == user.pk:
        raise ValidationError(MSG_OWN_DRAFT, code="own_draft")


def can_edit(user: User | None, *, kind: str, region_code: str | None = None) -> bool:
    try:
        check_can_edit(user, kind=kind, region_code=region_code)
    except PermissionDenied:
        return False
    return True
