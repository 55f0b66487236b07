"""Reads of messages, always for the user who asks."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from yiwang.notify.models import DevSms, Message, phone_blind_index

DEV_SMS_LIMIT = 50


def messages_for_user(*, user: Any) -> QuerySet[Message]:
    if not getattr(user, "is_authenticated", False):
        return Message.objects.none()
    return Message.objects.filter(recipient_id=user.pk).order_by("-created_at", "-pk")


def message_get_for_user(*, user: Any, message_id: int) -> Message:
    """One of ``user``'s messages; someone else's is as not-found as a missing one."""
    message = messages_for_user(user=user).filter(pk=message_id).first()
    if message is None:
        raise Http404
    return message


def message_unread_count(*, user: Any) -> int:
    return messages_for_user(user=user).filter(read_at__isnull=True).count()


def dev_sms_recent(*, phone: str = "") -> list[DevSms]:
    """The latest development SMS, all or for one (already validated) phone number."""
    sms = DevSms.objects.order_by("-created_at", "-pk")
    if phone:
        sms = sms.filter(phone_index=phone_blind_index(phone))
    return list(sms[:DEV_SMS_LIMIT])
