"""Reviews test data: finished applications and served appointments to rate.

application = finished_application(user=citizen)           # approved, online
booking = served_booking(user=citizen)                     # checked in and served at a hall
rating = rate(user=citizen, subject=application, level=2)  # bad: opens an order
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from yiwang.accounts.models import DepartmentKind, User
from yiwang.accounts.tests.factories import CitizenFactory
from yiwang.applications.models import Application, Status
from yiwang.catalog.tests.factories import published_item
from yiwang.halls.models import Booking, BookingStatus, QueueTicket, TicketStatus
from yiwang.halls.tests.factories import bookable, slot_create
from yiwang.reviews.models import INDICATORS, Channel, Rating
from yiwang.reviews.services import rating_submit

_serial = itertools.count(1)


def citizen() -> User:
    return CitizenFactory().user


def finished_application(
    *,
    user: User | None = None,
    status: str = Status.APPROVED,
    region_code: str = "440106",
    kind: str = DepartmentKind.MARKET_REGULATION,
    decided_at: dt.datetime | None = None,
) -> Application:
    _item, implementation = published_item(region_code=region_code, kind=kind)
    decided = status in {Status.APPROVED, Status.REJECTED, Status.NOT_ACCEPTED, Status.FINISHED}
    return Application.objects.create(
        number=f"TEST{next(_serial):08d}",
        applicant=user or citizen(),
        implementation=implementation,
        implementation_version=implementation.published_version,
        status=status,
        holder_department=implementation.department,
        region_code=region_code,
        submitted_at=timezone.now(),
        decided_at=(decided_at or timezone.now()) if decided else None,
    )


def served_booking(
    *, user: User | None = None, region_code: str = "440106", served: bool = True
) -> Booking:
    setup = bookable(region_code=region_code)
    slot = slot_create(setup.template)
    booking = Booking.objects.create(
        citizen=user or citizen(),
        hall=setup.hall,
        implementation=setup.implementation,
        slot=slot,
        status=BookingStatus.SERVED if served else BookingStatus.CHECKED_IN,
        checked_in_at=timezone.now(),
    )
    QueueTicket.objects.create(
        hall=setup.hall,
        date=timezone.localdate(),
        number=next(_serial),
        booking=booking,
        implementation=setup.implementation,
        status=TicketStatus.SERVED if served else TicketStatus.WAITING,
        served_at=timezone.now() if served else None,
    )
    return booking


def scores(channel: str = Channel.ONLINE, level: int = 4) -> dict[str, int]:
    return {key: level for key, _label in INDICATORS[channel]}


def rate(
    *, user: User, subject: Application | Booking, level: int = 4, named: bool = True, **extra: Any
) -> Rating:
    if isinstance(subject, Application):
        kind, ref, channel = "application", subject.number, Channel.ONLINE
    else:
        kind, ref, channel = "appointment", str(subject.pk), Channel.HALL
    return rating_submit(
        rater=user,
        kind=kind,
        ref=ref,
        level=level,
        scores=extra.pop("scores", scores(channel, level)),
        comment=extra.pop("comment", "窗口让我跑了两趟" if level <= 2 else ""),
        is_named=named,
    )


def bad_order(*, named: bool = True, region_code: str = "440106") -> Any:
    user = citizen()
    application = finished_application(user=user, region_code=region_code)
    return rate(user=user, subject=application, level=2, named=named).order
