"""Bearer tokens for apps and mini-programs.

The raw token is shown once; only its digest is kept."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import ApiToken, User
from yiwang.audit.services import audit_log

TOKEN_PREFIX = "yw_"  # noqa: S105 - a public prefix that makes leaked tokens greppable
MAX_ACTIVE_TOKENS = 20
MSG_TOKEN_NAME = _("Give the token a name of at most 100 characters.")
MSG_TOKEN_LIMIT = _("You already have 20 active tokens. Revoke one first.")
MSG_TOKEN_EXPIRY = _("A token lasts between 1 and 365 days.")


@dataclass(frozen=True)
class ApiTokenIssued:
    token: ApiToken
    raw: str


def api_token_create(*, user: User, name: str, expires_in_days: int | None = 90) -> ApiTokenIssued:
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": ValidationError(MSG_TOKEN_NAME, code="invalid")})
    if expires_in_days is not None and not 1 <= expires_in_days <= 365:
        raise ValidationError(
            {"expires_in_days": ValidationError(MSG_TOKEN_EXPIRY, code="invalid")}
        )
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(MSG_TOKEN_LIMIT, code="token_limit")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, token_hash=ApiToken.digest(raw), expires_at=expires_at
        )
        audit_log(
            actor=user,
            action="api_token.created",
            target_type="accounts.apitoken",
            target_id=str(token.pk),
            details={"name": name},
        )
    return ApiTokenIssued(token=token, raw=raw)


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; someone else's token is "not found"."""
    token = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).first()
    if token is None:
        raise Http404
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(
            actor=user,
            action="api_token.revoked",
            target_type="accounts.apitoken",
            target_id=str(token.pk),
        )
    return token
