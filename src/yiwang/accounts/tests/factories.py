"""Test data for accounts, usable by any later app.

CitizenFactory(region=region_chain([...])[-1])   # valid generated resident ID number
EnterpriseFactory()                              # valid generated USCC
StaffFactory(region_code="440106", roles=["clerk"], department__kind="market_regulation")
staff_client_login(client, staff_user)            # a test client logged in with OTP verified
"""

from __future__ import annotations

import itertools
import random
from typing import Any

import factory
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from yiwang.accounts.models import (
    CitizenProfile,
    Department,
    DepartmentKind,
    Enterprise,
    EnterpriseAgent,
    StaffProfile,
    StaffRole,
    User,
    UserKind,
)
from yiwang.core.ids import USCC_ALPHABET, resident_id_check_digit, uscc_check_char
from yiwang.regions.tests.factories import region_chain

_serial = itertools.count(1)
_rng = random.Random(20261125)


def chain_for(code: str) -> list[Any]:
    """Every ancestor of ``code`` and itself (real codes are prefixes of their children)."""
    lengths = [n for n in (2, 4, 6, 9, 12) if n <= len(code)]
    return region_chain([code[:n] for n in lengths])


def valid_resident_id(prefix6: str = "440106", *, serial: int | None = None) -> str:
    n = next(_serial) if serial is None else serial
    birth = f"{1950 + n % 50}{1 + n % 12:02d}{1 + n % 28:02d}"
    first17 = f"{prefix6}{birth}{n % 1000:03d}"
    return first17 + resident_id_check_digit(first17)


def valid_uscc(region6: str = "440106") -> str:
    body = "".join(_rng.choice(USCC_ALPHABET) for _ in range(9))
    first17 = "91" + region6 + body
    return first17 + uscc_check_char(first17)


def valid_phone() -> str:
    return f"139{next(_serial):08d}"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user-{n}")
    display_name = factory.Sequence(lambda n: f"User {n}")
    kind = UserKind.CITIZEN


class CitizenFactory(DjangoModelFactory[CitizenProfile]):
    class Meta:
        model = CitizenProfile

    user = factory.SubFactory(UserFactory, kind=UserKind.CITIZEN)
    real_name = factory.Sequence(lambda n: f"张{n}")
    id_number = factory.LazyFunction(valid_resident_id)
    phone = factory.LazyFunction(valid_phone)
    region = factory.LazyFunction(lambda: chain_for("440106006002")[-1])


class EnterpriseFactory(DjangoModelFactory[Enterprise]):
    class Meta:
        model = Enterprise

    uscc = factory.LazyFunction(valid_uscc)
    name = factory.Sequence(lambda n: f"示例企业{n}有限公司")
    legal_representative = "王五"
    region = factory.LazyFunction(lambda: chain_for("440106")[-1])


def enterprise_agent(enterprise: Enterprise, user: User) -> EnterpriseAgent:
    return EnterpriseAgent.objects.create(enterprise=enterprise, user=user)


class DepartmentFactory(DjangoModelFactory[Department]):
    class Meta:
        model = Department
        django_get_or_create = ("region", "kind")

    name = factory.Sequence(lambda n: f"部门{n}")
    kind = DepartmentKind.MARKET_REGULATION
    region = factory.LazyFunction(lambda: chain_for("440106")[-1])


def StaffFactory(  # noqa: N802 - reads like the other factories
    *,
    region_code: str = "440106",
    roles: list[str] | tuple[str, ...] = ("clerk",),
    department_kind: str = DepartmentKind.MARKET_REGULATION,
    department_region_code: str | None = None,
    username: str | None = None,
    password: str = "correct-horse-battery",  # noqa: S107 - test credential
    **user_extra: Any,
) -> User:
    """A staff user with a profile, roles and a confirmed TOTP device."""
    region = chain_for(region_code)[-1]
    department = DepartmentFactory(
        region=chain_for(department_region_code or region_code)[-1], kind=department_kind
    )
    user = User.objects.create_user(
        username or f"staff-{next(_serial)}",
        password,
        kind=UserKind.STAFF,
        display_name=user_extra.pop("display_name", "测试工作人员"),
        **user_extra,
    )
    staff = StaffProfile.objects.create(user=user, department=department, region=region)
    for role in roles:
        StaffRole.objects.create(staff=staff, role=role)
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


def staff_client_login(client: Client, user: User) -> Client:
    """Log ``client`` in as ``user`` with the OTP step done (``user.is_verified()`` true)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def totp_now(user: User) -> str:
    from django_otp.oath import totp

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
