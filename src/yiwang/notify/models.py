"""Messages to people: the in-app inbox (站内信), one delivery record per channel attempt,
and the development SMS inbox."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.crypto import EncryptedTextField, blind_index
from yiwang.core.ids import mask_phone


class Message(models.Model):
    """站内信: a message in a user's inbox, rendered in their language when it was sent."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="inbox_messages",
        verbose_name=_("recipient"),
    )
    template = models.CharField(_("template"), max_length=64)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    link_url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notify_msg_inbox"),
            models.Index(fields=["recipient", "read_at"], name="notify_msg_unread"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Channel(models.TextChoices):
    INAPP = "inapp", _("In-app message")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


def _new_key() -> str:
    return uuid.uuid4().hex


class Delivery(models.Model):
    """One message on one channel. The content is rendered when it is queued; the address
    and content are encrypted because an SMS may carry a login code and both are personal
    data. ``idempotency_key`` travels to the provider so a retried send is recognised."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    address = EncryptedTextField(_("address"), blank=True)
    address_masked = models.CharField(_("address"), max_length=200, blank=True)
    template = models.CharField(_("template"), max_length=64)
    language = models.CharField(_("language"), max_length=10)
    subject = EncryptedTextField(_("subject"), blank=True)
    body = EncryptedTextField(_("body"))
    link_url = models.CharField(_("link"), max_length=500, blank=True)
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    provider_id = models.CharField(_("provider message id"), max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True, default=_new_key, editable=False)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["status", "created_at"], name="notify_delivery_status")]

    def __str__(self) -> str:
        return f"{self.channel} {self.address_masked} {self.status}"


class DevSms(models.Model):
    """An SMS the console backend "sent": the development inbox that shows login codes in
    the demo. Only written by ``ConsoleSmsBackend``; shown only with ``SHOW_DEV_CODES``."""

    phone = EncryptedTextField(_("mobile phone"))
    phone_index = models.CharField(max_length=64, db_index=True, editable=False)
    body = EncryptedTextField(_("text"))  # login codes: encrypted like Delivery.body
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("development SMS")
        verbose_name_plural = _("development SMS")

    def __str__(self) -> str:
        return self.masked_phone

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.phone_index = phone_blind_index(self.phone)
        super().save(*args, **kwargs)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


def phone_blind_index(phone: str) -> str:
    """The same index as citizens' phones, so one phone is one index across the platform."""
    return blind_index(phone, purpose="phone")
