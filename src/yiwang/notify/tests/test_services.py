from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import Http404
from django.utils import translation
from pytest_django.fixtures import Settings as SettingsWrapper

from yiwang.core.crypto import blind_index
from yiwang.notify.models import Delivery, DevSms, Message
from yiwang.notify.services import (
    NO_ADDRESS_ERROR,
    message_mark_all_read,
    message_mark_read,
    notification_send,
    sms_send,
)
from yiwang.notify.sms import SentSms
from yiwang.notify.tests import factories

pytestmark = pytest.mark.django_db

OnCommit = Callable[..., Any]

ZH_CODE = "【一网】您的登录验证码为123456，5分钟内有效。请勿泄露给他人。"
EN_CODE = "【一网】Your login code is 123456, valid for 5 minutes. Do not share it."


def test_inapp_message_is_written_after_commit_in_the_users_language(
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    zh_user = factories.UserFactory(language="zh-hans", display_name="张三")
    en_user = factories.UserFactory(language="en", display_name="Alice")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification_send(user=zh_user, template="welcome", context={"link_url": "/me/"})
        notification_send(user=en_user, template="welcome", context={})
        assert Message.objects.count() == 0  # nothing is sent before the commit

    assert len(callbacks) == 2
    zh, en = Message.objects.get(recipient=zh_user), Message.objects.get(recipient=en_user)
    assert (zh.subject, zh.language, zh.link_url) == ("欢迎使用一网", "zh-hans", "/me/")
    assert zh.body.startswith("张三，您好：")
    assert (en.subject, en.language) == ("Welcome to Yiwang", "en")
    assert en.body.startswith("Hello Alice,")
    delivery = Delivery.objects.get(recipient=zh_user)
    assert (delivery.status, delivery.attempts, delivery.message) == ("sent", 1, zh)


def test_nothing_is_sent_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks: OnCommit, sms_outbox: list[SentSms]
) -> None:
    user = factories.citizen()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notification_send(user=user, template="welcome", context={}, channels=("inapp", "sms"))
            raise RuntimeError("the business change failed")

    assert callbacks == []
    assert (Delivery.objects.count(), Message.objects.count(), sms_outbox) == (0, 0, [])


def test_sms_channel_uses_the_citizens_phone(
    django_capture_on_commit_callbacks: OnCommit, sms_outbox: list[SentSms]
) -> None:
    user = factories.citizen(phone="13800138000", language="en")

    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            user=user, template="account_locked", context={"minutes": 15}, channels=("sms",)
        )

    delivery = Delivery.objects.get()
    assert sms_outbox == [
        SentSms(
            phone="13800138000",
            text="【一网】Your account was locked after several failed sign-in attempts. "
            "Try again in 15 minutes. If this was not you, call 12345.",
            reference=delivery.idempotency_key,
        )
    ]
    assert (delivery.channel, delivery.address_masked, delivery.status) == (
        "sms",
        "138****8000",
        "sent",
    )


def test_email_channel_sends_text_and_html(django_capture_on_commit_callbacks: OnCommit) -> None:
    user = factories.UserFactory(email="alice@example.org", language="en")

    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            user=user,
            template="notice",
            context={"subject": "Office closed", "body": "Closed <Monday>."},
            channels=("email",),
        )

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert (email.subject, email.body, email.to) == (
        "Office closed",
        "Closed <Monday>.",
        ["alice@example.org"],
    )
    assert email.alternatives[0] == ("<p>Closed &lt;Monday&gt;.</p>", "text/html")
    delivery = Delivery.objects.get()
    assert email.extra_headers["X-Yiwang-Delivery"] == delivery.idempotency_key
    assert delivery.address_masked == "a***@example.org"


def test_a_channel_without_an_address_is_recorded_failed_and_the_rest_still_go(
    django_capture_on_commit_callbacks: OnCommit, sms_outbox: list[SentSms]
) -> None:
    user = factories.UserFactory(email="")  # no citizen profile, no e-mail

    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            user=user, template="welcome", context={}, channels=("inapp", "sms", "email")
        )

    statuses = dict(Delivery.objects.values_list("channel", "status"))
    assert statuses == {"inapp": "sent", "sms": "failed", "email": "failed"}
    assert set(Delivery.objects.filter(status="failed").values_list("error", flat=True)) == {
        NO_ADDRESS_ERROR
    }
    assert (sms_outbox, mail.outbox) == ([], [])


@pytest.mark.parametrize(
    ("template", "channels", "code", "message"),
    [
        (
            "welcome",
            ("fax",),
            "unknown_channel",
            "“fax” is not a channel; use inapp, sms or email.",
        ),
        ("welcome", (), "no_channel", "Choose at least one channel."),
        (
            "no_such_template",
            ("inapp",),
            "unknown_template",
            "There is no message template called “no_such_template”.",
        ),
        (
            "../../web/base",
            ("inapp",),
            "unknown_template",
            "There is no message template called “../../web/base”.",
        ),
    ],
)
def test_bad_requests_are_refused_and_nothing_queued(
    template: str, channels: tuple[str, ...], code: str, message: str
) -> None:
    user = factories.UserFactory(language="en")

    with pytest.raises(ValidationError) as caught:
        notification_send(user=user, template=template, context={}, channels=channels)

    assert caught.value.code == code
    with translation.override("en"):
        assert caught.value.messages == [message]
    assert Delivery.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "text"), [("zh-hans", ZH_CODE), ("en", EN_CODE), ("fr", ZH_CODE)]
)
def test_login_code_sms_in_both_languages(
    language: str,
    text: str,
    sms_outbox: list[SentSms],
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sms_send(
            phone="+86 138 0013 8000",
            template="login_code",
            context={"code": "123456", "minutes": 5},
            language=language,
        )
        assert sms_outbox == []  # sent once the caller's transaction has committed

    assert [(s.phone, s.text) for s in sms_outbox] == [("13800138000", text)]
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.address_masked, delivery.recipient) == (
        "sent",
        "138****8000",
        None,
    )


def test_sms_to_a_bad_phone_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        sms_send(phone="12345", template="login_code", context={"code": "1"}, language="en")

    assert caught.value.code == "phone_format"
    assert Delivery.objects.count() == 0


def test_console_backend_fills_the_dev_inbox_with_the_phone_encrypted(
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sms_send(
            phone="13800138000",
            template="login_code",
            context={"code": "654321"},
            language="zh-hans",
        )

    sms = DevSms.objects.get()
    assert (sms.phone, sms.masked_phone) == ("13800138000", "138****8000")
    assert sms.phone_index == blind_index("13800138000", purpose="phone")
    assert "654321" in sms.body
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, body FROM notify_devsms")
        phone, text = cursor.fetchone()
        assert "13800138000" not in phone and "654321" not in text
        cursor.execute("SELECT address, body FROM notify_delivery")
        address, body = cursor.fetchone()
    assert "13800138000" not in address and "654321" not in body  # encrypted at rest


def test_message_mark_read_keeps_the_first_time() -> None:
    message = factories.MessageFactory()

    first = message_mark_read(user=message.recipient, message_id=message.pk)
    again = message_mark_read(user=message.recipient, message_id=message.pk)

    assert first.read_at is not None
    assert again.read_at == first.read_at
    message.refresh_from_db()
    assert message.read_at == first.read_at


def test_someone_elses_message_cannot_be_marked_read() -> None:
    message = factories.MessageFactory()
    intruder = factories.UserFactory()

    with pytest.raises(Http404):
        message_mark_read(user=intruder, message_id=message.pk)

    message.refresh_from_db()
    assert message.read_at is None


def test_mark_all_read_touches_only_my_unread_messages() -> None:
    me = factories.UserFactory()
    factories.MessageFactory.create_batch(2, recipient=me)
    theirs = factories.MessageFactory()

    assert message_mark_all_read(user=me) == 2
    assert message_mark_all_read(user=me) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_unknown_language_falls_back_to_chinese(
    django_capture_on_commit_callbacks: OnCommit, settings: SettingsWrapper
) -> None:
    user = factories.UserFactory(language="xx")

    with django_capture_on_commit_callbacks(execute=True):
        notification_send(user=user, template="welcome", context={})

    assert Message.objects.get().subject == "欢迎使用一网"
