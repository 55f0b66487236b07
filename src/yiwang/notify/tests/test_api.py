from __future__ import annotations

import pytest
from django.test import Client

from yiwang.notify.models import Message
from yiwang.notify.tests import factories

pytestmark = pytest.mark.django_db


def test_my_messages_are_listed_newest_first_and_paginated(client: Client) -> None:
    me = factories.UserFactory()
    mine = factories.MessageFactory.create_batch(22, recipient=me)
    factories.MessageFactory(subject="not mine")
    client.force_login(me)

    first = client.get("/api/v1/messages").json()
    second = client.get("/api/v1/messages", {"page": 2}).json()

    assert first["count"] == 22
    assert [m["id"] for m in first["items"]] == [m.pk for m in reversed(mine)][:20]
    assert [m["id"] for m in second["items"]] == [mine[1].pk, mine[0].pk]
    assert first["items"][0] == {
        "id": mine[-1].pk,
        "template": "notice",
        "subject": mine[-1].subject,
        "body": "Body",
        "link_url": "",
        "created_at": first["items"][0]["created_at"],
        "read_at": None,
    }


def test_mark_read(client: Client) -> None:
    message = factories.MessageFactory()
    client.force_login(message.recipient)

    response = client.post(f"/api/v1/messages/{message.pk}/read")

    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    message.refresh_from_db()
    assert message.read_at is not None


def test_someone_elses_message_is_not_found(client: Client) -> None:
    message = factories.MessageFactory()
    client.force_login(factories.UserFactory())

    response = client.post(f"/api/v1/messages/{message.pk}/read", headers={"accept-language": "en"})

    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "Not found, or you may not see it.",
        "details": None,
    }
    assert Message.objects.get(pk=message.pk).read_at is None


def test_messages_need_a_login(client: Client) -> None:
    assert client.get("/api/v1/messages").status_code == 401
    assert client.post("/api/v1/messages/1/read").status_code == 401


def test_unread_count_and_read_all(client: Client) -> None:
    me = factories.UserFactory()
    factories.MessageFactory.create_batch(3, recipient=me)
    factories.MessageFactory()  # someone else's
    client.force_login(me)

    before = client.get("/api/v1/messages/unread-count").json()
    after = client.post("/api/v1/messages/read-all").json()

    assert (before, after) == ({"unread": 3}, {"unread": 0})
    assert Message.objects.filter(read_at__isnull=True).count() == 1
