"""Citizen accounts (群众): registration with real-name data, completing a profile created by a
first phone login, and the few fields a citizen may change themselves."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import CitizenProfile, User, UserKind
from yiwang.core.crypto import blind_index
from yiwang.core.ids import validate_phone, validate_resident_id
from yiwang.regions.models import Region

MSG_ID_NUMBER_TAKEN = _(
    "An account with this resident ID number already exists. Log in with its phone."
)
MSG_PHONE_TAKEN = _("An account with this mobile number already exists. Log in with it instead.")
MSG_NAME_REQUIRED = _("Enter your real name as it is on your ID card.")
MSG_NAME_TOO_LONG = _("A real name has at most 50 characters.")
MSG_REGION_UNKNOWN = _("Choose a region from the list.")
MSG_REGION_REQUIRED = _("Choose the region where you live.")
MSG_PROFILE_ALREADY_COMPLETE = _(
    "Your real-name data is already complete; it cannot be changed here."
)
MSG_LANGUAGE_UNKNOWN = _("Choose Chinese or English.")

LANGUAGES = ("zh-hans", "en")


def phone_index(phone: str) -> str:
    return blind_index(phone, purpose="phone")


def id_number_index(id_number: str) -> str:
    return blind_index(id_number, purpose="resident_id")


def citizen_username(phone: str) -> str:
    """Usernames are not shown to citizens; a digest keeps the phone out of the user table."""
    return "c-" + phone_index(phone)[:24]


def _clean_real_name(real_name: str) -> str:
    name = " ".join(real_name.split())
    if not name:
        raise ValidationError({"real_name": ValidationError(MSG_NAME_REQUIRED, code="required")})
    if len(name) > 50:
        raise ValidationError({"real_name": ValidationError(MSG_NAME_TOO_LONG, code="max_length")})
    return name


def region_for_code(code: str | None, *, field: str = "region_code") -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code.strip()).first()
    if region is None:
        raise ValidationError({field: ValidationError(MSG_REGION_UNKNOWN, code="region_unknown")})
    return region


def _field_error(field: str, exc: ValidationError) -> ValidationError:
    return ValidationError({field: exc.error_list})


def _check_id_number(id_number: str, *, exclude_pk: int | None = None) -> str:
    try:
        number = validate_resident_id(id_number)
    except ValidationError as exc:
        raise _field_error("id_number", exc) from None
    taken = CitizenProfile.objects.filter(id_number_index=id_number_index(number))
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError(
            {"id_number": ValidationError(MSG_ID_NUMBER_TAKEN, code="id_number_taken")}
        )
    return number


def citizen_register(
    *, phone: str, real_name: str, id_number: str, region_code: str | None = None
) -> User:
    """Create a citizen with verified-format real-name data. Nothing is created on error."""
    try:
        phone = validate_phone(phone)
    except ValidationError as exc:
        raise _field_error("phone", exc) from None
    name = _clean_real_name(real_name)
    number = _check_id_number(id_number)
    if CitizenProfile.objects.filter(phone_index=phone_index(phone)).exists():
        raise ValidationError({"phone": ValidationError(MSG_PHONE_TAKEN, code="phone_taken")})
    region = region_for_code(region_code)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                citizen_username(phone), kind=UserKind.CITIZEN, display_name=name
            )
            CitizenProfile.objects.create(
                user=user,
                real_name=name,
                id_number=number,
                phone=phone,
                region=region,
                verified_at=timezone.now(),
            )
    except IntegrityError:  # a concurrent registration won the race on one of the indexes
        raise ValidationError(MSG_ID_NUMBER_TAKEN, code="id_number_taken") from None
    return user


def _real_name_data_check(
    *, real_name: str, id_number: str, region_code: str, exclude_pk: int
) -> tuple[str, str, Region]:
    """Check all three answers together so the page lists every problem at once."""
    errors: dict[str, Any] = {}
    checks: dict[str, Any] = {
        "real_name": lambda: _clean_real_name(real_name),
        "id_number": lambda: _check_id_number(id_number, exclude_pk=exclude_pk),
        "region_code": lambda: region_for_code(region_code),
    }
    values: dict[str, Any] = {}
    for field, check in checks.items():
        try:
            values[field] = check()
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if not region_code and "region_code" not in errors:
        errors["region_code"] = [ValidationError(MSG_REGION_REQUIRED, code="required")]
    if errors:
        raise ValidationError(errors)
    return values["real_name"], values["id_number"], values["region_code"]


def citizen_profile_complete(
    *, user: User, real_name: str, id_number: str, region_code: str
) -> CitizenProfile:
    """Add real-name data to an account that a first phone login created."""
    profile = CitizenProfile.objects.get(user=user)
    if profile.real_name and profile.id_number:
        raise ValidationError(MSG_PROFILE_ALREADY_COMPLETE, code="profile_complete")
    name, number, region = _real_name_data_check(
        real_name=real_name, id_number=id_number, region_code=region_code, exclude_pk=profile.pk
    )
    try:
        with transaction.atomic():
            profile.real_name = name
            profile.id_number = number
            profile.region = region
            profile.verified_at = timezone.now()
            profile.save()
            User.objects.filter(pk=user.pk).update(display_name=name)
    except IntegrityError:
        raise ValidationError(
            {"id_number": ValidationError(MSG_ID_NUMBER_TAKEN, code="id_number_taken")}
        ) from None
    user.display_name = name
    return profile


def _profile_update_check(
    *, email: str | None, language: str | None, region_code: str | None
) -> Region | None:
    """Validate every field at once so the person sees all problems together."""
    errors: dict[str, Any] = {}
    if language is not None and language not in LANGUAGES:
        errors["language"] = ValidationError(MSG_LANGUAGE_UNKNOWN, code="language_unknown")
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            errors["email"] = exc
    region = None
    try:
        region = region_for_code(region_code)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    return region


def profile_update(
    *,
    user: User,
    display_name: str | None = None,
    email: str | None = None,
    language: str | None = None,
    region_code: str | None = None,
) -> User:
    """Change what a person may change about themselves (not their real-name data)."""
    region = _profile_update_check(email=email, language=language, region_code=region_code)
    with transaction.atomic():
        if display_name is not None:
            user.display_name = " ".join(display_name.split())[:100]
        if email is not None:
            user.email = email
        if language is not None:
            user.language = language
        user.save(update_fields=["display_name", "email", "language"])
        if region is not None and user.is_citizen:
            CitizenProfile.objects.filter(user=user).update(region=region)
    return user
