"""Page guards other apps reuse: who may open a citizen page and who a staff page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from yiwang.accounts.models import CitizenProfile, StaffProfile

View = Callable[..., HttpResponse]


def citizen_login_required(view: View) -> View:
    """A logged-in citizen, complete profile or not (for the complete-profile page itself)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or not getattr(user, "is_citizen", False):
            return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
        return view(request, *args, **kwargs)

    return wrapper


def citizen_required(view: View) -> View:
    """A logged-in citizen whose real-name data is complete; others are sent to finish it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or not getattr(user, "is_citizen", False):
            return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
        profile = CitizenProfile.objects.filter(user=user).first()
        if profile is None or not profile.is_complete:
            return redirect(
                f"{reverse('accounts:complete_profile')}?next={request.get_full_path()}"
            )
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view: View) -> View:
    """Government staff who passed both password and TOTP (``user.is_verified()``)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        verified = getattr(user, "is_verified", lambda: False)()
        is_staff = (
            user.is_authenticated
            and getattr(user, "is_government_staff", False)
            and StaffProfile.objects.filter(user_id=user.pk).exists()
        )
        if not (is_staff and verified):
            return redirect_to_login(request.get_full_path(), reverse("accounts:staff_login"))
        return view(request, *args, **kwargs)

    return wrapper
