"""The accounts part of ``/api/v1/``: who am I, my profile and tokens, phone-code login, and
the staff's scoped view of citizens. Endpoints are thin: one service or selector each."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status
from ninja.utils import check_csrf

from yiwang.accounts import selectors, services
from yiwang.accounts.models import ApiToken, CitizenProfile, Enterprise, User
from yiwang.accounts.schemas import (
    CitizenDetailOut,
    CitizenRowOut,
    EnterpriseAgentIn,
    EnterpriseAgentOut,
    EnterpriseOut,
    LoginCodeRequestIn,
    LoginCodeRequestOut,
    LoginCodeVerifyIn,
    LoginOut,
    MeOut,
    ProfileCompleteIn,
    ProfileOut,
    ProfilePatch,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
)
from yiwang.core import errors
from yiwang.core.middleware import client_ip

router = Router(tags=["accounts"])
MAX_PAGE = 100
MSG_CSRF = errors.MSG_FORBIDDEN


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)  # noqa: S101 - guaranteed by api_auth
    return user


def _blocked(exc: services.LoginBlocked) -> errors.ApiError:
    return errors.ApiError(
        status=429,
        code=exc.code or "rate_limited",
        message=exc.messages[0],
        details={"retry_after": exc.retry_after},
        headers={"Retry-After": str(exc.retry_after)},
    )


def _browser_csrf(request: HttpRequest) -> None:
    """Login endpoints take no auth, so ninja does not check CSRF. A browser (it sends
    cookies) must still send the token, or a third-party page could log it into another
    account (login CSRF). Apps without cookies have no ambient credentials to abuse."""
    if request.COOKIES and check_csrf(request) is not None:
        raise errors.ApiError(status=403, code="csrf_failed", message=MSG_CSRF)


def _me(request: HttpRequest, user: User) -> dict[str, Any]:
    profile = selectors.citizen_profile_for_user(user=user)
    return {
        "id": user.pk,
        "kind": user.kind,
        "display_name": user.display_name,
        "language": user.language,
        "profile_complete": profile.is_complete if profile else user.is_government_staff,
        "otp_verified": bool(getattr(request.user, "is_verified", lambda: False)()),
    }


@router.get("/me", response=MeOut, summary="Who is logged in")
def me(request: HttpRequest) -> dict[str, Any]:
    return _me(request, _user(request))


def _profile(user: User) -> dict[str, Any]:
    profile = selectors.citizen_profile_for_user(user=user)
    return {
        "real_name_masked": profile.masked_name if profile else "",
        "id_number_masked": profile.masked_id_number if profile and profile.id_number else "",
        "phone_masked": profile.masked_phone if profile else "",
        "region_code": profile.region_id if profile else None,
        "region_name": profile.region.name if profile and profile.region else None,
        "complete": profile.is_complete if profile else False,
        "email": user.email,
        "language": user.language,
        "display_name": user.display_name,
    }


@router.get("/me/profile", response=ProfileOut, summary="My profile (ID number and phone masked)")
def profile_get(request: HttpRequest) -> dict[str, Any]:
    return _profile(_user(request))


@router.patch(
    "/me/profile", response=ProfileOut, summary="Change my display name, e-mail, language or region"
)
def profile_patch(request: HttpRequest, payload: ProfilePatch) -> dict[str, Any]:
    user = services.profile_update(user=_user(request), **payload.dict(exclude_unset=True))
    return _profile(user)


@router.post(
    "/me/profile/complete",
    response=ProfileOut,
    summary="Add real-name data after a first phone login (once)",
)
def profile_complete(request: HttpRequest, payload: ProfileCompleteIn) -> dict[str, Any]:
    user = _user(request)
    if not user.is_citizen:
        raise PermissionDenied
    services.citizen_profile_complete(user=user, **payload.dict())
    return _profile(user)


@router.post(
    "/auth/login-code",
    auth=None,
    response=LoginCodeRequestOut,
    summary="Send a login code to a mobile phone",
)
def login_code_request(request: HttpRequest, payload: LoginCodeRequestIn) -> Any:
    _browser_csrf(request)
    try:
        return services.login_code_request(phone=payload.phone, ip=client_ip(request))
    except services.LoginBlocked as exc:
        raise _blocked(exc) from None


@router.post(
    "/auth/login-code/verify",
    auth=None,
    response=LoginOut,
    summary="Log in with the code; a browser gets a session, an app may ask for a token",
)
def login_code_verify(request: HttpRequest, payload: LoginCodeVerifyIn) -> dict[str, Any]:
    _browser_csrf(request)
    try:
        user = services.login_code_verify(
            phone=payload.phone, code=payload.code, ip=client_ip(request)
        )
    except services.LoginBlocked as exc:
        raise _blocked(exc) from None
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    body: dict[str, Any] = {
        "user": _me(request, user),
        "profile_complete": _me(request, user)["profile_complete"],
    }
    if payload.issue_token:
        issued = services.api_token_create(user=user, name=payload.token_name)
        body.update(token=issued.raw, token_expires_at=issued.token.expires_at)
    return body


@router.post("/auth/logout", response={204: None}, summary="End the web session")
def logout(request: HttpRequest) -> Status:
    services.session_logout(request=request)
    return Status(204, None)


@router.get("/me/tokens", response=list[TokenOut], summary="My active API tokens")
def tokens_list(request: HttpRequest) -> Any:
    return ApiToken.objects.filter(user=_user(request), revoked_at__isnull=True).order_by(
        "-created_at"
    )


@router.post(
    "/me/tokens", response={201: TokenCreatedOut}, summary="Create an API token (shown once)"
)
def tokens_create(request: HttpRequest, payload: TokenIn) -> Status:
    issued = services.api_token_create(
        user=_user(request), name=payload.name, expires_in_days=payload.expires_in_days
    )
    token = issued.token
    return Status(
        201,
        {
            "id": token.pk,
            "name": token.name,
            "created_at": token.created_at,
            "last_used_at": token.last_used_at,
            "expires_at": token.expires_at,
            "token": issued.raw,
        },
    )


@router.delete("/me/tokens/{token_id}", response={204: None}, summary="Revoke one of my API tokens")
def tokens_revoke(request: HttpRequest, token_id: int) -> Status:
    services.api_token_revoke(user=_user(request), token_id=token_id)
    return Status(204, None)


def _enterprise(enterprise: Enterprise) -> dict[str, Any]:
    return {
        "id": enterprise.pk,
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "legal_representative": enterprise.legal_representative,
        "region_code": enterprise.region_id,
    }


@router.get("/me/enterprises", response=list[EnterpriseOut], summary="Enterprises I act for")
def enterprises_mine(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        _enterprise(e) for e in selectors.enterprise_list_for_user(user=_user(request))[:MAX_PAGE]
    ]


def _agent(agent: Any) -> dict[str, Any]:
    return {
        "user_id": agent.user_id,
        "real_name_masked": agent.user.citizen.masked_name,
        "phone_masked": agent.user.citizen.masked_phone,
        "is_legal_representative": agent.is_legal_representative,
        "authorised_at": agent.authorised_at,
    }


@router.get(
    "/me/enterprises/{pk}/agents",
    response=list[EnterpriseAgentOut],
    summary="Agents of an enterprise I act for (masked)",
)
def enterprise_agents(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    _, agents = selectors.enterprise_agents_for_agent(user=_user(request), pk=pk)
    return [_agent(a) for a in agents]


@router.post(
    "/me/enterprises/{pk}/agents",
    response={201: EnterpriseAgentOut},
    summary="Authorise a registered citizen (phone and real name must both match) as an agent",
)
def enterprise_agent_add(request: HttpRequest, pk: int, payload: EnterpriseAgentIn) -> Status:
    enterprise, _ = selectors.enterprise_agents_for_agent(user=_user(request), pk=pk)
    agency = services.enterprise_agent_invite(
        enterprise=enterprise, by=_user(request), phone=payload.phone, real_name=payload.real_name
    )
    return Status(201, _agent(agency))


@router.delete(
    "/me/enterprises/{pk}/agents/{user_id}",
    response={204: None},
    summary="Remove an agent (an enterprise keeps at least one)",
)
def enterprise_agent_delete(request: HttpRequest, pk: int, user_id: int) -> Status:
    enterprise, agents = selectors.enterprise_agents_for_agent(user=_user(request), pk=pk)
    agent = next((a for a in agents if a.user_id == user_id), None)
    if agent is None:
        raise Http404
    services.enterprise_agent_remove(enterprise=enterprise, by=_user(request), user=agent.user)
    return Status(204, None)


def _verified_staff(request: HttpRequest) -> User:
    """Staff data needs a web session that passed TOTP; bearer tokens never reach it."""
    user = _user(request)
    if not user.is_government_staff or not getattr(request.user, "is_verified", lambda: False)():
        raise PermissionDenied
    return user


def _citizen_row(profile: CitizenProfile) -> dict[str, Any]:
    return {
        "id": profile.pk,
        "real_name_masked": profile.masked_name,
        "id_number_masked": profile.masked_id_number,
        "phone_masked": profile.masked_phone,
        "region_code": profile.region_id,
        "region_name": profile.region.name if profile.region else None,
    }


@router.get(
    "/staff/citizens", response=list[CitizenRowOut], summary="Citizens in my region (masked)"
)
def staff_citizens(request: HttpRequest, offset: int = Query(0, ge=0)) -> list[dict[str, Any]]:
    citizens = selectors.citizen_list_for_staff(user=_verified_staff(request))
    return [_citizen_row(p) for p in citizens[offset : offset + MAX_PAGE]]


@router.get(
    "/staff/citizens/{citizen_id}",
    response=CitizenDetailOut,
    summary="One citizen's data, for a stated purpose (audited)",
)
def staff_citizen(
    request: HttpRequest, citizen_id: int, purpose: str = Query(...)
) -> dict[str, Any]:
    profile = selectors.citizen_get_for_staff(
        user=_verified_staff(request), pk=citizen_id, purpose=purpose
    )
    return {
        "id": profile.pk,
        "real_name": profile.real_name,
        "id_number": profile.id_number,
        "phone": profile.phone,
        "region_code": profile.region_id,
        "region_name": profile.region.name if profile.region else None,
        "verified_at": profile.verified_at,
    }
