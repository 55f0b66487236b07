"""Sending messages: one service for in-app messages, SMS and e-mail.

Content is rendered now, in the recipient's language, and stored on a ``Delivery`` per
channel; sending happens after the surrounding transaction commits, so nobody is told about
something that was then rolled back.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.ids import mask_phone, validate_phone
from yiwang.notify import selectors
from yiwang.notify.delivery import MAX_ATTEMPTS, delivery_send
from yiwang.notify.models import Channel, Delivery, DeliveryStatus, Message
from yiwang.notify.rendering import Rendered, message_language, message_render
from yiwang.notify.tasks import deliver

MSG_UNKNOWN_CHANNEL = _("“%(channel)s” is not a channel; use inapp, sms or email.")
MSG_NO_CHANNEL = _("Choose at least one channel.")
NO_ADDRESS_ERROR = "recipient has no address on this channel"


def _mask_email(address: str) -> str:
    name, _at, domain = address.partition("@")
    return f"{name[:1]}***@{domain}" if domain else "***"


def _address(user: Any, channel: str) -> tuple[str, str]:
    """The address to send to on ``channel`` and its masked form for display."""
    if channel == Channel.SMS:
        citizen = getattr(user, "citizen", None)  # a missing profile raises AttributeError
        phone = str(getattr(citizen, "phone", "") or "")
        return phone, mask_phone(phone) if phone else ""
    if channel == Channel.EMAIL:
        email = str(getattr(user, "email", "") or "")
        return email, _mask_email(email) if email else ""
    return "", str(user)[:200]


def _text_for(channel: str, rendered: Rendered) -> str:
    return rendered.sms if channel == Channel.SMS else rendered.body


def notification_send(
    *, user: Any, template: str, context: dict[str, Any], channels: tuple[str, ...] = ("inapp",)
) -> None:
    """Tell ``user`` something on each of ``channels``, after the current transaction commits.

    ``context`` fills the template; ``link_url`` in it becomes the in-app message's link.
    A channel the user has no address for (no phone, no e-mail) is recorded as a failed
    delivery rather than refusing the whole notification.
    """
    if not channels:
        raise ValidationError(MSG_NO_CHANNEL, code="no_channel")
    for channel in channels:
        if channel not in Channel.values:
            raise ValidationError(
                MSG_UNKNOWN_CHANNEL, code="unknown_channel", params={"channel": channel}
            )
    language = message_language(getattr(user, "language", None))
    full_context = {"recipient_name": str(user), **context}
    rendered = message_render(template=template, context=full_context, language=language)
    with transaction.atomic():
        for channel in dict.fromkeys(channels):
            address, masked = _address(user, channel)
            missing = channel != Channel.INAPP and not address
            delivery = Delivery.objects.create(
                channel=channel,
                recipient=user,
                address=address,
                address_masked=masked,
                template=template,
                language=language,
                subject=rendered.subject,
                body=_text_for(channel, rendered),
                link_url=str(context.get("link_url", ""))[:500],
                status=DeliveryStatus.FAILED if missing else DeliveryStatus.QUEUED,
                error=NO_ADDRESS_ERROR if missing else "",
                attempts=MAX_ATTEMPTS if missing else 0,  # nothing to retry
            )
            if not missing:
                transaction.on_commit(partial(deliver.enqueue, delivery.pk))


def sms_send(*, phone: str, template: str, context: dict[str, Any], language: str) -> None:
    """Send an SMS to a phone that may have no account yet (login codes).

    Unlike ``notification_send`` this sends from the request itself once the transaction
    commits, not through the task queue: a login code is useless after five minutes, so it
    must not wait behind a backlog of bulk notifications or on a stopped worker (the demo's
    dev inbox then shows it at once). The price is the gateway's round trip in the request,
    bounded by ``SMS_HTTP_TIMEOUT``. A failed send is recorded on the ``Delivery`` and
    retried by the periodic tick for a few minutes; the user can also ask for a new code.
    """
    phone = validate_phone(phone)
    language = message_language(language)
    rendered = message_render(template=template, context=context, language=language)
    delivery = Delivery.objects.create(
        channel=Channel.SMS,
        address=phone,
        address_masked=mask_phone(phone),
        template=template,
        language=language,
        subject=rendered.subject,
        body=rendered.sms,
    )
    transaction.on_commit(partial(delivery_send, delivery_id=delivery.pk))


def message_mark_read(*, user: Any, message_id: int) -> Message:
    """Mark one of ``user``'s messages read (once: the first read time is kept)."""
    message = selectors.message_get_for_user(user=user, message_id=message_id)
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message


def message_mark_all_read(*, user: Any) -> int:
    return (
        selectors.messages_for_user(user=user)
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now())
    )
