"""Staff accounts (工作人员): creation with roles and a TOTP device, and the two login steps
(password checked by Django + django-axes, then a TOTP code)."""

from __future__ import annotations

import binascii
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from yiwang.accounts.models import Department, Role, StaffProfile, StaffRole, User, UserKind
from yiwang.accounts.services.citizens import region_for_code
from yiwang.audit.services import audit_log
from yiwang.core.ratelimit import rate_limit_hit, rate_limit_peek

MSG_USERNAME_TAKEN = _("This username is already taken.")
MSG_USERNAME_REQUIRED = _("Enter a username of at most 150 characters.")
MSG_ROLE_UNKNOWN = _("Unknown role: %(role)s.")
MSG_ROLES_REQUIRED = _("Give the staff member at least one role.")
MSG_REGION_OUTSIDE_DEPARTMENT = _(
    "A staff member's region must be inside their department's region."
)
MSG_TOTP_WRONG = _("The code from the authenticator app is not right. Try the current code.")
MSG_TOTP_LOCKED = _("Too many wrong authenticator codes. Try again in 30 minutes.")
MSG_NO_TOTP_DEVICE = _("This account has no authenticator set up. Ask your platform administrator.")

TOTP_FAILURE_LIMIT = 5
TOTP_FAILURE_WINDOW = 1800


@dataclass(frozen=True)
class StaffCreated:
    user: User
    staff: StaffProfile
    device: TOTPDevice
    otpauth_uri: str


def staff_totp_device_create(
    *, user: User, key_hex: str | None = None, name: str = "default"
) -> TOTPDevice:
    """Replace the user's authenticator with a new confirmed TOTP device.

    ``key_hex`` fixes the secret (the demo prints stable otpauth URIs); otherwise it is random.
    """
    if key_hex is not None:
        binascii.unhexlify(key_hex)  # reject a malformed key before storing it
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice(user=user, name=name, confirmed=True)
        if key_hex is not None:
            device.key = key_hex
        device.save()
    return device


def staff_create(
    *,
    username: str,
    password: str,
    display_name: str,
    department: Department,
    region_code: str,
    roles: list[str] | tuple[str, ...],
    totp_key_hex: str | None = None,
    is_platform_admin: bool = False,
) -> StaffCreated:
    username = username.strip()
    errors: dict[str, list[ValidationError]] = {}
    if not username or len(username) > 150:
        errors["username"] = [ValidationError(MSG_USERNAME_REQUIRED, code="required")]
    elif User.objects.filter(username=username).exists():
        errors["username"] = [ValidationError(MSG_USERNAME_TAKEN, code="username_taken")]
    unknown = [role for role in roles if role not in Role.values]
    if unknown:
        errors["roles"] = [
            ValidationError(MSG_ROLE_UNKNOWN, code="role_unknown", params={"role": unknown[0]})
        ]
    elif not roles:
        errors["roles"] = [ValidationError(MSG_ROLES_REQUIRED, code="required")]
    try:
        validate_password(password, User(username=username, display_name=display_name))
    except ValidationError as exc:
        errors["password"] = exc.error_list
    if errors:
        raise ValidationError(errors)
    region = region_for_code(region_code)
    if region is None or not region.code.startswith(department.region_id):
        raise ValidationError(
            {"region_code": ValidationError(MSG_REGION_OUTSIDE_DEPARTMENT, code="region_outside")}
        )
    with transaction.atomic():
        user = User.objects.create_user(
            username,
            password,
            kind=UserKind.STAFF,
            display_name=display_name,
            is_staff=is_platform_admin,
            is_superuser=is_platform_admin,
        )
        staff = StaffProfile.objects.create(user=user, department=department, region=region)
        StaffRole.objects.bulk_create(
            [StaffRole(staff=staff, role=role) for role in dict.fromkeys(roles)]
        )
        device = staff_totp_device_create(user=user, key_hex=totp_key_hex)
        audit_log(
            actor=None,
            action="staff.created",
            target_type="accounts.staffprofile",
            target_id=str(staff.pk),
            region_code=region.code,
            details={"username": username, "roles": list(dict.fromkeys(roles))},
        )
    return StaffCreated(user=user, staff=staff, device=device, otpauth_uri=device.config_url)


def staff_login_password_checked(*, user: User | None, username: str) -> User | None:
    """Second gate after ``authenticate``: only government staff may use the staff login.

    A citizen (or a wrong password) gets the same answer, so the form reveals nothing.
    """
    if (
        user is None
        or not user.is_government_staff
        or not StaffProfile.objects.filter(user=user).exists()
    ):
        audit_log(
            actor=None,
            action="auth.login_failed",
            target_type="user",
            details={"method": "password", "username": username[:150]},
        )
        return None
    return user


def staff_login_totp(*, user: User, token: str) -> TOTPDevice:
    """Verify the authenticator code; return the device for ``django_otp.login``."""
    key = f"login:totp:{user.pk}"
    if staff_totp_locked(user=user):
        raise ValidationError(MSG_TOTP_LOCKED, code="locked_out")
    devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    if not devices:
        raise ValidationError(MSG_NO_TOTP_DEVICE, code="no_device")
    token = token.strip().replace(" ", "")
    for device in devices:
        if token.isdigit() and device.verify_token(token):
            audit_log(
                actor=user,
                action="auth.login",
                target_type="user",
                target_id=str(user.pk),
                details={"method": "password+totp"},
            )
            return device
    audit_log(
        actor=user,
        action="auth.login_failed",
        target_type="user",
        target_id=str(user.pk),
        details={"method": "totp"},
    )
    hit = rate_limit_hit(key=key, limit=TOTP_FAILURE_LIMIT, window=TOTP_FAILURE_WINDOW)
    if hit.count == TOTP_FAILURE_LIMIT:
        audit_log(
            actor=user,
            action="auth.locked_out",
            target_type="user",
            target_id=str(user.pk),
            details={"method": "totp", "retry_after": hit.retry_after},
        )
    if not hit.allowed or hit.count >= TOTP_FAILURE_LIMIT:
        raise ValidationError(MSG_TOTP_LOCKED, code="locked_out")
    raise ValidationError({"token": ValidationError(MSG_TOTP_WRONG, code="totp_wrong")})


def staff_totp_locked(*, user: User) -> bool:
    return (
        rate_limit_peek(key=f"login:totp:{user.pk}", window=TOTP_FAILURE_WINDOW)
        >= TOTP_FAILURE_LIMIT
    )
