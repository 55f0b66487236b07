"""Ending a web session, with its audit entry."""

from __future__ import annotations

from django.contrib.auth import logout
from django.http import HttpRequest

from yiwang.accounts.models import User
from yiwang.audit.services import audit_log


def session_logout(*, request: HttpRequest) -> None:
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        audit_log(actor=user, action="auth.logout", target_type="user", target_id=str(user.pk))
    logout(request)
