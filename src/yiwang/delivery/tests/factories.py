"""Delivery test data: applications (made directly, without running a process), addresses,
halls serving the application's implementation, and shipped orders."""

from __future__ import annotations

import itertools
from typing import Any

from yiwang.accounts.models import DepartmentKind, User
from yiwang.accounts.tests.factories import CitizenFactory, StaffFactory, chain_for
from yiwang.applications.models import Application
from yiwang.catalog.tests.factories import published_item
from yiwang.delivery.models import DeliveryOrder, Direction, PostalAddress
from yiwang.delivery.services import address_create, delivery_choice_set, order_ship
from yiwang.halls.models import Hall
from yiwang.halls.tests.factories import hall_create, window_create

_serial = itertools.count(1)
SHIPAI = "440106006"
VILLAGE = "440106006002"


def citizen() -> User:
    return CitizenFactory().user


def application_create(
    *,
    status: str = "approved",
    user: User | None = None,
    region_code: str = "440106",
    kind: str = DepartmentKind.MARKET_REGULATION,
) -> Application:
    _, implementation = published_item(region_code=region_code, kind=kind)
    assert implementation.published_version is not None
    return Application.objects.create(
        number=f"TEST-{next(_serial):06d}",
        applicant=user or citizen(),
        implementation=implementation,
        implementation_version=implementation.published_version,
        status=status,
        region_code=region_code,
    )


def address_for(user: User, *, region_code: str = VILLAGE, **extra: Any) -> PostalAddress:
    chain_for(region_code)
    return address_create(
        owner=user,
        region_code=region_code,
        street=extra.get("street", "石牌路123号5栋601"),
        recipient_name=extra.get("recipient_name", "李明"),
        recipient_phone=extra.get("recipient_phone", "13800138000"),
    )


def hall_serving(application: Application) -> Hall:
    hall = hall_create(region_code=application.region_code)
    window_create(hall, application.implementation)
    return hall


def posted(application: Application | None = None, **kw: Any) -> DeliveryOrder:
    """An application whose applicant chose to receive the result by post."""
    application = application or application_create(**kw)
    address = address_for(application.applicant)
    delivery_choice_set(
        user=application.applicant,
        application=application,
        result_method="post",
        address_id=address.pk,
    )
    return DeliveryOrder.objects.get(application=application, direction=Direction.RESULT_OUT)


def clerk(region_code: str = "440106", kind: str = DepartmentKind.MARKET_REGULATION) -> User:
    return StaffFactory(region_code=region_code, department_kind=kind)


def shipped(order: DeliveryOrder | None = None, *, by: User | None = None) -> DeliveryOrder:
    order = order or posted()
    return order_ship(order=order, by=by or clerk(), book=True)
