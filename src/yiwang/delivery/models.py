"""Postal delivery (邮寄办): the applicant's postal addresses, how they want to receive the
result of an application (and whether they post their paper materials), delivery orders
with their carrier, tracking number and append-only status history."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from yiwang.core.crypto import EncryptedTextField
from yiwang.core.ids import mask_name, mask_phone


def region_names(region: Any) -> str:
    """``广东省广州市天河区石牌街道`` in Chinese; ``Shipai, Tianhe, Guangzhou, Guangdong``
    in English (smallest first, as English addresses are written). When any level has no
    English name the whole path stays Chinese: a courier can read that, not a mixture."""
    chain: list[Any] = []
    while region is not None:
        chain.append(region)
        region = region.parent
    english = (translation.get_language() or "zh-hans").startswith("en")
    if english and all(r.name_en for r in chain):
        return ", ".join(r.name_en for r in chain)
    return "".join(r.name for r in reversed(chain))


class PostalAddress(models.Model):
    """邮寄地址: a structured address on the five-level tree (at least 乡/街道) with a street
    address, recipient and phone, encrypted at rest. Orders keep pointing at the address
    they were posted to, so an address is never edited: a change is a new address, and
    "deleting" one only hides it from the owner's list."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="postal_addresses"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    street = EncryptedTextField(_("street address"))
    recipient_name = EncryptedTextField(_("recipient"))
    recipient_phone = EncryptedTextField(_("recipient's phone"))
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("postal address")
        verbose_name_plural = _("postal addresses")

    def __str__(self) -> str:
        return f"{self.region_id} · {self.masked_name}"

    @property
    def masked_name(self) -> str:
        return mask_name(self.recipient_name)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.recipient_phone)

    def region_names(self) -> str:
        return region_names(self.region)

    @property
    def masked_street(self) -> str:
        """The first few characters only: enough to tell two addresses apart."""
        return self.street[:3] + "****" if len(self.street) > 3 else "****"


class ResultMethod(models.TextChoices):
    PICKUP = "pickup", _("Collect at a service hall")
    POST = "post", _("Send by post")


class DeliveryChoice(models.Model):
    """领取方式: how the applicant receives the result of one application, and whether they
    send their paper materials by post (a courier collects them) instead of bringing them."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="delivery_choice"
    )
    result_method = models.CharField(
        _("how to receive the result"), max_length=10, choices=ResultMethod.choices
    )
    pickup_hall = models.ForeignKey(
        "halls.Hall", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.ForeignKey(
        PostalAddress, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    materials_by_post = models.BooleanField(_("send paper materials by post"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("delivery choice")
        verbose_name_plural = _("delivery choices")
        constraints = [
            models.CheckConstraint(
                condition=(Q(result_method="pickup", pickup_hall__isnull=False))
                | Q(result_method="post", address__isnull=False),
                name="delivery_choice_complete",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.result_method}"


class Direction(models.TextChoices):
    MATERIALS_IN = "materials_in", _("Materials to the department")
    RESULT_OUT = "result_out", _("Result to the applicant")


class DeliveryStatus(models.TextChoices):
    CREATED = "created", _("Created")
    PICKED_UP = "picked_up", _("Picked up")
    IN_TRANSIT = "in_transit", _("In transit")
    DELIVERED = "delivered", _("Delivered")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")


# Progress of a parcel: a status may only move to a higher rank (never back, never sideways
# between the two ends). Cancelled is reached only by the applicant changing their mind.
STATUS_RANK = {
    DeliveryStatus.CREATED: 0,
    DeliveryStatus.PICKED_UP: 1,
    DeliveryStatus.IN_TRANSIT: 2,
    DeliveryStatus.DELIVERED: 3,
    DeliveryStatus.RETURNED: 3,
    DeliveryStatus.CANCELLED: 3,
}
FINAL_STATUSES = (DeliveryStatus.DELIVERED, DeliveryStatus.RETURNED, DeliveryStatus.CANCELLED)
IN_FLIGHT_STATUSES = (DeliveryStatus.CREATED, DeliveryStatus.PICKED_UP, DeliveryStatus.IN_TRANSIT)
# What a carrier or a clerk may report after shipping.
TRACKED_STATUSES = (
    DeliveryStatus.PICKED_UP,
    DeliveryStatus.IN_TRANSIT,
    DeliveryStatus.DELIVERED,
    DeliveryStatus.RETURNED,
)


class DeliveryOrder(models.Model):
    """邮寄单: one parcel between the applicant and the department, either paper materials
    coming in (揽收 from the applicant's address) or the result going out."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="delivery_orders"
    )
    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices)
    address = models.ForeignKey(PostalAddress, on_delete=models.PROTECT, related_name="orders")
    # The implementing department and its region: staff scoping is two indexed columns.
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(max_length=12, db_index=True)
    carrier = models.CharField(_("carrier"), max_length=20, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.CREATED
    )
    shipped_at = models.DateTimeField(null=True, blank=True)
    shipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    received_confirmed_at = models.DateTimeField(_("receipt confirmed at"), null=True, blank=True)
    # A result sent again after it came back: the returned order it replaces.
    resent_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="resends"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery order")
        verbose_name_plural = _("delivery orders")
        indexes = [models.Index(fields=["status", "created_at"], name="delivery_order_status")]
        constraints = [
            # One live parcel per application and direction; a returned one may be resent.
            models.UniqueConstraint(
                fields=["application", "direction"],
                condition=~Q(status__in=["returned", "cancelled"]),
                name="delivery_order_one_live",
            ),
            models.UniqueConstraint(
                fields=["carrier", "tracking_number"],
                condition=~Q(tracking_number=""),
                name="delivery_order_tracking_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.direction} {self.tracking_number or '-'}"

    @property
    def is_shipped(self) -> bool:
        return bool(self.tracking_number)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def carrier_name(self) -> str:
        from yiwang.delivery.carriers import carrier_name

        return carrier_name(self.carrier)

    @property
    def reference(self) -> str:
        return f"D{self.pk:08d}"


class EventSource(models.TextChoices):
    CLERK = "clerk", _("Staff")
    CARRIER = "carrier", _("Carrier")
    APPLICANT = "applicant", _("Applicant")


class DeliveryEvent(models.Model):
    """物流轨迹: one line of an order's history. Append-only: rows are never changed."""

    order = models.ForeignKey(DeliveryOrder, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, default="status")  # status | shipped | received
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices)
    source = models.CharField(max_length=10, choices=EventSource.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    location = models.CharField(max_length=120, blank=True)
    note = models.CharField(max_length=300, blank=True)
    # The carrier's own id for the event: the same report twice is recorded once.
    external_id = models.CharField(max_length=80, blank=True)
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name = _("delivery event")
        verbose_name_plural = _("delivery events")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "external_id"],
                condition=~Q(external_id=""),
                name="delivery_event_external_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind} {self.status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("delivery events are append-only")
        super().save(*args, **kwargs)
