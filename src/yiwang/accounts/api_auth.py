"""API authentication: the web session (with CSRF) or a bearer token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from yiwang.accounts.models import ApiToken


class SessionAuth(APIKeyCookie):
    """The logged-in web session; unsafe methods need the CSRF token (ninja checks it)."""

    param_name = "sessionid"

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
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


api_auth = [SessionAuth(), BearerAuth()]
