"""What a published text (公示) may not contain: mobile numbers and resident ID numbers.

New texts are refused with a field error; texts published before this check are masked when
they are shown. Candidates are found with loose patterns and confirmed with the validators of
``yiwang.core.ids``; an 18-character ID pattern is refused even with a wrong check digit,
since a mistyped ID number is still somebody's.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yiwang.core.ids import (
    RESIDENT_ID_RE,
    mask_phone,
    mask_resident_id,
    normalize_resident_id,
    validate_phone,
)

MSG_CONTAINS_PHONE = _(
    "Remove the phone number: this text is published, and must not contain personal data."
)
MSG_CONTAINS_ID = _(
    "Remove the ID number: this text is published, and must not contain personal data."
)

# Not part of a longer run of digits; a mobile number may be written 138 0013 8000 or 138-0013-8000.
_PHONE = re.compile(r"(?<![0-9A-Za-z])(?:\+86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?![0-9])")
_RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def _is_phone(candidate: str) -> bool:
    try:
        validate_phone(re.sub(r"[\s-]", "", candidate))
    except ValidationError:
        return False
    return True


def _is_resident_id(candidate: str) -> bool:
    return bool(RESIDENT_ID_RE.match(normalize_resident_id(candidate)))


def personal_data_check(text: str, *, field: str) -> None:
    """Raise a ``ValidationError`` on ``field`` if ``text`` holds a phone or an ID number."""
    if any(_is_resident_id(m.group()) for m in _RESIDENT_ID.finditer(text)):
        raise ValidationError({field: ValidationError(MSG_CONTAINS_ID, code="contains_id")})
    if any(_is_phone(m.group()) for m in _PHONE.finditer(text)):
        raise ValidationError({field: ValidationError(MSG_CONTAINS_PHONE, code="contains_phone")})


def personal_data_mask(text: str) -> str:
    """``text`` with every ID number and mobile number in it masked."""

    def _id(match: re.Match[str]) -> str:
        value = match.group()
        return mask_resident_id(value) if _is_resident_id(value) else value

    def _phone(match: re.Match[str]) -> str:
        value = match.group()
        digits = re.sub(r"[\s-]", "", value).removeprefix("+86")
        return mask_phone(digits) if _is_phone(value) else value

    return _PHONE.sub(_phone, _RESIDENT_ID.sub(_id, text or ""))
