"""Checks on division codes given by users (URLs, query strings, forms, the import command)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yiwang.regions.models import LEVEL_BY_LENGTH

MSG_CODE_NOT_DIGITS = _("A division code contains only the digits 0–9.")
MSG_CODE_LENGTH = _("A division code has 2, 4, 6, 9 or 12 digits.")


def region_code_clean(code: str, *, field: str = "code") -> str:
    """Return ``code`` stripped of surrounding spaces, or raise a translated ``ValidationError``
    keyed by ``field`` when it cannot be a division code."""
    cleaned = code.strip()
    # str.isdigit() accepts other scripts' digits (e.g. "٤٤"); codes are ASCII only.
    if not cleaned or not (cleaned.isascii() and cleaned.isdigit()):
        raise ValidationError(
            {field: ValidationError(MSG_CODE_NOT_DIGITS, code="region_code_not_digits")}
        )
    if len(cleaned) not in LEVEL_BY_LENGTH:
        raise ValidationError({field: ValidationError(MSG_CODE_LENGTH, code="region_code_length")})
    return cleaned
