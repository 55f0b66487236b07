"""Demo data: the demo citizen 李明's approved 社会保险参保证明 posted to his 石牌街道 address and
in transit with its tracking history, and a second approved one waiting to be shipped by the
广州市 hall (``hallmgr.guangzhou``). Idempotent. With the manual carrier (no booking) the
travelling parcel is entered by hand as an EMS number and marked in transit by the clerk."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import CitizenProfile, User
from yiwang.accounts.services.citizens import phone_index
from yiwang.applications.models import Application, Status
from yiwang.applications.services import application_draft_save, application_submit
from yiwang.catalog.models import Implementation
from yiwang.delivery.carriers import FakeCarrier, carrier_get
from yiwang.delivery.models import (
    DeliveryChoice,
    DeliveryEvent,
    DeliveryOrder,
    DeliveryStatus,
    Direction,
    EventSource,
    PostalAddress,
)
from yiwang.delivery.services import (
    address_create,
    delivery_choice_set,
    order_ship,
    order_status_record,
    orders_track,
)

CITIZEN_PHONE = "13800138000"
SHIPPER = "hallmgr.guangzhou"
INSTANT_ITEM = "RS-0001"  # 社会保险参保证明打印: approved at once by its DMN rules
FORMS = (
    {"contact_phone": CITIZEN_PHONE, "delivery": "post",
     "insurance_types": "养老、医疗、失业、工伤、生育", "insured_since": "2015-07"},
    {"contact_phone": CITIZEN_PHONE, "delivery": "post"},
)  # fmt: skip
ADDRESS = {
    "region_code": "440106006",
    "street": "石牌东路88号华师社区5栋601房",
    "recipient_name": "李明",
    "recipient_phone": CITIZEN_PHONE,
}


def _citizen() -> User | None:
    profile = (
        CitizenProfile.objects.filter(phone_index=phone_index(CITIZEN_PHONE))
        .select_related("user")
        .first()
    )
    return profile.user if profile else None


def _instant_implementation(citizen: User) -> Implementation | None:
    region = getattr(getattr(citizen, "citizen", None), "region_id", "") or ""
    candidates = Implementation.objects.filter(
        item__code=INSTANT_ITEM, published_version__isnull=False
    ).order_by("-region_id")
    return next((i for i in candidates if region.startswith(i.region_id)), None)


def _decided_applications(citizen: User, wanted: int) -> list[Application]:
    """Approved applications of the citizen with no delivery choice yet; submit the instant
    item (approved automatically) until there are ``wanted`` of them."""
    free = list(
        Application.objects.filter(
            applicant=citizen, status__in=[Status.APPROVED, Status.FINISHED]
        ).exclude(pk__in=DeliveryChoice.objects.values("application_id"))
    )
    implementation = _instant_implementation(citizen)
    while len(free) < wanted and implementation is not None:
        submitted = _submit(citizen, implementation)
        if submitted is None or submitted.status != Status.APPROVED:
            break  # the rules did not approve: nothing to post
        free.append(submitted)
    return free[:wanted]


def _submit(citizen: User, implementation: Implementation) -> Application | None:
    """Apply for the instant item with the form its current schema wants (the full one with
    the certificate data first, the bare contact form of an older catalogue second)."""
    for form in FORMS:
        try:
            with transaction.atomic():
                draft = application_draft_save(
                    user=citizen, implementation=implementation, form_data=dict(form)
                )
                return application_submit(
                    user=citizen, application=draft, submit_token=uuid.uuid4()
                )
        except ValidationError:
            continue
    return None


def _address(citizen: User) -> PostalAddress:
    existing = PostalAddress.objects.filter(owner=citizen, is_active=True, region_id="440106006")
    for address in existing:
        if address.street == ADDRESS["street"]:
            return address
    return address_create(owner=citizen, **ADDRESS)


def _backdate(order: DeliveryOrder, hours: int) -> None:
    """Demo only: pretend the parcel left ``hours`` ago, so the fake carrier has news."""
    past = timezone.now() - dt.timedelta(hours=hours)
    DeliveryOrder.objects.filter(pk=order.pk).update(shipped_at=past)
    DeliveryEvent.objects.filter(order=order).update(occurred_at=past)


@transaction.atomic
def delivery_demo_load() -> dict[str, Any]:
    citizen = _citizen()
    shipper = User.objects.filter(username=SHIPPER).first()
    if citizen is None or shipper is None:
        return {"skipped": "run demo_people first"}
    existing = list(
        DeliveryOrder.objects.filter(
            application__applicant=citizen, direction=Direction.RESULT_OUT
        ).exclude(status=DeliveryStatus.CANCELLED)
    )
    if len(existing) >= 2:
        return {"orders": len(existing), "created": 0}
    applications = _decided_applications(citizen, 2 - len(existing))
    address = _address(citizen)
    created = []
    for application in applications:
        delivery_choice_set(
            user=citizen, application=application, result_method="post", address_id=address.pk
        )
        created.append(
            DeliveryOrder.objects.get(application=application, direction=Direction.RESULT_OUT)
        )
    before = len(existing)
    if len(created) == 2 or (created and before):
        # The parcel of the city-level department travels; a district one (which the
        # district clerk also sees) waits in the shipping list.
        created.sort(key=lambda order: (len(order.region_code), order.pk))
        in_transit = created[0]
        if carrier_get().can_book:
            order_ship(order=in_transit, by=shipper, book=True)
            _backdate(in_transit, hours=3)
            orders_track()
        else:  # the manual carrier: what a clerk would type from the EMS receipt
            number = FakeCarrier().book(order=in_transit).replace("YW", "EA", 1)
            order_ship(order=in_transit, by=shipper, carrier="ems", tracking_number=number)
            order_status_record(
                order=in_transit, status=DeliveryStatus.IN_TRANSIT, source=EventSource.CLERK,
                by=shipper, location="广州邮件处理中心",
            )  # fmt: skip
    return {"orders": before + len(created), "created": len(created)}
