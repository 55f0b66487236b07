from __future__ import annotations

import pytest
from django.test import Client

from yiwang.accounts.admin import ADMIN_READ_PURPOSE
from yiwang.accounts.models import Role
from yiwang.accounts.tests.factories import CitizenFactory, StaffFactory, staff_client_login
from yiwang.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def platform_admin() -> object:
    return StaffFactory(
        region_code="44",
        roles=[Role.PLATFORM_ADMIN],
        department_kind="data",
        is_staff=True,
        is_superuser=True,
    )


def test_admin_needs_otp_verified_platform_admin(en_client: Client) -> None:
    admin_user = platform_admin()
    en_client.force_login(admin_user, backend="django.contrib.auth.backends.ModelBackend")
    response = en_client.get("/admin/")
    assert (
        response.status_code == 302
        and "/accounts/staff/login/" in en_client.get(response["Location"])["Location"]
    )
    staff_client_login(en_client, admin_user)
    assert en_client.get("/admin/").status_code == 200


def test_admin_refuses_verified_staff_without_admin_flag(en_client: Client) -> None:
    staff_client_login(en_client, StaffFactory(roles=[Role.CLERK]))
    assert en_client.get("/admin/").status_code == 302


def test_admin_lists_citizens_masked_and_audits_opening_one(en_client: Client) -> None:
    citizen = CitizenFactory(phone="13800138000")
    staff_client_login(en_client, platform_admin())
    listing = en_client.get("/admin/accounts/citizenprofile/").content.decode()
    assert "138****8000" in listing and citizen.id_number not in listing
    assert not AuditEntry.objects.filter(action="personal_data.read").exists()
    detail = en_client.get(f"/admin/accounts/citizenprofile/{citizen.pk}/change/")
    assert detail.status_code == 200 and citizen.id_number in detail.content.decode()
    entry = AuditEntry.objects.get(action="personal_data.read")
    assert (entry.purpose, entry.subject_id) == (ADMIN_READ_PURPOSE, citizen.user_id)


def test_staff_login_returns_to_next(en_client: Client) -> None:
    from yiwang.accounts.tests.factories import totp_now

    staff = StaffFactory(
        username="boss",
        password="correct-horse-battery",
        roles=[Role.PLATFORM_ADMIN],
        is_staff=True,
    )
    en_client.get("/accounts/staff/login/", {"next": "/admin/"})
    en_client.post(
        "/accounts/staff/login/", {"username": "boss", "password": "correct-horse-battery"}
    )
    response = en_client.post("/accounts/staff/login/totp/", {"token": totp_now(staff)})
    assert response["Location"] == "/admin/"
