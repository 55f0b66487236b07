"""The permission matrix: role × where the citizen lives relative to the staff member."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from yiwang.accounts import selectors
from yiwang.accounts.models import DepartmentKind, Role, StaffProfile
from yiwang.accounts.tests.factories import (
    CitizenFactory,
    EnterpriseFactory,
    StaffFactory,
    chain_for,
    enterprise_agent,
)
from yiwang.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

STAFF_REGION = "440106"  # 天河区
PLACES = {
    "same": "440106",
    "child": "440106006002",  # a village in 石牌街道
    "parent": "4401",  # 广州市
    "sibling": "440104",  # 越秀区
    "other_province": "450102",  # 南宁市兴宁区
}
READERS = [Role.CLERK, Role.REVIEWER, Role.HALL_MANAGER, Role.COMMUNITY_WORKER, Role.PLATFORM_ADMIN]
NON_READERS = [Role.SUPERVISOR, Role.DEPARTMENT_ADMIN]
VISIBLE = {"same", "child"}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", READERS)
def test_citizen_get_for_staff_matrix(role: str, place: str) -> None:
    staff = StaffFactory(region_code=STAFF_REGION, roles=[role])
    citizen = CitizenFactory(region=chain_for(PLACES[place])[-1])
    if place in VISIBLE:
        got = selectors.citizen_get_for_staff(user=staff, pk=citizen.pk, purpose="受理申请核对身份")
        assert got == citizen
        entry = AuditEntry.objects.get(action="personal_data.read")
        assert (entry.purpose, entry.subject_id, entry.details) == (
            "受理申请核对身份",
            citizen.user_id,
            {"fields": ["real_name", "id_number", "phone"]},
        )
        assert list(selectors.citizen_list_for_staff(user=staff)) == [citizen]
    else:
        with pytest.raises(Http404):
            selectors.citizen_get_for_staff(user=staff, pk=citizen.pk, purpose="受理申请核对身份")
        assert not AuditEntry.objects.filter(action="personal_data.read").exists()
        assert list(selectors.citizen_list_for_staff(user=staff)) == []


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", NON_READERS)
def test_roles_without_need_see_no_citizens(role: str, place: str) -> None:
    staff = StaffFactory(region_code=STAFF_REGION, roles=[role])
    citizen = CitizenFactory(region=chain_for(PLACES[place])[-1])
    with pytest.raises(PermissionDenied):
        selectors.citizen_list_for_staff(user=staff)
    with pytest.raises(PermissionDenied):
        selectors.citizen_get_for_staff(user=staff, pk=citizen.pk, purpose="x")
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("who", ["citizen", "anonymous", "staff_without_profile"])
def test_non_staff_are_refused(who: str) -> None:
    from yiwang.accounts.tests.factories import UserFactory

    user = {
        "citizen": lambda: CitizenFactory().user,
        "anonymous": AnonymousUser,
        "staff_without_profile": lambda: UserFactory(kind="staff"),
    }[who]()
    assert selectors.staff_region_code(user) is None
    with pytest.raises(PermissionDenied):
        selectors.region_scope_q(user=user, field="region__code")
    with pytest.raises(PermissionDenied):
        selectors.citizen_list_for_staff(user=user)


def test_region_scope_q_is_a_prefix_match() -> None:
    staff = StaffFactory(region_code="4401", roles=[Role.SUPERVISOR])
    assert selectors.staff_region_code(staff) == "4401"
    q = selectors.region_scope_q(user=staff, field="region__code")
    assert q.children == [("region__code__startswith", "4401")]


def test_purpose_is_required_and_bounded() -> None:
    staff = StaffFactory(roles=[Role.CLERK])
    citizen = CitizenFactory()
    for purpose, code in [("   ", "required"), ("x" * 201, "max_length")]:
        with pytest.raises(ValidationError) as exc:
            selectors.citizen_get_for_staff(user=staff, pk=citizen.pk, purpose=purpose)
        assert exc.value.error_dict["purpose"][0].code == code
    assert not AuditEntry.objects.exists()


def test_find_by_id_number_uses_blind_index_and_scope() -> None:
    staff = StaffFactory(roles=[Role.CLERK])
    inside = CitizenFactory(region=chain_for("440106006002")[-1])
    outside = CitizenFactory(region=chain_for("440104")[-1])
    found = selectors.citizen_find_for_staff(
        user=staff, id_number=inside.id_number.lower(), purpose="核验"
    )
    assert found == inside
    with pytest.raises(Http404):
        selectors.citizen_find_for_staff(user=staff, id_number=outside.id_number, purpose="核验")
    with pytest.raises(Http404):
        selectors.citizen_find_for_staff(user=staff, id_number="110101199003071234", purpose="核验")
    assert AuditEntry.objects.filter(action="personal_data.read").count() == 1


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [("agent", True), ("other_citizen", False), ("staff_same", True), ("staff_sibling", False)],
)
def test_enterprise_visibility(viewer: str, expected: bool) -> None:
    enterprise = EnterpriseFactory(region=chain_for("440106")[-1])
    agent = CitizenFactory().user
    enterprise_agent(enterprise, agent)
    user = {
        "agent": lambda: agent,
        "other_citizen": lambda: CitizenFactory().user,
        "staff_same": lambda: StaffFactory(region_code="440106"),
        "staff_sibling": lambda: StaffFactory(region_code="440104"),
    }[viewer]()
    assert (enterprise in selectors.enterprise_list_for_user(user=user)) is expected
    if expected:
        assert selectors.enterprise_get_for_user(user=user, pk=enterprise.pk) == enterprise
    else:
        with pytest.raises(Http404):
            selectors.enterprise_get_for_user(user=user, pk=enterprise.pk)


def test_enterprise_list_refuses_anonymous() -> None:
    with pytest.raises(PermissionDenied):
        selectors.enterprise_list_for_user(user=AnonymousUser())


@pytest.mark.parametrize(
    ("kind", "roles", "sees_other_kind"),
    [
        (DepartmentKind.MARKET_REGULATION, [Role.CLERK], False),
        (DepartmentKind.CIVIL_AFFAIRS, [Role.REVIEWER], False),
        (DepartmentKind.DATA, [Role.SUPERVISOR], True),
        (DepartmentKind.GOVERNMENT, [Role.COMMUNITY_WORKER], True),
        (DepartmentKind.MARKET_REGULATION, [Role.PLATFORM_ADMIN], True),
    ],
)
def test_department_scope_q(kind: str, roles: list[str], sees_other_kind: bool) -> None:
    me = StaffFactory(department_kind=kind, roles=roles)
    other_kind = DepartmentKind.HEALTH
    other = StaffFactory(department_kind=other_kind)
    visible = StaffProfile.objects.filter(selectors.department_scope_q(user=me, field="department"))
    assert me.staff in visible
    assert (other.staff in visible) is sees_other_kind


def test_department_scope_q_refuses_citizens() -> None:
    with pytest.raises(PermissionDenied):
        selectors.department_scope_q(user=CitizenFactory().user, field="department")


def test_region_path_from_province_down() -> None:
    staff = StaffFactory(region_code="440106006")
    path = selectors.region_path(staff.staff.region)
    assert [r.code for r in path] == ["44", "4401", "440106", "440106006"]
