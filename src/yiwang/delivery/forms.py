"""Reading the delivery forms (plain HTML forms, shared by the fragment and the full page)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import QueryDict

ADDRESS_KEYS = ("region", "street", "recipient_name", "recipient_phone")


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def choice_from_post(post: QueryDict) -> dict[str, Any]:
    """The keyword arguments of ``delivery_choice_set`` from the choice form."""
    address = post.get("address", "")
    new_address = None
    if address == "new":
        new_address = {
            "region_code": post.get("region", ""),
            "street": post.get("street", ""),
            "recipient_name": post.get("recipient_name", ""),
            "recipient_phone": post.get("recipient_phone", ""),
        }
    materials = None
    if post.get("materials_offered"):
        materials = post.get("materials_by_post") == "on"
    return {
        "result_method": post.get("result_method", ""),
        "hall_id": _int(post.get("hall")),
        "address_id": _int(address),
        "new_address": new_address,
        "materials_by_post": materials,
    }


def form_values(post: QueryDict | None, data: Any) -> dict[str, str]:
    """What the form shows: the posted values, else the current choice."""
    if post is not None:
        keys = ("result_method", "hall", "address", *ADDRESS_KEYS)
        values = {key: post.get(key, "") for key in keys}
        values["materials_by_post"] = "on" if post.get("materials_by_post") == "on" else ""
        return values
    choice = data.choice
    saved = data.addresses[0].pk if data.addresses else None
    return {
        "result_method": choice.result_method if choice else "",
        "hall": str(choice.pickup_hall_id or "") if choice else "",
        "address": str((choice.address_id if choice else None) or saved or "new"),
        "region": "", "street": "", "recipient_name": "", "recipient_phone": "",
        "materials_by_post": "on" if choice and choice.materials_by_post else "",
    }  # fmt: skip


def errors_of(exc: ValidationError) -> dict[str, str]:
    """``{field: first message}``; a message for no field is under ``__all__``."""
    if hasattr(exc, "error_dict"):
        field_errors = {field: errs[0].messages[0] for field, errs in exc.error_dict.items()}
        if "region_code" in field_errors:
            field_errors["region"] = field_errors.pop("region_code")
        return field_errors
    return {"form": exc.messages[0]}
