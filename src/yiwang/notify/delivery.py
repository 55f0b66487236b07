"""Sending one ``Delivery`` on its channel, exactly once.

The row is locked while it is sent and a delivery already marked sent is skipped, so a
task that runs twice (a retry, two workers) never sends twice. The provider also gets the
delivery's idempotency key, which covers the remaining case: a crash after the provider
accepted the message but before the row was marked sent.
"""

from __future__ import annotations

import structlog
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, linebreaks

from yiwang.notify.models import Channel, Delivery, DeliveryStatus, Message
from yiwang.notify.sms import sms_backend

log = structlog.get_logger(__name__)

MAX_ATTEMPTS = 3


def _send_inapp(delivery: Delivery) -> str:
    if delivery.recipient_id is None:
        raise LookupError("the recipient's account no longer exists")
    with transaction.atomic():
        message = Message.objects.create(
            recipient_id=delivery.recipient_id,
            template=delivery.template,
            language=delivery.language,
            subject=delivery.subject[:200],
            body=delivery.body,
            link_url=delivery.link_url,
        )
    delivery.message = message
    return f"message-{message.pk}"


def _send_sms(delivery: Delivery) -> str:
    return sms_backend().send(
        phone=delivery.address, text=delivery.body, reference=delivery.idempotency_key
    )


def _send_email(delivery: Delivery) -> str:
    email = EmailMultiAlternatives(
        subject=delivery.subject,
        body=delivery.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.address],
        headers={"X-Yiwang-Delivery": delivery.idempotency_key},
    )
    email.attach_alternative(linebreaks(escape(delivery.body)), "text/html")
    email.send()
    return f"email-{delivery.idempotency_key}"


SENDERS = {Channel.INAPP: _send_inapp, Channel.SMS: _send_sms, Channel.EMAIL: _send_email}


def delivery_send(*, delivery_id: int) -> str:
    """Send a queued or failed delivery; return its status afterwards ("" if it is gone)."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None:
            return ""
        if delivery.status == DeliveryStatus.SENT or delivery.attempts >= MAX_ATTEMPTS:
            return str(delivery.status)
        delivery.attempts += 1
        try:
            delivery.provider_id = SENDERS[Channel(delivery.channel)](delivery)[:200]
        except Exception as exc:  # any provider failure is recorded, never raised to the caller
            delivery.status = DeliveryStatus.FAILED
            delivery.error = f"{type(exc).__name__}: {exc}"[:2000]
            log.warning(
                "notify.delivery_failed",
                delivery=delivery.pk,
                channel=delivery.channel,
                error=delivery.error,
                attempts=delivery.attempts,
            )
        else:
            delivery.status = DeliveryStatus.SENT
            delivery.error = ""
            delivery.sent_at = timezone.now()
        delivery.save(
            update_fields=["attempts", "provider_id", "status", "error", "sent_at", "message"]
        )
        return str(delivery.status)
