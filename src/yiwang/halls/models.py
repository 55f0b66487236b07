"""Service halls (政务服务中心 / 便民服务站), their windows, appointment slots, bookings
(预约办) and the on-site queue (取号叫号)."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yiwang.catalog.models.items import localized

MSG_HOURS_SHAPE = _(
    'Opening hours must map weekdays 0 (Monday) to 6 (Sunday) to lists of ["HH:MM", "HH:MM"] '
    "periods."
)
MSG_HOURS_ORDER = _("Each opening period must end after it starts and after the previous one.")

_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def opening_hours_check(value: Any) -> None:
    """``{"0": [["09:00", "12:00"], ["13:30", "17:00"]], ..., "6": []}``: weekday (0 =
    Monday) to ordered, non-overlapping periods. Missing weekdays are closed."""
    if not isinstance(value, dict):
        raise ValidationError(MSG_HOURS_SHAPE, code="hours_shape")
    for key, periods in value.items():
        if key not in {str(n) for n in range(7)} or not isinstance(periods, list):
            raise ValidationError(MSG_HOURS_SHAPE, code="hours_shape")
        previous_end = ""
        for period in periods:
            if (
                not isinstance(period, list | tuple)
                or len(period) != 2
                or not all(isinstance(t, str) and _TIME.match(t) for t in period)
            ):
                raise ValidationError(MSG_HOURS_SHAPE, code="hours_shape")
            start, end = period
            if not (previous_end <= start < end):
                raise ValidationError(MSG_HOURS_ORDER, code="hours_order")
            previous_end = end


def _parse(hhmm: str) -> dt.time:
    hours, minutes = hhmm.split(":")
    return dt.time(int(hours), int(minutes))


class HallLevel(models.TextChoices):
    CITY = "city", _("City")  # 市级政务服务中心
    COUNTY = "county", _("County or district")  # 县(区)级政务服务中心
    TOWNSHIP = "township", _("Township or street")  # 乡镇(街道)便民服务站


class Hall(models.Model):
    """政务服务中心 / 便民服务站: a place where people apply in person."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=HallLevel.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    address_zh = models.CharField(_("address (Chinese)"), max_length=200)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Weekday → periods; validated by opening_hours_check. Only working days (core.workdays)
    # open: a statutory holiday closes the hall whatever the weekday says.
    opening_hours = models.JSONField(_("opening hours"), default=dict)
    is_active = models.BooleanField(_("open to the public"), default=True)

    class Meta:
        ordering = ["region_id", "name_zh"]
        verbose_name = _("service hall")
        verbose_name_plural = _("service halls")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90), name="halls_hall_latitude"
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180), name="halls_hall_longitude"
            ),
        ]

    def __str__(self) -> str:
        return self.name_zh

    def save(self, *args: Any, **kwargs: Any) -> None:
        opening_hours_check(self.opening_hours)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        opening_hours_check(self.opening_hours)

    @property
    def name(self) -> str:
        return localized(self.name_zh, self.name_en)

    @property
    def address(self) -> str:
        return localized(self.address_zh, self.address_en)

    def periods_on(self, day: dt.date) -> list[tuple[dt.time, dt.time]]:
        """Opening periods on ``day`` by weekday. A 调休 make-up working day on a weekend
        keeps Monday's hours (the State Council moves a weekday there)."""
        periods = self.opening_hours.get(str(day.weekday()), [])
        if not periods and day.weekday() >= 5:
            periods = self.opening_hours.get("0", [])
        return [(_parse(a), _parse(b)) for a, b in periods]

    def weekly_hours(self) -> list[tuple[int, list[list[str]]]]:
        return [(n, self.opening_hours.get(str(n), [])) for n in range(7)]


class Window(models.Model):
    """窗口: one counter in a hall and the implementations (实施清单) it handles."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="windows")
    number = models.PositiveSmallIntegerField(_("window number"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    implementations = models.ManyToManyField(
        "catalog.Implementation", related_name="+", blank=True, verbose_name=_("services")
    )

    class Meta:
        ordering = ["hall", "number"]
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        constraints = [
            models.UniqueConstraint(fields=["hall", "number"], name="halls_window_number")
        ]

    def __str__(self) -> str:
        return f"{self.hall} #{self.number}"

    @property
    def name(self) -> str:
        return localized(self.name_zh, self.name_en)


class SlotTemplate(models.Model):
    """Capacity for one group of items (事项分组) at one hall: every opening period is cut
    into slots of ``slot_minutes`` with ``capacity`` places each."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="slot_templates")
    name_zh = models.CharField(_("item group (Chinese)"), max_length=80)
    name_en = models.CharField(_("item group (English)"), max_length=120, blank=True)
    implementations = models.ManyToManyField(
        "catalog.Implementation", related_name="+", verbose_name=_("services")
    )
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    capacity = models.PositiveSmallIntegerField(_("places per slot"), default=4)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["hall", "pk"]
        verbose_name = _("slot template")
        verbose_name_plural = _("slot templates")
        constraints = [
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5, slot_minutes__lte=240),
                name="halls_template_minutes",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="halls_template_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.hall} · {self.name_zh}"

    @property
    def name(self) -> str:
        return localized(self.name_zh, self.name_en)


class TimeSlot(models.Model):
    """One bookable time at a hall for one item group. ``booked`` is the counter that a
    conditional UPDATE raises, so the database itself refuses to oversell."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="slots")
    template = models.ForeignKey(SlotTemplate, on_delete=models.CASCADE, related_name="slots")
    date = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        indexes = [models.Index(fields=["hall", "date"], name="halls_slot_hall_date")]
        constraints = [
            models.UniqueConstraint(fields=["template", "starts_at"], name="halls_slot_unique"),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="halls_slot_not_oversold"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="halls_slot_span"),
        ]

    def __str__(self) -> str:
        return f"{self.hall} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.booked)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    CHECKED_IN = "checked_in", _("Checked in")
    SERVED = "served", _("Served")
    NO_SHOW = "no_show", _("Did not come")


ACTIVE_STATUSES = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)


def new_qr_token() -> str:
    return secrets.token_urlsafe(18)


class Booking(models.Model):
    """预约: one citizen's appointment for one implementation at one slot."""

    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hall_bookings"
    )
    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="bookings")
    implementation = models.ForeignKey(
        "catalog.Implementation", on_delete=models.PROTECT, related_name="+"
    )
    slot = models.ForeignKey(TimeSlot, on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    # What the QR code on "my bookings" carries; unguessable, shown only to its owner.
    qr_token = models.CharField(max_length=40, unique=True, default=new_qr_token)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            # One active booking per person per item, even if two requests race.
            models.UniqueConstraint(
                fields=["citizen", "implementation"],
                condition=Q(status__in=["booked", "checked_in"]),
                name="halls_booking_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.citizen_id} @ {self.slot}"

    @property
    def reference(self) -> str:
        return f"YY{self.pk:08d}"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVED = "served", _("Served")


class QueueTicket(models.Model):
    """排队号: a number taken on arrival, called to a window, served or transferred."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="tickets")
    date = models.DateField(_("date"))
    number = models.PositiveIntegerField(_("number"))
    booking = models.OneToOneField(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="ticket"
    )
    implementation = models.ForeignKey(
        "catalog.Implementation", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    window = models.ForeignKey(
        Window, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets"
    )
    # Set by a transfer: this window calls the ticket before its own queue.
    transferred_to = models.ForeignKey(
        Window, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    called_at = models.DateTimeField(null=True, blank=True)
    served_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "number"]
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        constraints = [
            models.UniqueConstraint(fields=["hall", "date", "number"], name="halls_ticket_number")
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return f"A{self.number:03d}"


class QueueCounter(models.Model):
    """The last number handed out at a hall on a day (raised by a conditional UPDATE)."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hall", "date"], name="halls_counter_hall_date")
        ]

    def __str__(self) -> str:
        return f"{self.hall_id} {self.date}: {self.last}"
