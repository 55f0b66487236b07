from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yiwang.notify.models import Delivery, Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    list_display = ["subject", "recipient", "template", "created_at", "read_at"]
    list_filter = ["template"]
    raw_id_fields = ["recipient"]
    search_fields = ["=recipient__username", "subject"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    """Deliveries are a record of what was sent: visible, not editable. The encrypted
    address and text are left out so the list shows no personal data or login codes."""

    list_display = [
        "created_at",
        "channel",
        "address_masked",
        "template",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["channel", "status", "template"]
    fields = readonly_fields = (
        "channel",
        "address_masked",
        "template",
        "language",
        "status",
        "error",
        "attempts",
        "provider_id",
        "idempotency_key",
        "created_at",
        "sent_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
