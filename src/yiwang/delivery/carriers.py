"""Carrier adapters: book a shipment (→ tracking number) and poll its tracking events.

The adapter in use is ``settings.DELIVERY_CARRIER`` (a dotted path). ``FakeCarrier`` is
deterministic and offline, for tests and the demo — never production (a system check says
so). ``ManualCarrier`` (also what an empty setting means) books nothing and polls nothing:
clerks enter the carrier and tracking number by hand and record the statuses, and a carrier
may still report events through the signed callback. A real adapter (EMS, SF Express ...)
subclasses :class:`Carrier` and talks to the carrier's API.
"""

from __future__ import annotations

import abc
import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from yiwang.delivery.models import DeliveryOrder

DEFAULT_CARRIER = "yiwang.delivery.carriers.FakeCarrier"
MANUAL_CARRIER = "yiwang.delivery.carriers.ManualCarrier"

# Carriers a clerk can name when entering a tracking number by hand.
KNOWN_CARRIERS = {
    "ems": _("China Post EMS"),
    "sf": _("SF Express"),
    "jd": _("JD Logistics"),
    "zto": _("ZTO Express"),
    "yto": _("YTO Express"),
    "sto": _("STO Express"),
    "yunda": _("Yunda Express"),
    "fake": _("Demo courier"),
}


def carrier_name(code: str) -> str:
    return str(KNOWN_CARRIERS.get(code, code))


def manual_carrier_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in KNOWN_CARRIERS.items() if code != "fake"]


@dataclass(frozen=True)
class TrackingEvent:
    """One scan reported by a carrier; ``event_id`` is unique per shipment."""

    event_id: str
    status: str  # one of models.TRACKED_STATUSES
    occurred_at: dt.datetime
    location: str = ""
    description: str = ""


class Carrier(abc.ABC):
    code: str = ""
    # False: there is no carrier API, so no "book with the carrier" and nothing to poll.
    can_book: bool = True

    @abc.abstractmethod
    def book(self, *, order: DeliveryOrder) -> str:
        """Book a pickup at the sender's address; return the tracking number."""

    @abc.abstractmethod
    def track(
        self, *, tracking_number: str, shipped_at: dt.datetime, now: dt.datetime | None = None
    ) -> list[TrackingEvent]:
        """Every event so far for ``tracking_number``, oldest first."""


class FakeCarrier(Carrier):
    """A courier that always exists: tracking numbers ``YW`` + the order's reference and a
    check digit; the parcel is picked up 30 minutes after booking, in transit after 2
    hours and delivered after 24 hours, all counted from ``shipped_at``."""

    code = "fake"
    STEPS = (
        (dt.timedelta(minutes=30), "picked_up", "广州揽投部", "已揽收"),
        (dt.timedelta(hours=2), "in_transit", "广州邮件处理中心", "运输中"),
        (dt.timedelta(hours=24), "delivered", "天河区投递站", "已签收"),
    )

    def book(self, *, order: DeliveryOrder) -> str:
        body = f"{order.pk:09d}"
        check = sum(int(d) * w for d, w in zip(body, (8, 6, 4, 2, 3, 5, 9, 7, 1), strict=True))
        return f"YW{body}{check % 11 % 10}CN"

    def track(
        self, *, tracking_number: str, shipped_at: dt.datetime, now: dt.datetime | None = None
    ) -> list[TrackingEvent]:
        now = now or timezone.now()
        return [
            TrackingEvent(
                event_id=f"{tracking_number}-{n}",
                status=status,
                occurred_at=shipped_at + after,
                location=location,
                description=description,
            )
            for n, (after, status, location, description) in enumerate(self.STEPS, 1)
            if shipped_at + after <= now
        ]


class ManualCarrier(Carrier):
    """No carrier integration: clerks hand parcels to whichever courier they use, type in
    the carrier and tracking number and record where the parcel is."""

    code = ""
    can_book = False

    def book(self, *, order: DeliveryOrder) -> str:
        raise NotImplementedError("ManualCarrier cannot book: enter the tracking number")

    def track(
        self, *, tracking_number: str, shipped_at: dt.datetime, now: dt.datetime | None = None
    ) -> list[TrackingEvent]:
        return []


def carrier_path() -> str:
    """The configured adapter's dotted path; an empty setting means manual."""
    return getattr(settings, "DELIVERY_CARRIER", DEFAULT_CARRIER) or MANUAL_CARRIER


@cache
def _carrier_class(path: str) -> type[Carrier]:
    cls = import_string(path)
    if not (isinstance(cls, type) and issubclass(cls, Carrier)):
        raise TypeError(f"{path} is not a Carrier")
    return cls


def carrier_class() -> type[Carrier]:
    return _carrier_class(carrier_path())


def carrier_get() -> Carrier:
    return carrier_class()()
