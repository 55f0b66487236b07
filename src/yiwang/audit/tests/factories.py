"""Test data for the audit app. Users are made with ``get_user_model()`` and profiles through
the app registry, because audit sits below accounts and must not import it."""

from __future__ import annotations

import itertools
from typing import Any

import factory
from django.apps import apps
from django.contrib.auth import get_user_model

from yiwang.regions.models import CODE_LENGTHS, Region

_numbers = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"audit-user-{n}")
    display_name = factory.Sequence(lambda n: f"User {n}")
    kind = "citizen"
    language = "zh-hans"


def region(code: str) -> Region:
    """The region ``code`` and its ancestors, created on demand."""
    parent = None
    for level, length in sorted(CODE_LENGTHS.items()):
        if length > len(code):
            break
        parent, _ = Region.objects.get_or_create(
            code=code[:length],
            defaults={"name": f"Region {code[:length]}", "level": level, "parent": parent},
        )
    assert parent is not None and parent.code == code
    return parent


def citizen(*, region_code: str | None = None, **kwargs: Any) -> Any:
    user = UserFactory(kind="citizen", **kwargs)
    number = next(_numbers)
    apps.get_model("accounts", "CitizenProfile").objects.create(
        user=user,
        real_name="张三",
        id_number=f"44010619900101{number:04d}",
        phone=f"138{number:08d}",
        region=region(region_code) if region_code else None,
    )
    return user


def staff(
    *, region_code: str, roles: tuple[str, ...] = (), department: str = "Data bureau", **kwargs: Any
) -> Any:
    user = UserFactory(kind="staff", **kwargs)
    place = region(region_code)
    dept, _ = apps.get_model("accounts", "Department").objects.get_or_create(
        region=place, kind="data", defaults={"name": department}
    )
    profile = apps.get_model("accounts", "StaffProfile").objects.create(
        user=user, department=dept, region=place
    )
    for role in roles:
        apps.get_model("accounts", "StaffRole").objects.create(staff=profile, role=role)
    return user
