"""The applicant's postal addresses (邮寄地址)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from yiwang.core.ids import validate_phone
from yiwang.delivery.models import PostalAddress
from yiwang.regions.models import Region

MSG_REGION_UNKNOWN = _("Choose the address's region from the list: this code is not in it.")
MSG_REGION_TOO_BROAD = _(
    "Choose the region down to the township or street (乡镇/街道) so the courier can find you."
)
MSG_STREET_REQUIRED = _("Enter the street address, building and room.")
MSG_STREET_TOO_LONG = _("Keep the street address under 200 characters.")
MSG_RECIPIENT_REQUIRED = _("Enter the name of the person who will receive the parcel.")
MSG_RECIPIENT_TOO_LONG = _("Keep the recipient's name under 50 characters.")

TOWNSHIP_CODE_LENGTH = 9


def _clean(value: Any) -> str:
    return " ".join(str(value or "").split())


def address_clean(
    *, region_code: str, street: str, recipient_name: str, recipient_phone: str
) -> dict[str, Any]:
    """Check every field, report all problems at once, keyed by field name."""
    errors: dict[str, ValidationError] = {}
    code = _clean(region_code)
    region = Region.objects.filter(code=code).first() if code.isdigit() else None
    if region is None:
        errors["region"] = ValidationError(MSG_REGION_UNKNOWN, code="region_unknown")
    elif len(region.code) < TOWNSHIP_CODE_LENGTH:
        errors["region"] = ValidationError(MSG_REGION_TOO_BROAD, code="region_too_broad")
    street = _clean(street)
    if not street:
        errors["street"] = ValidationError(MSG_STREET_REQUIRED, code="required")
    elif len(street) > 200:
        errors["street"] = ValidationError(MSG_STREET_TOO_LONG, code="max_length")
    name = _clean(recipient_name)
    if not name:
        errors["recipient_name"] = ValidationError(MSG_RECIPIENT_REQUIRED, code="required")
    elif len(name) > 50:
        errors["recipient_name"] = ValidationError(MSG_RECIPIENT_TOO_LONG, code="max_length")
    try:
        phone = validate_phone(str(recipient_phone or ""))
    except ValidationError as exc:
        errors["recipient_phone"] = exc
    if errors:
        raise ValidationError(errors)
    return {"region": region, "street": street, "recipient_name": name, "recipient_phone": phone}


@transaction.atomic
def address_create(
    *, owner: Any, region_code: str, street: str, recipient_name: str, recipient_phone: str
) -> PostalAddress:
    fields = address_clean(
        region_code=region_code,
        street=street,
        recipient_name=recipient_name,
        recipient_phone=recipient_phone,
    )
    return PostalAddress.objects.create(owner=owner, **fields)


@transaction.atomic
def address_remove(*, owner: Any, address_id: int) -> None:
    """Hide an address from its owner's list; parcels already sent there keep it."""
    updated = PostalAddress.objects.filter(pk=address_id, owner=owner, is_active=True).update(
        is_active=False
    )
    if not updated:
        raise Http404
