"""The applicant's choice per application (领取方式): collect the result at a hall or have it
posted, and (before acceptance) whether a courier collects the paper materials."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from yiwang.applications.models import Application, Status
from yiwang.delivery.models import (
    DeliveryChoice,
    DeliveryOrder,
    DeliveryStatus,
    Direction,
    PostalAddress,
    ResultMethod,
)
from yiwang.delivery.services.addresses import address_create
from yiwang.delivery.services.orders import (
    order_cancel_unshipped,
    order_open,
    result_awaiting_resend,
)
from yiwang.halls.models import Hall
from yiwang.halls.selectors import halls_serving

MSG_METHOD_REQUIRED = _("Choose how you want to receive the result.")
MSG_HALL_REQUIRED = _("Choose the hall where you will collect the result.")
MSG_HALL_NOT_SERVING = _("This hall does not handle this service. Choose one from the list.")
MSG_ADDRESS_REQUIRED = _("Choose a saved address or enter a new one.")
MSG_RESULT_SHIPPED = _("The result has already been sent, so how you receive it can't change.")
MSG_MATERIALS_TOO_LATE = _(
    "The application has already been accepted, so the materials can no longer be posted."
)
MSG_MATERIALS_SHIPPED = _("A courier has already been booked for your materials.")
MSG_NOTHING_TO_DELIVER = _("This application has ended without a result to deliver.")

CHOOSABLE_STATUSES = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.SUPPLEMENT_REQUESTED,
    Status.UNDER_REVIEW,
    Status.APPROVED,
    Status.FINISHED,
)
# Materials can be sent by post while nobody has accepted the application yet.
MATERIALS_STATUSES = (Status.DRAFT, Status.SUBMITTED)


def _shipped(application: Application, direction: str) -> bool:
    return (
        DeliveryOrder.objects.filter(application=application, direction=direction)
        .exclude(status__in=[DeliveryStatus.CANCELLED])
        .exclude(tracking_number="")
        .exclude(status=DeliveryStatus.RETURNED)
        .exists()
    )


def _address(user: Any, address_id: int | None, new_address: dict[str, str] | None) -> Any:
    if new_address is not None:
        try:
            return address_create(owner=user, **new_address)
        except ValidationError as exc:
            raise ValidationError(exc.error_dict) from None
    if address_id:
        found = PostalAddress.objects.filter(pk=address_id, owner=user, is_active=True).first()
        if found is None:
            raise Http404
        return found
    raise ValidationError({"address": ValidationError(MSG_ADDRESS_REQUIRED, code="required")})


def _check_changes(
    application: Application,
    current: DeliveryChoice | None,
    wants_materials: bool,
    result_method: str,
    address_id: int | None,
    new_address: dict[str, str] | None,
) -> None:
    """Refuse what can no longer change: materials after acceptance or once collected, the
    result's method or address once it has been sent."""
    materials_now = current.materials_by_post if current else False
    if wants_materials != materials_now:
        if application.status not in MATERIALS_STATUSES:
            raise ValidationError(MSG_MATERIALS_TOO_LATE, code="materials_too_late")
        if not wants_materials and _shipped(application, Direction.MATERIALS_IN):
            raise ValidationError(MSG_MATERIALS_SHIPPED, code="materials_shipped")
    if current is not None and _shipped(application, Direction.RESULT_OUT):
        unchanged = (
            result_method == current.result_method
            and (address_id or None) == current.address_id
            and new_address is None
        )
        if not unchanged:
            raise ValidationError(MSG_RESULT_SHIPPED, code="result_shipped")


def _pickup_hall(application: Application, hall_id: int | None) -> Hall:
    if not hall_id:
        raise ValidationError({"hall": ValidationError(MSG_HALL_REQUIRED, code="required")})
    hall = halls_serving(implementation=application.implementation).filter(pk=hall_id).first()
    if hall is None:
        raise ValidationError(
            {"hall": ValidationError(MSG_HALL_NOT_SERVING, code="hall_not_serving")}
        )
    return hall


def _orders_sync(
    application: Application,
    user: Any,
    choice: DeliveryChoice,
    address: PostalAddress | None,
    materials_live: bool,
) -> None:
    """Open, re-address or cancel the unshipped orders so they match the choice. After a
    return the corrected choice is only saved: the clerk resends (``order_resend``)."""
    if not _shipped(application, Direction.RESULT_OUT):
        if choice.result_method == ResultMethod.POST and address is not None:
            if result_awaiting_resend(application=application) is None:
                order_open(application=application, direction=Direction.RESULT_OUT, address=address)
        else:
            order_cancel_unshipped(
                application=application, direction=Direction.RESULT_OUT, actor=user
            )
    if materials_live and address is not None:
        if not _shipped(application, Direction.MATERIALS_IN):
            order_open(application=application, direction=Direction.MATERIALS_IN, address=address)
    elif not choice.materials_by_post:
        order_cancel_unshipped(
            application=application, direction=Direction.MATERIALS_IN, actor=user
        )


@transaction.atomic
def delivery_choice_set(
    *,
    user: Any,
    application: Application,
    result_method: str,
    hall_id: int | None = None,
    address_id: int | None = None,
    new_address: dict[str, str] | None = None,
    materials_by_post: bool | None = None,
) -> DeliveryChoice:
    """Record (or change) the choice. Posting creates the result's delivery order now; staff
    see it once the application is approved. ``new_address`` (region_code, street,
    recipient_name, recipient_phone) saves a new address and uses it."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.applicant_id != getattr(user, "pk", None):
        raise Http404
    if application.status not in CHOOSABLE_STATUSES:
        raise ValidationError(MSG_NOTHING_TO_DELIVER, code="nothing_to_deliver")
    current = DeliveryChoice.objects.filter(application=application).first()
    if result_method not in ResultMethod.values:
        raise ValidationError(
            {"result_method": ValidationError(MSG_METHOD_REQUIRED, code="required")}
        )
    materials_now = current.materials_by_post if current else False
    wants_materials = materials_now if materials_by_post is None else materials_by_post
    _check_changes(application, current, wants_materials, result_method, address_id, new_address)
    hall: Hall | None = None
    address: PostalAddress | None = None
    if result_method == ResultMethod.PICKUP:
        hall = _pickup_hall(application, hall_id)
    materials_live = wants_materials and application.status in MATERIALS_STATUSES
    if result_method == ResultMethod.POST or materials_live:
        address = _address(user, address_id, new_address)

    choice, _created = DeliveryChoice.objects.update_or_create(
        application=application,
        defaults={
            "result_method": result_method,
            "pickup_hall": hall,
            "address": address if result_method == ResultMethod.POST else None,
            "materials_by_post": wants_materials,
        },
    )
    _orders_sync(application, user, choice, address, materials_live)
    return choice
