"""Staff pages: the two-step login (password, then TOTP), the django-axes lockout page, the
workbench shell and the audited citizen look-up."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import authenticate, login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from yiwang.accounts import selectors, services
from yiwang.accounts.decorators import staff_required
from yiwang.accounts.forms import form_errors, safe_next
from yiwang.accounts.models import User
from yiwang.audit.services import audit_log

SESSION_PENDING = "accounts_staff_pending"
SESSION_NEXT = "accounts_staff_next"
PENDING_SECONDS = 300  # the password step is good for five minutes
MSG_BAD_CREDENTIALS = _("The username or password is not right.")
MSG_NOT_IN_SCOPE = _("No citizen with this resident ID number lives in your region.")


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    return form_errors(exc)


def staff_locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes calls this (``AXES_LOCKOUT_CALLABLE``) for every attempt while a
    username+IP is locked; each refused attempt is audited."""
    username = (credentials or {}).get("username", "") if isinstance(credentials, dict) else ""
    audit_log(
        actor=None,
        action="auth.locked_out",
        target_type="user",
        details={"method": "password", "username": str(username)[:150]},
    )
    return render(request, "accounts/staff_locked_out.html", status=429)


@require_http_methods(["GET", "POST"])
def staff_login(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    username = ""
    if request.method == "GET" and request.GET.get("next"):
        request.session[SESSION_NEXT] = request.GET["next"]
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        password = request.POST.get("password", "")
        found = authenticate(request, username=username, password=password)
        user = services.staff_login_password_checked(
            user=found if isinstance(found, User) else None, username=username
        )
        if user is None:
            errors = {"password": [str(MSG_BAD_CREDENTIALS)]}
        else:
            request.session[SESSION_PENDING] = {"user": user.pk, "at": int(time.time())}
            return redirect("accounts:staff_login_totp")
    return render(
        request,
        "accounts/staff_login.html",
        {"errors": errors, "username": username},
        status=422 if errors else 200,
    )


def _pending_user(request: HttpRequest) -> User | None:
    """The staff member who passed the password step within ``PENDING_SECONDS``."""
    pending = request.session.get(SESSION_PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(SESSION_PENDING, None)
        return None
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None
    return User.objects.filter(pk=user_id, kind="staff", is_active=True).first()


@require_http_methods(["GET", "POST"])
def staff_login_totp(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:staff_login")
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            device = services.staff_login_totp(user=user, token=request.POST.get("token", ""))
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            request.session.pop(SESSION_PENDING, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            default = reverse("accounts:workbench")
            return redirect(safe_next(request, request.session.pop(SESSION_NEXT, None), default))
    return render(
        request, "accounts/staff_login_totp.html", {"errors": errors}, status=422 if errors else 200
    )


@staff_required
@require_http_methods(["GET", "POST"])
def workbench(request: HttpRequest) -> HttpResponse:
    staff = selectors.staff_profile(request.user)
    assert staff is not None  # noqa: S101 - staff_required
    roles = staff.role_codes
    context: dict[str, Any] = {
        "staff": staff,
        "region_path": selectors.region_path(staff.region),
        "roles": sorted(staff.roles.all(), key=lambda r: r.role),
        "can_read_citizens": bool(roles & selectors.CITIZEN_DATA_ROLES),
        "errors": {},
        "values": {},
        "citizen": None,
    }
    if request.method == "POST" and context["can_read_citizens"]:
        values = {
            "id_number": request.POST.get("id_number", ""),
            "purpose": request.POST.get("purpose", ""),
        }
        context["values"] = values
        try:
            context["citizen"] = selectors.citizen_find_for_staff(user=request.user, **values)
        except ValidationError as exc:
            context["errors"] = _errors(exc)
        except Http404:
            context["errors"] = {"id_number": [str(MSG_NOT_IN_SCOPE)]}
    if context["can_read_citizens"]:
        context["citizen_count"] = selectors.citizen_list_for_staff(user=request.user).count()
    status = 422 if context["errors"] else 200
    return render(request, "accounts/workbench.html", context, status=status)


@staff_required
def citizen_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One citizen, shown only with a stated purpose; 404 outside the staff's scope."""
    purpose = request.GET.get("purpose", "")
    errors: dict[str, list[str]] = {}
    citizen = None
    if not selectors.citizen_list_for_staff(user=request.user).filter(pk=pk).exists():
        raise Http404
    if "purpose" in request.GET:
        try:
            citizen = selectors.citizen_get_for_staff(user=request.user, pk=pk, purpose=purpose)
        except ValidationError as exc:
            errors = _errors(exc)
    return render(
        request,
        "accounts/citizen_detail.html",
        {"citizen": citizen, "pk": pk, "purpose": purpose, "errors": errors},
        status=422 if errors else 200,
    )
