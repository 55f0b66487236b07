"""``/api/v1/messages``: my inbox."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from yiwang.notify import selectors, services
from yiwang.notify.models import Message

router = Router(tags=["messages"])


class MessageOut(Schema):
    id: int
    template: str
    subject: str
    body: str
    link_url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


@router.get("", response=list[MessageOut], summary="My messages")
@paginate(PageNumberPagination, page_size=20)
def my_messages(request: HttpRequest) -> QuerySet[Message]:
    """Your in-app messages, newest first, in the language you had when each was sent."""
    return selectors.messages_for_user(user=request.user)


@router.post("/{message_id}/read", response=MessageOut, summary="Mark a message read")
def message_read(request: HttpRequest, message_id: int) -> Message:
    """Marks one of your messages read; reading it again keeps the first time."""
    return services.message_mark_read(user=request.user, message_id=message_id)


class UnreadOut(Schema):
    unread: int


@router.get("/unread-count", response=UnreadOut, summary="How many of my messages are unread")
def unread_count(request: HttpRequest) -> dict[str, int]:
    return {"unread": selectors.message_unread_count(user=request.user)}


@router.post("/read-all", response=UnreadOut, summary="Mark all my messages read")
def read_all(request: HttpRequest) -> dict[str, int]:
    """Returns the number still unread afterwards (0)."""
    services.message_mark_all_read(user=request.user)
    return {"unread": selectors.message_unread_count(user=request.user)}
