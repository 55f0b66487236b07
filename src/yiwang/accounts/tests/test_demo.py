from __future__ import annotations

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from yiwang.accounts.demo import (
    AGENT,
    CITIZEN,
    ENTERPRISE,
    REQUIRED_REGIONS,
    STAFF,
    demo_people_load,
)
from yiwang.accounts.models import CitizenProfile, Enterprise, Role, StaffProfile, User
from yiwang.accounts.tests.factories import chain_for
from yiwang.core.ids import validate_resident_id, validate_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions() -> None:
    for code in REQUIRED_REGIONS:
        chain_for(code)


def test_demo_identifiers_are_valid() -> None:
    assert validate_resident_id(CITIZEN[2]) == CITIZEN[2] and CITIZEN[2].startswith("440106")
    assert validate_resident_id(AGENT[2]) == AGENT[2]
    assert validate_uscc(ENTERPRISE[0]) == ENTERPRISE[0]


@time_machine.travel("2026-11-25 10:00:05+08:00", tick=False)  # one TOTP step for the whole test
def test_demo_people_load_is_idempotent_and_codes_work(regions: None) -> None:
    first = demo_people_load()
    second = demo_people_load()
    assert [d.login for d in first] == [d.login for d in second]
    assert [d.otpauth_uri for d in first] == [d.otpauth_uri for d in second]  # fixed secrets
    assert CitizenProfile.objects.count() == 2 and Enterprise.objects.count() == 1
    assert User.objects.filter(kind="staff").count() == len(STAFF)
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser and admin.staff.has_role(Role.PLATFORM_ADMIN)
    clerk = StaffProfile.objects.get(user__username="clerk.tianhe")
    assert (clerk.region_id, clerk.department.kind) == ("440106", "market_regulation")
    for login in first[2:]:
        user = User.objects.get(username=login.login)
        assert user.check_password(login.password)
        device = TOTPDevice.objects.get(user=user)
        assert login.current_code == f"{totp(device.bin_key):06d}"


def test_demo_people_needs_regions() -> None:
    with pytest.raises(CommandError, match="import-regions --province 44"):
        call_command("demo_people")
    assert User.objects.count() == 0


def test_demo_people_command_prints_logins(
    regions: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("demo_people")
    out = capsys.readouterr().out
    assert "13800138000" in out and "clerk.tianhe" in out and "otpauth://totp/" in out
