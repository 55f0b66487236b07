"""Chinese identifier checks: resident ID numbers (GB 11643-1999) and unified social credit
codes (GB 32100-2015), plus the masks every screen uses.

Both validators raise ``ValidationError`` with a stable ``code`` and a translated message, so
services, forms and the API report the same thing.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"
RESIDENT_ID_RE = re.compile(r"^\d{17}[\dX]$")

MSG_RESIDENT_ID_FORMAT = _("A resident ID number has 17 digits followed by a digit or X.")
MSG_RESIDENT_ID_DATE = _("The date of birth in this resident ID number does not exist.")
MSG_RESIDENT_ID_CHECK = _("The check digit of this resident ID number is wrong; please check it.")

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_RE = re.compile(rf"^[{USCC_ALPHABET}]{{18}}$")
MSG_USCC_FORMAT = _(
    "A unified social credit code has 18 characters: digits and capital letters "
    "except I, O, S, V and Z."
)
MSG_USCC_CHECK = _("The check character of this unified social credit code is wrong.")


def resident_id_check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK[total % 11]


def normalize_resident_id(value: str) -> str:
    return value.strip().upper().replace(" ", "")


def resident_id_birth_date(value: str) -> dt.date:
    return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def validate_resident_id(value: str, *, today: dt.date | None = None) -> str:
    """Return the normalised 18-character ID number or raise ``ValidationError``."""
    number = normalize_resident_id(value)
    if not RESIDENT_ID_RE.match(number):
        raise ValidationError(MSG_RESIDENT_ID_FORMAT, code="resident_id_format")
    try:
        born = resident_id_birth_date(number)
    except ValueError:
        raise ValidationError(MSG_RESIDENT_ID_DATE, code="resident_id_date") from None
    today = today or dt.date.today()  # noqa: DTZ011 - a calendar date, not an instant
    if born > today or born.year < 1880:
        raise ValidationError(MSG_RESIDENT_ID_DATE, code="resident_id_date")
    if resident_id_check_digit(number[:17]) != number[17]:
        raise ValidationError(MSG_RESIDENT_ID_CHECK, code="resident_id_check")
    return number


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """Return the normalised unified social credit code or raise ``ValidationError``."""
    code = value.strip().upper().replace(" ", "")
    if not USCC_RE.match(code):
        raise ValidationError(MSG_USCC_FORMAT, code="uscc_format")
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(MSG_USCC_CHECK, code="uscc_check")
    return code


def mask_resident_id(value: str) -> str:
    """``440524188001010014`` → ``4405**********0014`` (first four, last four)."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """``13800138000`` → ``138****8000``."""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    """``张三丰`` → ``张**``: the family name stays, the rest is hidden."""
    if not value:
        return value
    return value[0] + "*" * (len(value) - 1)


PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
MSG_PHONE_FORMAT = _("Enter an 11-digit mainland mobile number, for example 13800138000.")


def validate_phone(value: str) -> str:
    phone = value.strip().replace(" ", "").removeprefix("+86")
    if not PHONE_RE.match(phone):
        raise ValidationError(MSG_PHONE_FORMAT, code="phone_format")
    return phone
