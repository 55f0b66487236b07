from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import timezone

from yiwang.notify.models import DevSms, Message
from yiwang.notify.tests import factories
from yiwang.notify.tests.conftest import SettingsWrapper

pytestmark = pytest.mark.django_db


def test_inbox_lists_my_messages_with_the_unread_count(client: Client) -> None:
    me = factories.UserFactory()
    factories.MessageFactory(recipient=me, subject="First news")
    factories.MessageFactory(recipient=me, subject="Second news")
    factories.MessageFactory(subject="Not for me")
    client.force_login(me)

    page = client.get("/messages/", headers={"accept-language": "en"}).content.decode()

    assert "First news" in page and "Second news" in page and "Not for me" not in page
    assert "2 unread messages" in page


def test_inbox_in_chinese_when_empty(client: Client) -> None:
    client.force_login(factories.UserFactory())

    page = client.get("/messages/", headers={"accept-language": "zh-hans"}).content.decode()

    assert "您还没有消息。" in page


def test_opening_a_message_marks_it_read(client: Client) -> None:
    message = factories.MessageFactory(subject="Hello", body="Line one\nLine <two>")
    client.force_login(message.recipient)

    response = client.get(f"/messages/{message.pk}/")

    assert response.status_code == 200
    assert "Line one<br>Line &lt;two&gt;" in response.content.decode()
    assert Message.objects.get(pk=message.pk).read_at is not None


def test_someone_elses_message_is_not_found(client: Client) -> None:
    message = factories.MessageFactory()
    client.force_login(factories.UserFactory())

    assert client.get(f"/messages/{message.pk}/").status_code == 404
    assert Message.objects.get(pk=message.pk).read_at is None


def test_mark_all_read(client: Client) -> None:
    me = factories.UserFactory()
    factories.MessageFactory.create_batch(2, recipient=me)
    client.force_login(me)

    response = client.post("/messages/read-all/")

    assert response.status_code == 302
    assert Message.objects.filter(recipient=me, read_at__isnull=True).count() == 0
    assert client.get("/messages/read-all/").status_code == 405


def test_inbox_needs_a_login(client: Client) -> None:
    response = client.get("/messages/")

    assert response.status_code == 302
    assert "next=/messages/" in response["Location"]


def test_unread_count_tag() -> None:
    me = factories.UserFactory()
    factories.MessageFactory.create_batch(4, recipient=me)
    factories.MessageFactory(recipient=me, read_at=timezone.now())  # read: not counted
    request = RequestFactory().get("/")
    template = Template("{% load notify_tags %}[{% unread_count %}]")

    request.user = me
    assert template.render(Context({"request": request})) == "[4]"
    request.user = factories.UserFactory()
    assert template.render(Context({"request": request})) == "[0]"
    assert template.render(Context({})) == "[0]"


@pytest.fixture
def dev_sms(settings: SettingsWrapper) -> None:
    settings.SHOW_DEV_CODES = True
    DevSms.objects.create(phone="13800138000", body="【一网】code 111111")
    DevSms.objects.create(phone="13900139000", body="【一网】code 222222")


def test_dev_inbox_lists_sms_with_masked_phones(client: Client, dev_sms: None) -> None:
    page = client.get("/messages/dev-sms/").content.decode()

    assert "111111" in page and "222222" in page
    assert "138****8000" in page and "13800138000" not in page


def test_dev_inbox_filters_by_full_phone(client: Client, dev_sms: None) -> None:
    page = client.get("/messages/dev-sms/", {"phone": "138 0013 8000"}).content.decode()

    assert "111111" in page and "222222" not in page


def test_dev_inbox_rejects_a_bad_phone(client: Client, dev_sms: None) -> None:
    response = client.get(
        "/messages/dev-sms/", {"phone": "12345"}, headers={"accept-language": "en"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter an 11-digit mainland mobile number, for example 13800138000." in page
    assert "111111" not in page


def test_dev_inbox_is_absent_without_show_dev_codes(
    client: Client, dev_sms: None, settings: SettingsWrapper
) -> None:
    settings.SHOW_DEV_CODES = False

    assert client.get("/messages/dev-sms/").status_code == 404
