"""API authentication: the web session (with CSRF) or a bearer token."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from yiwang.accounts.models import ApiToken

LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class SessionAuth(APIKeyCookie):
    """The logged-in web session; unsafe methods need the CSRF token (ninja checks it)."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        # No session cookie: there is nothing for CSRF to protect, so let the bearer token
        # answer. (django-ninja checks CSRF before the key and would end with 403 otherwise.)
        if not request.COOKIES.get(self.param_name):
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        now = timezone.now()
        found = (
            ApiToken.objects.select_related("user")
            .filter(
                token_hash=ApiToken.digest(token), revoked_at__isnull=True, user__is_active=True
            )
            .first()
        )
        if found is None or (found.expires_at is not None and found.expires_at <= now):
            return None
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
            # At most one write a minute per token, not one per request.
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


api_auth = [SessionAuth(), BearerAuth()]
