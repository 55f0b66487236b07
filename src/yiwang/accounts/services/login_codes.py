"""Citizen login with a phone one-time code (短信验证码登录).

Decisions, so that every entry point behaves the same:

* A request for a phone that has no account behaves exactly like one for a known phone: a code
  is stored and sent, the answer is the same. Nobody learns whether a phone is registered.
* A first successful login for an unknown phone creates a citizen account holding only the
  phone. Before using any service the citizen completes real-name data on the "complete your
  profile" page (``citizen_profile_complete``); ``accounts.decorators.citizen_required`` sends
  them there.
* Codes are six digits from ``secrets``, stored as a keyed HMAC (never in clear), valid
  ``LOGIN_CODE_TTL_SECONDS``, used once, with ``LOGIN_CODE_MAX_ATTEMPTS`` guesses each. A new
  request supersedes older codes.
* Requests are rate limited per phone and per IP; ``LOGIN_CODE_LOCKOUT_FAILURES`` failed
  verifications within an hour lock the phone until the hour's window ends.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import CitizenProfile, LoginCode, User, UserKind
from yiwang.accounts.services.citizens import citizen_username, phone_index
from yiwang.audit.services import audit_log
from yiwang.core.crypto import blind_index
from yiwang.core.ids import mask_phone, validate_phone
from yiwang.core.ratelimit import rate_limit_hit, rate_limit_peek
from yiwang.notify.services import sms_send

LOCKOUT_WINDOW = 3600
CODE_DIGITS = 6

MSG_CODE_FORMAT = _("Enter the 6-digit code from the text message.")
MSG_CODE_WRONG = _("The code is not right. Check the text message and try again.")
MSG_CODE_EXPIRED = _("The code has expired. Request a new code.")
MSG_CODE_USED = _("This code has already been used. Request a new code.")
MSG_CODE_NONE = _("Request a code first.")
MSG_CODE_TOO_MANY_ATTEMPTS = _("Too many wrong codes. Request a new code.")
MSG_RATE_LIMITED = _("Too many codes requested. You can request a new code after %(time)s.")
MSG_LOCKED_OUT = _("Too many failed logins for this number. You can try again after %(time)s.")
MSG_ACCOUNT_DISABLED = _("This account has been disabled. Contact the service desk.")


class LoginBlocked(ValidationError):
    """A refusal that lasts: rate limit or lockout. ``retry_after`` is in seconds."""

    def __init__(self, message: Any, *, code: str, retry_after: int) -> None:
        retry_at = timezone.localtime(timezone.now() + dt.timedelta(seconds=retry_after))
        super().__init__(message, code=code, params={"time": retry_at.strftime("%H:%M")})
        self.retry_after = retry_after
        self.retry_at = retry_at


@dataclass(frozen=True)
class LoginCodeIssued:
    phone_masked: str
    expires_at: dt.datetime
    dev_code: str | None  # only when settings.SHOW_DEV_CODES (demo/dev); never in production


def _code_hash(phone_key: str, code: str) -> str:
    return blind_index(f"{phone_key}:{code}", purpose="login_code")


def _phone(phone: str) -> str:
    try:
        return validate_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.error_list}) from None


def _lockout_remaining(phone_key: str) -> int:
    """Seconds until the phone may try again, or 0 when it is not locked."""
    failures = rate_limit_peek(key=f"login:fail:{phone_key}", window=LOCKOUT_WINDOW)
    if failures < settings.LOGIN_CODE_LOCKOUT_FAILURES:
        return 0
    now = int(time.time())
    return max(1, (now // LOCKOUT_WINDOW) * LOCKOUT_WINDOW + LOCKOUT_WINDOW - now)


def login_code_request(*, phone: str, ip: str) -> LoginCodeIssued:
    """Issue and send a login code. Same behaviour whether or not the phone has an account."""
    phone = _phone(phone)
    key = phone_index(phone)
    locked = _lockout_remaining(key)
    if locked:
        raise LoginBlocked(MSG_LOCKED_OUT, code="locked_out", retry_after=locked)
    for scope, (limit, window) in (
        (f"login:ip:{ip}", settings.LOGIN_CODE_RATE_PER_IP),
        (f"login:phone:{key}", settings.LOGIN_CODE_RATE_PER_PHONE),
    ):
        hit = rate_limit_hit(key=scope, limit=limit, window=window)
        if not hit.allowed:
            raise LoginBlocked(MSG_RATE_LIMITED, code="rate_limited", retry_after=hit.retry_after)
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    now = timezone.now()
    expires_at = now + dt.timedelta(seconds=settings.LOGIN_CODE_TTL_SECONDS)
    language = translation.get_language() or settings.LANGUAGE_CODE
    minutes = settings.LOGIN_CODE_TTL_SECONDS // 60
    with transaction.atomic():
        # A new code supersedes older ones, so only the latest is ever accepted.
        LoginCode.objects.filter(phone_index=key, used_at__isnull=True).update(used_at=now)
        LoginCode.objects.create(
            phone_index=key,
            code_hash=_code_hash(key, code),
            created_at=now,
            expires_at=expires_at,
            ip=ip or None,
        )
        audit_log(
            actor=None,
            action="auth.login_code_requested",
            target_type="phone",
            details={"phone": mask_phone(phone)},
        )
        # notify stores the delivery in this transaction and sends it once we commit.
        sms_send(
            phone=phone,
            template="login_code",
            context={"code": code, "minutes": minutes},
            language=language,
        )
    return LoginCodeIssued(
        phone_masked=mask_phone(phone),
        expires_at=expires_at,
        dev_code=code if settings.SHOW_DEV_CODES else None,
    )


def _fail(*, key: str, phone: str, reason: str, message: Any, code: str) -> ValidationError:
    """Record a failed verification; return the error to raise (a lockout when it tips over)."""
    audit_log(
        actor=None,
        action="auth.login_failed",
        target_type="phone",
        details={"method": "phone_code", "phone": mask_phone(phone), "reason": reason},
    )
    hit = rate_limit_hit(
        key=f"login:fail:{key}", limit=settings.LOGIN_CODE_LOCKOUT_FAILURES, window=LOCKOUT_WINDOW
    )
    if hit.count == settings.LOGIN_CODE_LOCKOUT_FAILURES:
        audit_log(
            actor=None,
            action="auth.locked_out",
            target_type="phone",
            details={
                "method": "phone_code",
                "phone": mask_phone(phone),
                "retry_after": hit.retry_after,
            },
        )
    if hit.count >= settings.LOGIN_CODE_LOCKOUT_FAILURES:
        return LoginBlocked(MSG_LOCKED_OUT, code="locked_out", retry_after=hit.retry_after)
    return ValidationError({"code": ValidationError(message, code=code)})


def _check_code(*, key: str, phone: str, code: str) -> LoginCode:
    latest = LoginCode.objects.filter(phone_index=key).order_by("-created_at", "-pk").first()
    if latest is None:
        raise _fail(key=key, phone=phone, reason="no_code", message=MSG_CODE_NONE, code="no_code")
    if latest.used_at is not None:
        raise _fail(key=key, phone=phone, reason="used", message=MSG_CODE_USED, code="code_used")
    if latest.expires_at <= timezone.now():
        raise _fail(
            key=key, phone=phone, reason="expired", message=MSG_CODE_EXPIRED, code="code_expired"
        )
    if latest.attempts >= settings.LOGIN_CODE_MAX_ATTEMPTS:
        raise _fail(
            key=key,
            phone=phone,
            reason="attempts",
            message=MSG_CODE_TOO_MANY_ATTEMPTS,
            code="code_attempts",
        )
    if not hmac.compare_digest(latest.code_hash, _code_hash(key, code)):
        LoginCode.objects.filter(pk=latest.pk).update(attempts=F("attempts") + 1)
        raise _fail(key=key, phone=phone, reason="wrong", message=MSG_CODE_WRONG, code="code_wrong")
    # Single use even under concurrency: only one request can flip used_at.
    if not LoginCode.objects.filter(pk=latest.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    ):
        raise _fail(key=key, phone=phone, reason="used", message=MSG_CODE_USED, code="code_used")
    return latest


def _citizen_for_phone(*, key: str, phone: str) -> tuple[User, bool]:
    profile = CitizenProfile.objects.select_related("user").filter(phone_index=key).first()
    if profile is not None:
        return profile.user, False
    with transaction.atomic():
        user = User.objects.create_user(citizen_username(phone), kind=UserKind.CITIZEN)
        CitizenProfile.objects.create(user=user, phone=phone)
    return user, True


def login_code_verify(*, phone: str, code: str, ip: str) -> User:
    """Check a login code and return the citizen (created on first login). Does not touch the
    session: the caller logs the user in (``django.contrib.auth.login``) or issues a token.

    Failures are recorded outside any transaction so that a raised error never rolls back the
    attempt counter or the audit entry.
    """
    phone = _phone(phone)
    key = phone_index(phone)
    locked = _lockout_remaining(key)
    if locked:
        raise LoginBlocked(MSG_LOCKED_OUT, code="locked_out", retry_after=locked)
    code = code.strip()
    if len(code) != CODE_DIGITS or not code.isdigit():
        raise _fail(
            key=key, phone=phone, reason="format", message=MSG_CODE_FORMAT, code="code_format"
        )
    _check_code(key=key, phone=phone, code=code)
    user, created = _citizen_for_phone(key=key, phone=phone)
    if not user.is_active:
        audit_log(
            actor=user,
            action="auth.login_failed",
            target_type="user",
            target_id=str(user.pk),
            details={"method": "phone_code", "reason": "inactive"},
        )
        raise ValidationError(MSG_ACCOUNT_DISABLED, code="account_disabled")
    audit_log(
        actor=user,
        action="auth.login",
        target_type="user",
        target_id=str(user.pk),
        subject=user,
        details={"method": "phone_code", "new_account": created},
    )
    return user
