"""THE permission layer: every read of people data that depends on who is asking.

Region scoping lives here and only here (``staff_region_code`` / ``region_scope_q``); later
apps filter their querysets with ``region_scope_q`` and ``department_scope_q``.

Rules:
* A staff member acts only inside their region's subtree (a region code is a prefix of every
  code below it).
* Personal data of citizens is visible only to roles whose work needs it
  (``CITIZEN_DATA_ROLES``); a supervisor sees statistics, not people.
* Where an object carries a department, a staff member acts only for their own department's
  kind, except in coordinating departments (data bureau, people's government) and for
  platform admins, whose remit spans every line.
* Outside scope the answer is "not found" (Http404), never "forbidden", so nobody learns that
  a record exists. Every view of a citizen's personal data is written to the audit log.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import (
    CitizenProfile,
    DepartmentKind,
    Enterprise,
    EnterpriseAgent,
    Role,
    StaffProfile,
    User,
)
from yiwang.audit.services import personal_data_read
from yiwang.core.crypto import blind_index
from yiwang.core.ids import normalize_resident_id
from yiwang.regions.models import Region

CITIZEN_DATA_ROLES = frozenset(
    {Role.CLERK, Role.REVIEWER, Role.HALL_MANAGER, Role.COMMUNITY_WORKER, Role.PLATFORM_ADMIN}
)
CROSS_DEPARTMENT_KINDS = frozenset({DepartmentKind.DATA, DepartmentKind.GOVERNMENT})
CITIZEN_FIELDS_READ = ["real_name", "id_number", "phone"]
MSG_PURPOSE_REQUIRED = _("State why you need to see this person's data.")
MSG_PURPOSE_TOO_LONG = _("Keep the purpose under 200 characters.")


def staff_profile(user: User | object) -> StaffProfile | None:
    """The user's staff profile (cached on the user), or None for anyone else."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_government_staff:
        return None
    try:
        return user.staff
    except StaffProfile.DoesNotExist:
        return None


def staff_region_code(user: User | object) -> str | None:
    staff = staff_profile(user)
    return staff.region_id if staff is not None else None


def staff_roles(user: User | object) -> set[str]:
    staff = staff_profile(user)
    return staff.role_codes if staff is not None else set()


def region_scope_q(*, user: User | object, field: str) -> Q:
    """``Q`` limiting ``field`` (a region code path, e.g. ``"region__code"``) to the staff
    member's subtree. Anyone who is not staff is refused."""
    code = staff_region_code(user)
    if code is None:
        raise PermissionDenied
    return Q(**{f"{field}__startswith": code})


def department_scope_q(*, user: User | object, field: str) -> Q:
    """``Q`` limiting ``field`` (a path to a Department, e.g. ``"item__department"``) to the
    staff member's department kind. Coordinating departments and platform admins see all."""
    staff = staff_profile(user)
    if staff is None:
        raise PermissionDenied
    if staff.department.kind in CROSS_DEPARTMENT_KINDS or staff.has_role(Role.PLATFORM_ADMIN):
        return Q()
    return Q(**{f"{field}__kind": staff.department.kind})


def region_path(region: Region | None) -> list[Region]:
    """From the province down to ``region`` (at most five small look-ups)."""
    path: list[Region] = []
    while region is not None:
        path.append(region)
        region = region.parent
    return list(reversed(path))


def _citizen_reader(user: User | object) -> StaffProfile:
    staff = staff_profile(user)
    if staff is None or not (staff.role_codes & CITIZEN_DATA_ROLES):
        raise PermissionDenied
    return staff


def citizen_list_for_staff(*, user: User | object) -> QuerySet[CitizenProfile]:
    """Citizens living in the staff member's subtree, for roles that need personal data."""
    _citizen_reader(user)
    return (
        CitizenProfile.objects.select_related("user", "region")
        .filter(region_scope_q(user=user, field="region__code"))
        .order_by("pk")
    )


def _clean_purpose(purpose: str) -> str:
    purpose = " ".join((purpose or "").split())
    if not purpose:
        raise ValidationError({"purpose": ValidationError(MSG_PURPOSE_REQUIRED, code="required")})
    if len(purpose) > 200:
        raise ValidationError({"purpose": ValidationError(MSG_PURPOSE_TOO_LONG, code="max_length")})
    return purpose


def _citizen_read(*, user: User | object, profile: CitizenProfile, purpose: str) -> CitizenProfile:
    personal_data_read(
        actor=user,
        subject=profile.user,
        purpose=purpose,
        fields=list(CITIZEN_FIELDS_READ),
        target_type="accounts.citizenprofile",
        target_id=str(profile.pk),
    )
    return profile


def citizen_get_for_staff(*, user: User | object, pk: int, purpose: str) -> CitizenProfile:
    """One citizen's profile, read for ``purpose`` and audited; Http404 outside scope."""
    purpose = _clean_purpose(purpose)
    profile = citizen_list_for_staff(user=user).filter(pk=pk).first()
    if profile is None:
        raise Http404
    return _citizen_read(user=user, profile=profile, purpose=purpose)


def citizen_find_for_staff(*, user: User | object, id_number: str, purpose: str) -> CitizenProfile:
    """Look a citizen up by resident ID number through its blind index; Http404 if none is
    in scope (the same answer whether the person exists elsewhere or not at all)."""
    purpose = _clean_purpose(purpose)
    index = blind_index(normalize_resident_id(id_number), purpose="resident_id")
    profile = citizen_list_for_staff(user=user).filter(id_number_index=index).first()
    if profile is None:
        raise Http404
    return _citizen_read(user=user, profile=profile, purpose=purpose)


def enterprise_list_for_user(*, user: User | object) -> QuerySet[Enterprise]:
    """Citizens: the enterprises they act for. Staff: enterprises in their subtree."""
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    enterprises = Enterprise.objects.select_related("region").order_by("name", "pk")
    if user.is_citizen:
        return enterprises.filter(enterpriseagent__user=user)
    return enterprises.filter(region_scope_q(user=user, field="region__code"))


def enterprise_get_for_user(*, user: User | object, pk: int) -> Enterprise:
    enterprise = enterprise_list_for_user(user=user).filter(pk=pk).first()
    if enterprise is None:
        raise Http404
    return enterprise


def citizen_profile_for_user(*, user: User | object) -> CitizenProfile | None:
    """The signed-in citizen's own profile (no audit: people reading their own data)."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_citizen:
        return None
    return CitizenProfile.objects.select_related("region").filter(user=user).first()


def enterprise_agents_for_agent(
    *, user: User | object, pk: int
) -> tuple[Enterprise, list[EnterpriseAgent]]:
    """An enterprise the citizen acts for, with its agents (names and phones masked)."""
    if not isinstance(user, User) or not user.is_citizen:
        raise Http404
    enterprise = enterprise_get_for_user(user=user, pk=pk)
    agents = list(
        EnterpriseAgent.objects.filter(enterprise=enterprise)
        .select_related("user__citizen")
        .order_by("authorised_at", "pk")
    )
    return enterprise, agents
