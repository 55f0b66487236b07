"""Citizen pages: phone-code login (one question per page), completing real-name data,
"my page", enterprise registration, logout. Thin adapters over services and selectors."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from yiwang.accounts import selectors, services
from yiwang.accounts.decorators import citizen_login_required, citizen_required
from yiwang.accounts.forms import form_errors, safe_next
from yiwang.accounts.views_staff import staff_locked_out
from yiwang.core.ids import mask_phone
from yiwang.core.middleware import client_ip

SESSION_PHONE = "accounts_login_phone"
SESSION_DEV_CODE = "accounts_login_dev_code"
SESSION_NEXT = "accounts_login_next"

__all__ = ["staff_locked_out"]  # settings.AXES_LOCKOUT_CALLABLE points here


@require_http_methods(["GET", "POST"])
def login_phone(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    phone = ""
    if request.method == "GET" and request.GET.get("next"):
        request.session[SESSION_NEXT] = safe_next(request, request.GET["next"], "")
    if request.method == "POST":
        phone = request.POST.get("phone", "")
        try:
            issued = services.login_code_request(phone=phone, ip=client_ip(request))
        except ValidationError as exc:
            errors = form_errors(exc)
        else:
            request.session[SESSION_PHONE] = phone
            request.session[SESSION_DEV_CODE] = issued.dev_code
            return redirect("accounts:login_code")
    return render(
        request,
        "accounts/login_phone.html",
        {"errors": errors, "phone": phone},
        status=422 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect("accounts:login")
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            user = services.login_code_verify(
                phone=phone, code=request.POST.get("code", ""), ip=client_ip(request)
            )
        except ValidationError as exc:
            errors = form_errors(exc)
        else:
            next_url = request.session.pop(SESSION_NEXT, None) or ""
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            for key in (SESSION_PHONE, SESSION_DEV_CODE):
                request.session.pop(key, None)
            profile = selectors.citizen_profile_for_user(user=user)
            if profile is None or not profile.is_complete:
                return redirect("accounts:complete_profile")
            return redirect(safe_next(request, next_url, "/accounts/me/"))
    context: dict[str, Any] = {
        "errors": errors,
        "phone_masked": mask_phone(phone),
        "dev_code": request.session.get(SESSION_DEV_CODE) if settings.SHOW_DEV_CODES else None,
    }
    return render(request, "accounts/login_code.html", context, status=422 if errors else 200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.session_logout(request=request)
    return redirect("/")


@citizen_login_required
@require_http_methods(["GET", "POST"])
def complete_profile(request: HttpRequest) -> HttpResponse:
    profile = selectors.citizen_profile_for_user(user=request.user)
    if profile is not None and profile.is_complete:
        return redirect("accounts:me")
    errors: dict[str, list[str]] = {}
    values = {key: request.POST.get(key, "") for key in ("real_name", "id_number", "region_code")}
    if request.method == "POST":
        try:
            services.citizen_profile_complete(user=request.user, **values)  # type: ignore[arg-type]
        except ValidationError as exc:
            errors = form_errors(exc)
        else:
            return redirect(safe_next(request, request.GET.get("next"), "/accounts/me/"))
    return render(
        request,
        "accounts/complete_profile.html",
        {"errors": errors, "values": values},
        status=422 if errors else 200,
    )


@citizen_required
def me(request: HttpRequest) -> HttpResponse:
    context = {
        "profile": selectors.citizen_profile_for_user(user=request.user),
        "enterprises": selectors.enterprise_list_for_user(user=request.user),
    }
    return render(request, "accounts/me.html", context)


@citizen_required
@require_http_methods(["GET", "POST"])
def enterprise_register(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    keys = ("uscc", "name", "legal_representative", "region_code")
    values = {key: request.POST.get(key, "") for key in keys}
    if request.method == "POST":
        try:
            services.enterprise_register(agent=request.user, **values)  # type: ignore[arg-type]
        except ValidationError as exc:
            errors = form_errors(exc)
        else:
            return redirect("accounts:me")
    return render(
        request,
        "accounts/enterprise_register.html",
        {"errors": errors, "values": values},
        status=422 if errors else 200,
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One enterprise the citizen acts for: its agents, and a form to add one."""
    enterprise, agents = selectors.enterprise_agents_for_agent(user=request.user, pk=pk)
    errors: dict[str, list[str]] = {}
    values = {key: request.POST.get(key, "") for key in ("phone", "real_name")}
    if request.method == "POST":
        try:
            services.enterprise_agent_invite(enterprise=enterprise, by=request.user, **values)  # type: ignore[arg-type]
        except ValidationError as exc:
            errors = form_errors(exc)
        else:
            return redirect("accounts:enterprise_detail", pk=enterprise.pk)
    context = {"enterprise": enterprise, "agents": agents, "errors": errors, "values": values}
    return render(
        request, "accounts/enterprise_detail.html", context, status=422 if errors else 200
    )


@citizen_required
@require_POST
def enterprise_agent_remove(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    enterprise, agents = selectors.enterprise_agents_for_agent(user=request.user, pk=pk)
    agent = next((a for a in agents if a.user_id == user_id), None)
    if agent is None:
        raise Http404
    try:
        services.enterprise_agent_remove(
            enterprise=enterprise,
            by=request.user,  # type: ignore[arg-type]  # citizen_required
            user=agent.user,
        )
    except ValidationError as exc:
        context = {
            "enterprise": enterprise,
            "agents": agents,
            "errors": {"remove": exc.messages},
            "values": {},
        }
        return render(request, "accounts/enterprise_detail.html", context, status=422)
    if agent.user_id == request.user.pk:
        return redirect("accounts:me")
    return redirect("accounts:enterprise_detail", pk=enterprise.pk)
