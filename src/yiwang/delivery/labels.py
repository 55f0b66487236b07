"""Printable postal labels (邮寄面单): one 100 × 150 mm page per parcel, WeasyPrint with the
Noto CJK fonts the certificates use, and a QR code of the tracking number."""

from __future__ import annotations

import logging
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_log
from yiwang.delivery.models import DeliveryOrder, Direction, region_names
from yiwang.delivery.selectors import order_address_for_staff, orders_get_for_staff
from yiwang.halls.models import Hall
from yiwang.halls.selectors import halls_serving

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _qr(text: str) -> str:
    return str(segno.make(text, error="m", micro=False).svg_data_uri(scale=4, border=2))


def return_hall(order: DeliveryOrder) -> Hall | None:
    """The hall that serves the order's service inside the department's region, the one
    nearest the department's own level first (a district centre before a street station)."""
    region_code = order.department.region_id
    halls = halls_serving(implementation=order.application.implementation).filter(
        region__code__startswith=region_code
    )
    return min(halls, key=lambda h: (len(h.region_id), h.region_id, h.pk), default=None)


def return_address(order: DeliveryOrder) -> dict[str, str]:
    """退件地址: the department at its hall's address and phone; only the region names
    when no hall of the region handles the service."""
    department = order.department
    hall = return_hall(order)
    if hall is None:
        return {"name": department.name, "phone": "", "address": region_names(department.region)}
    return {"name": department.name, "phone": hall.phone, "address": hall.address_zh}


def _label(order: DeliveryOrder, address: Any) -> dict[str, Any]:
    applicant = {
        "name": address.recipient_name,
        "phone": address.recipient_phone,
        "address": f"{address.region_names()} {address.street}",
    }
    office = return_address(order)
    to_applicant = order.direction == Direction.RESULT_OUT
    code = order.tracking_number or order.reference
    item = order.application.implementation.item.published_version
    return {
        "order": order,
        "code": code,
        "qr": _qr(code),
        "sender": office if to_applicant else applicant,
        "recipient": applicant if to_applicant else office,
        "contents": _("Result of application") if to_applicant else _("Application materials"),
        "service": item.name if item else "",
    }


def labels_pdf(*, user: Any, pks: list[int]) -> bytes:
    """One PDF with a label for each order; every address shown is an audited read."""
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    orders = orders_get_for_staff(user=user, pks=pks)
    purpose = _("Print the postal label")
    labels = [
        _label(order, order_address_for_staff(user=user, order=order, purpose=purpose))
        for order in orders
    ]
    audit_log(
        actor=user, action="delivery.labels", target_type="delivery.order",
        target_id=",".join(str(o.pk) for o in orders)[:64],
        region_code=orders[0].region_code, details={"orders": [o.pk for o in orders]},
    )  # fmt: skip
    document = render_to_string("delivery/labels.html", {"labels": labels})
    return bytes(HTML(string=document).write_pdf())
