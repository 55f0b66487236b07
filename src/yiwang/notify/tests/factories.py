"""Test data for notify. Users come from ``get_user_model()`` and the citizen profile from
the app registry: notify sits below accounts and must not import it."""

from __future__ import annotations

import itertools
from typing import Any

import factory
from django.apps import apps
from django.contrib.auth import get_user_model

from yiwang.notify.models import Message

_numbers = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"notify-user-{n}")
    display_name = factory.Sequence(lambda n: f"User {n}")
    kind = "citizen"
    language = "zh-hans"


def citizen(*, phone: str = "", **kwargs: Any) -> Any:
    user = UserFactory(kind="citizen", **kwargs)
    number = next(_numbers)
    apps.get_model("accounts", "CitizenProfile").objects.create(
        user=user,
        real_name="张三",
        id_number=f"44010619900102{number:04d}",
        phone=phone or f"139{number:08d}",
    )
    return user


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    recipient = factory.SubFactory(UserFactory)
    template = "notice"
    language = "zh-hans"
    subject = factory.Sequence(lambda n: f"Subject {n}")
    body = "Body"
