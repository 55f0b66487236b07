"""Reads: the applicant's own choice, orders and addresses; the staff list of parcels to
prepare and ship in their region subtree and department line; the unmasked address for a
clerk (a personal-data read, audited with its purpose)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from yiwang.accounts.models import Role
from yiwang.accounts.selectors import department_scope_q, region_scope_q, staff_roles
from yiwang.applications.models import OPEN_STATUSES, Application
from yiwang.applications.selectors import application_get_for_citizen
from yiwang.audit.services import personal_data_read
from yiwang.delivery.models import (
    DeliveryChoice,
    DeliveryOrder,
    DeliveryStatus,
    Direction,
    PostalAddress,
)
from yiwang.delivery.services.choices import CHOOSABLE_STATUSES, MATERIALS_STATUSES
from yiwang.delivery.services.orders import RESULT_READY_STATUSES, result_awaiting_resend
from yiwang.halls.models import Hall
from yiwang.halls.selectors import halls_serving

DELIVERY_ROLES = frozenset({Role.CLERK, Role.HALL_MANAGER, Role.PLATFORM_ADMIN})
ADDRESS_FIELDS = ["recipient_name", "recipient_phone", "street"]

_ORDER_RELATED = (
    "application__implementation__item__published_version",
    "address__region__parent__parent__parent",
    "department",
)


# --- citizens ----------------------------------------------------------------------------


def addresses_for_citizen(*, user: Any) -> QuerySet[PostalAddress]:
    return PostalAddress.objects.filter(owner_id=getattr(user, "pk", None), is_active=True)


def orders_for_citizen(*, user: Any) -> QuerySet[DeliveryOrder]:
    return (
        DeliveryOrder.objects.filter(application__applicant_id=getattr(user, "pk", None))
        .exclude(status=DeliveryStatus.CANCELLED)
        .select_related(*_ORDER_RELATED)
        .prefetch_related("events")
    )


def order_get_for_citizen(*, user: Any, pk: int) -> DeliveryOrder:
    order = orders_for_citizen(user=user).filter(pk=pk).first()
    if order is None:
        raise Http404
    return order


@dataclass(frozen=True)
class ApplicationDelivery:
    application: Application
    choice: DeliveryChoice | None
    orders: list[DeliveryOrder]
    halls: list[Hall]
    addresses: list[PostalAddress]
    can_choose: bool
    can_post_materials: bool
    result_shipped: bool
    # The result came back and nothing has been sent again yet: check the address.
    awaiting_resend: bool = False
    returns: int = 0


def application_delivery_for_citizen(*, user: Any, number: str) -> ApplicationDelivery:
    """Everything the applicant's delivery panel shows; someone else's application is 404."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    application = application_get_for_citizen(user=user, number=number)
    choice = (
        DeliveryChoice.objects.filter(application=application)
        .select_related("pickup_hall", "address__region__parent__parent__parent")
        .first()
    )
    orders = list(orders_for_citizen(user=user).filter(application=application))
    result_shipped = any(
        o.direction == Direction.RESULT_OUT and o.is_shipped and o.status != "returned"
        for o in orders
    )
    return ApplicationDelivery(
        application=application,
        choice=choice,
        orders=orders,
        halls=list(halls_serving(implementation=application.implementation)),
        addresses=list(addresses_for_citizen(user=user).select_related("region")),
        can_choose=application.status in CHOOSABLE_STATUSES and not result_shipped,
        can_post_materials=application.status in MATERIALS_STATUSES,
        result_shipped=result_shipped,
        awaiting_resend=result_awaiting_resend(application=application) is not None,
        returns=_returns(application),
    )


def _returns(application: Application) -> int:
    return DeliveryOrder.objects.filter(
        application=application, direction=Direction.RESULT_OUT, status=DeliveryStatus.RETURNED
    ).count()


# --- staff -------------------------------------------------------------------------------


def orders_for_staff(
    *, user: Any, status: str = "", direction: str = ""
) -> QuerySet[DeliveryOrder]:
    """Parcels of my department line in my region subtree: materials to collect while the
    application is open, results once it is approved or finished. Names and phones stay masked."""
    if not (staff_roles(user) & DELIVERY_ROLES):
        raise PermissionDenied
    orders = (
        DeliveryOrder.objects.filter(region_scope_q(user=user, field="region_code"))
        .filter(department_scope_q(user=user, field="department"))
        .filter(
            Q(direction=Direction.MATERIALS_IN, application__status__in=OPEN_STATUSES)
            | Q(direction=Direction.RESULT_OUT, application__status__in=RESULT_READY_STATUSES)
        )
        .exclude(status=DeliveryStatus.CANCELLED)
        .select_related(*_ORDER_RELATED)
        .annotate(
            resent=Exists(
                DeliveryOrder.objects.filter(resent_from=OuterRef("pk")).exclude(
                    status=DeliveryStatus.CANCELLED
                )
            )
        )
    )
    if status in DeliveryStatus.values:
        orders = orders.filter(status=status)
    if direction in Direction.values:
        orders = orders.filter(direction=direction)
    return orders.order_by("status", "created_at", "pk")


def order_get_for_staff(*, user: Any, pk: int) -> DeliveryOrder:
    order = orders_for_staff(user=user).filter(pk=pk).first()
    if order is None:
        raise Http404
    return order


def orders_get_for_staff(*, user: Any, pks: list[int]) -> list[DeliveryOrder]:
    """Several orders (for a sheet of labels); any one outside scope makes it 404."""
    wanted = set(pks)
    orders = list(orders_for_staff(user=user).filter(pk__in=wanted))
    if not wanted or len(orders) != len(wanted):
        raise Http404
    return sorted(orders, key=lambda o: o.pk)


def order_address_for_staff(*, user: Any, order: DeliveryOrder, purpose: str) -> PostalAddress:
    """The unmasked address of a parcel for a clerk preparing or labelling it: audited."""
    order_get_for_staff(user=user, pk=order.pk)
    personal_data_read(
        actor=user,
        subject=order.application.applicant,
        purpose=purpose,
        fields=list(ADDRESS_FIELDS),
        target_type="delivery.order",
        target_id=str(order.pk),
    )
    return order.address


@dataclass(frozen=True)
class ResendInfo:
    """What the clerk's page says about returns of this application's result."""

    returns: int  # result parcels of the application that came back
    resent_as: DeliveryOrder | None  # the order sent again in place of this returned one
    can_resend: bool
    choice: DeliveryChoice | None  # the applicant's current choice (address masked on screen)
    address_changed: bool  # the applicant chose another address since this parcel left


def order_resend_info(*, order: DeliveryOrder) -> ResendInfo:
    application = order.application
    choice = (
        DeliveryChoice.objects.filter(application=application)
        .select_related("address__region__parent__parent__parent", "pickup_hall")
        .first()
    )
    returned = order.status == DeliveryStatus.RETURNED and order.direction == Direction.RESULT_OUT
    resent_as = order.resends.exclude(status=DeliveryStatus.CANCELLED).first() if returned else None
    awaiting = returned and result_awaiting_resend(application=application) == order
    chosen = choice.address_id if choice is not None else None
    return ResendInfo(
        returns=_returns(application) if order.direction == Direction.RESULT_OUT else 0,
        resent_as=resent_as,
        can_resend=awaiting and choice is not None and choice.result_method == "post",
        choice=choice,
        address_changed=chosen is not None and chosen != order.address_id,
    )
