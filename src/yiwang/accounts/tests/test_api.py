from __future__ import annotations

import pytest
from django.test import Client, override_settings

from yiwang.accounts import services
from yiwang.accounts.models import ApiToken, LoginCode, Role
from yiwang.accounts.tests.factories import (
    CitizenFactory,
    EnterpriseFactory,
    StaffFactory,
    chain_for,
    enterprise_agent,
    staff_client_login,
)
from yiwang.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
API = "/api/v1"


def login_as(client: Client, phone: str = "13800138000", **extra: object) -> dict:
    code = client.post(
        f"{API}/auth/login-code", {"phone": phone}, content_type="application/json"
    ).json()
    response = client.post(
        f"{API}/auth/login-code/verify",
        {"phone": phone, "code": code["dev_code"], **extra},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize(
    ("language", "message"), [("en", "Please log in first."), ("zh-hans", "请先登录。")]
)
def test_me_requires_login_in_callers_language(language: str, message: str) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(f"{API}/me")
    assert response.status_code == 401
    assert response.json() == {"code": "unauthenticated", "message": message, "details": None}


def test_login_code_flow_gives_session(client: Client) -> None:
    body = login_as(client)
    assert (
        body["user"]["kind"] == "citizen"
        and body["profile_complete"] is False
        and body["token"] is None
    )
    me = client.get(f"{API}/me").json()
    assert me["kind"] == "citizen" and me["profile_complete"] is False


def test_login_code_request_masks_phone_and_shows_dev_code(client: Client) -> None:
    body = client.post(
        f"{API}/auth/login-code", {"phone": "13800138000"}, content_type="application/json"
    ).json()
    assert body["phone_masked"] == "138****8000" and len(body["dev_code"]) == 6


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Enter an 11-digit mainland mobile number, for example 13800138000."),
        ("zh-hans", "请输入11位中国大陆手机号码，例如 13800138000。"),
    ],
)
def test_login_code_bad_phone_error_shape(language: str, message: str) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).post(
        f"{API}/auth/login-code", {"phone": "123"}, content_type="application/json"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "phone_format"
    assert body["details"] == {"phone": [{"code": "phone_format", "message": message}]}
    assert LoginCode.objects.count() == 0


def test_login_code_idempotency_key_replays(client: Client) -> None:
    headers = {"HTTP_IDEMPOTENCY_KEY": "abc-123"}
    first = client.post(
        f"{API}/auth/login-code",
        {"phone": "13800138000"},
        content_type="application/json",
        **headers,
    )
    second = client.post(
        f"{API}/auth/login-code",
        {"phone": "13800138000"},
        content_type="application/json",
        **headers,
    )
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json() and second["Idempotent-Replayed"] == "true"
    assert LoginCode.objects.count() == 1


@override_settings(LOGIN_CODE_RATE_PER_PHONE=(1, 3600))
@pytest.mark.parametrize(
    ("language", "start"), [("en", "Too many codes requested."), ("zh-hans", "验证码请求次数过多")]
)
def test_login_code_rate_limited_is_429(language: str, start: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.post(f"{API}/auth/login-code", {"phone": "13800138000"}, content_type="application/json")
    response = client.post(
        f"{API}/auth/login-code", {"phone": "13800138000"}, content_type="application/json"
    )
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "rate_limited" and body["message"].startswith(start)
    assert int(response["Retry-After"]) == body["details"]["retry_after"] > 0


def test_verify_wrong_code_error(en_client: Client) -> None:
    en_client.post(
        f"{API}/auth/login-code", {"phone": "13800138000"}, content_type="application/json"
    )
    code = LoginCode.objects.get()
    wrong = "000000"
    response = en_client.post(
        f"{API}/auth/login-code/verify",
        {"phone": "13800138000", "code": wrong},
        content_type="application/json",
    )
    if code.code_hash == services.login_codes._code_hash(code.phone_index, wrong):  # 1 in a million
        pytest.skip("the random code happened to be 000000")
    assert response.status_code == 422
    assert response.json()["details"]["code"] == [
        {
            "code": "code_wrong",
            "message": "The code is not right. Check the text message and try again.",
        }
    ]
    assert en_client.get(f"{API}/me").status_code == 401


def test_verify_can_issue_bearer_token(client: Client) -> None:
    body = login_as(client, issue_token=True, token_name="my phone")
    assert body["token"].startswith("yw_") and body["token_expires_at"]
    app = Client()
    me = app.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.status_code == 200 and me.json()["kind"] == "citizen"
    assert app.get(f"{API}/me", HTTP_AUTHORIZATION="Bearer yw_wrong").status_code == 401


def test_login_endpoints_check_csrf_for_browsers() -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.cookies["sessionid"] = "something"
    response = browser.post(
        f"{API}/auth/login-code", {"phone": "13800138000"}, content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"
    app = Client(enforce_csrf_checks=True)  # no cookies: an app, nothing ambient to abuse
    assert (
        app.post(
            f"{API}/auth/login-code", {"phone": "13800138000"}, content_type="application/json"
        ).status_code
        == 200
    )


def test_logout_ends_session_and_is_audited(client: Client) -> None:
    login_as(client)
    assert client.post(f"{API}/auth/logout").status_code == 204
    assert client.get(f"{API}/me").status_code == 401
    assert AuditEntry.objects.filter(action="auth.logout").count() == 1


def test_profile_is_masked_and_patchable(client: Client) -> None:
    profile = CitizenFactory(phone="13800138000", real_name="李明")
    client.force_login(profile.user)
    body = client.get(f"{API}/me/profile").json()
    assert body["phone_masked"] == "138****8000" and body["real_name_masked"] == "李*"
    assert body["id_number_masked"] == profile.id_number[:4] + "*" * 10 + profile.id_number[-4:]
    assert profile.id_number not in str(body)
    response = client.patch(
        f"{API}/me/profile",
        {"language": "en", "display_name": "Li"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["language"] == "en"
    bad = client.patch(f"{API}/me/profile", {"language": "xx"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "language_unknown"


def test_tokens_list_create_revoke(client: Client) -> None:
    user = CitizenFactory().user
    client.force_login(user)
    created = client.post(f"{API}/me/tokens", {"name": "cli"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["token"].startswith("yw_")
    listed = client.get(f"{API}/me/tokens").json()
    assert [t["name"] for t in listed] == ["cli"] and "token" not in listed[0]
    other = services.api_token_create(user=CitizenFactory().user, name="theirs")
    assert client.delete(f"{API}/me/tokens/{other.token.pk}").status_code == 404
    assert client.delete(f"{API}/me/tokens/{created.json()['id']}").status_code == 204
    assert client.get(f"{API}/me/tokens").json() == []
    assert ApiToken.objects.get(pk=other.token.pk).revoked_at is None


def test_my_enterprises(client: Client) -> None:
    user = CitizenFactory().user
    mine = EnterpriseFactory()
    enterprise_agent(mine, user)
    EnterpriseFactory()
    client.force_login(user)
    assert [e["uscc"] for e in client.get(f"{API}/me/enterprises").json()] == [mine.uscc]


def test_staff_citizens_need_otp_verified_session(client: Client) -> None:
    staff = StaffFactory(roles=[Role.CLERK])
    client.force_login(staff)
    response = client.get(f"{API}/staff/citizens")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    token = services.api_token_create(user=staff, name="t").raw
    assert (
        Client().get(f"{API}/staff/citizens", HTTP_AUTHORIZATION=f"Bearer {token}").status_code
        == 403
    )


def test_staff_citizens_scoped_and_masked(client: Client) -> None:
    staff = StaffFactory(roles=[Role.CLERK], region_code="440106")
    inside = CitizenFactory(region=chain_for("440106006002")[-1])
    CitizenFactory(region=chain_for("440104")[-1])
    staff_client_login(client, staff)
    rows = client.get(f"{API}/staff/citizens").json()
    assert [r["id"] for r in rows] == [inside.pk]
    assert rows[0]["id_number_masked"] != inside.id_number and "*" in rows[0]["phone_masked"]
    assert not AuditEntry.objects.filter(action="personal_data.read").exists()


def test_staff_citizen_detail_audited_with_purpose(en_client: Client) -> None:
    staff = StaffFactory(roles=[Role.CLERK], region_code="440106")
    inside = CitizenFactory(region=chain_for("440106006002")[-1])
    outside = CitizenFactory(region=chain_for("440104")[-1])
    staff_client_login(en_client, staff)
    missing = en_client.get(f"{API}/staff/citizens/{inside.pk}")
    assert missing.status_code == 422 and missing.json()["code"] == "invalid_input"
    body = en_client.get(f"{API}/staff/citizens/{inside.pk}", {"purpose": "verify identity"}).json()
    assert body["id_number"] == inside.id_number and body["phone"] == inside.phone
    entry = AuditEntry.objects.get(action="personal_data.read")
    assert (entry.purpose, entry.subject_id) == ("verify identity", inside.user_id)
    hidden = en_client.get(f"{API}/staff/citizens/{outside.pk}", {"purpose": "verify identity"})
    assert hidden.status_code == 404
    assert hidden.json() == {
        "code": "not_found",
        "message": "Not found, or you may not see it.",
        "details": None,
    }
    assert AuditEntry.objects.filter(action="personal_data.read").count() == 1


def test_profile_complete_via_api(en_client: Client) -> None:
    from yiwang.accounts.tests.factories import valid_resident_id

    chain_for("440106006002")
    login_as(en_client)
    url = f"{API}/me/profile/complete"
    bad = en_client.post(
        url,
        {"real_name": "李明", "id_number": "440106199002301234", "region_code": "440106006002"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["details"]["id_number"][0] == {
        "code": "resident_id_date",
        "message": "The date of birth in this resident ID number does not exist.",
    }
    ok = en_client.post(
        url,
        {"real_name": "李明", "id_number": valid_resident_id(), "region_code": "440106006002"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["complete"] is True
    again = en_client.post(
        url,
        {"real_name": "李明", "id_number": valid_resident_id(), "region_code": "440106006002"},
        content_type="application/json",
    )
    assert again.status_code == 422 and again.json()["code"] == "profile_complete"


def test_staff_cannot_complete_a_citizen_profile(client: Client) -> None:
    staff_client_login(client, StaffFactory())
    response = client.post(
        f"{API}/me/profile/complete",
        {"real_name": "x", "id_number": "y", "region_code": "44"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_bearer_token_alone_can_post_but_a_session_still_needs_csrf() -> None:
    """Programs send only the token: no cookie, so no CSRF token either (a real HTTP client,
    unlike Django's test client, is held to CSRF: enforce it here)."""
    user = CitizenFactory().user
    token = services.api_token_create(user=user, name="script").raw
    program = Client(enforce_csrf_checks=True)
    created = program.post(
        f"{API}/me/tokens",
        {"name": "another"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert created.status_code == 201, created.content
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    refused = browser.post(f"{API}/me/tokens", {"name": "x"}, content_type="application/json")
    assert refused.status_code == 403
    assert ApiToken.objects.filter(user=user).count() == 2


def test_token_use_is_stamped_at_most_once_a_minute() -> None:
    import datetime as dt

    import time_machine
    from django.utils import timezone

    user = CitizenFactory().user
    issued = services.api_token_create(user=user, name="script")
    program = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        program.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    first = ApiToken.objects.get(user=user).last_used_at
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        program.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    assert ApiToken.objects.get(user=user).last_used_at == first
    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        program.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    assert ApiToken.objects.get(user=user).last_used_at > first
