from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from yiwang.accounts.models import CitizenProfile, Enterprise, Role
from yiwang.accounts.tests.factories import (
    CitizenFactory,
    StaffFactory,
    chain_for,
    staff_client_login,
    totp_now,
    valid_resident_id,
    valid_uscc,
)
from yiwang.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def phone_login(client: Client, phone: str = "13800138000") -> None:
    assert client.post("/accounts/login/", {"phone": phone}).status_code == 302
    page = client.get("/accounts/login/code/")
    code = page.context["dev_code"]
    client.post("/accounts/login/code/", {"code": code})


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "What is your mobile phone number?"), ("zh-hans", "您的手机号码是多少？")],
)
def test_login_page_in_both_languages(language: str, heading: str) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/accounts/login/")
    assert response.status_code == 200
    assert heading in response.content.decode()
    assert 'href="/messages/dev-sms/"' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Enter an 11-digit mainland mobile number"), ("zh-hans", "请输入11位中国大陆手机号码")],
)
def test_login_bad_phone_shows_linked_error_summary(language: str, message: str) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).post("/accounts/login/", {"phone": "12"})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'class="yw-error-summary"' in html and f'<a href="#phone">{message}' in html
    assert 'id="phone-error"' in html


def test_code_page_shows_dev_code_and_logs_in_new_citizen(en_client: Client) -> None:
    en_client.post("/accounts/login/", {"phone": "13800138000"})
    page = en_client.get("/accounts/login/code/")
    code = page.context["dev_code"]
    assert code and code in page.content.decode() and "138****8000" in page.content.decode()
    response = en_client.post("/accounts/login/code/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/accounts/complete-profile/"


@override_settings(SHOW_DEV_CODES=False)
def test_code_page_hides_code_when_dev_codes_off(en_client: Client) -> None:
    en_client.post("/accounts/login/", {"phone": "13800138000"})
    page = en_client.get("/accounts/login/code/")
    assert page.context["dev_code"] is None and "Demo code" not in page.content.decode()


def test_wrong_code_shows_error(en_client: Client) -> None:
    en_client.post("/accounts/login/", {"phone": "13800138000"})
    code = en_client.get("/accounts/login/code/").context["dev_code"]
    wrong = "000000" if code != "000000" else "111111"
    response = en_client.post("/accounts/login/code/", {"code": wrong})
    assert response.status_code == 422
    assert '<a href="#code">The code is not right.' in response.content.decode()
    assert "_auth_user_id" not in en_client.session


def test_incomplete_citizen_is_sent_to_complete_profile_then_my_page(en_client: Client) -> None:
    chain_for("440106006002")
    phone_login(en_client)
    assert en_client.get("/accounts/me/")["Location"].startswith("/accounts/complete-profile/")
    bad = en_client.post(
        "/accounts/complete-profile/",
        {"real_name": "李明", "id_number": "440106199002301234", "region_code": "440106006002"},
    )
    assert bad.status_code == 422 and "does not exist" in bad.content.decode()
    id_number = valid_resident_id()
    ok = en_client.post(
        "/accounts/complete-profile/",
        {"real_name": "李明", "id_number": id_number, "region_code": "440106006002"},
    )
    assert ok.status_code == 302
    page = en_client.get("/accounts/me/")
    html = page.content.decode()
    assert (
        page.status_code == 200
        and "李*" in html
        and id_number not in html
        and "138****8000" in html
    )
    assert 'href="/audit/my-data-reads/"' in html


@pytest.mark.parametrize(("language", "title"), [("en", "My page"), ("zh-hans", "我的主页")])
def test_my_page_both_languages(language: str, title: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(CitizenFactory().user)
    assert f"<h1>{title}</h1>" in client.get("/accounts/me/").content.decode()


def test_our_translations_win_over_the_django_admin_catalogue() -> None:
    # The admin translates "Log out" as 注销; the portal says 退出登录 everywhere.
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(CitizenFactory().user)
    html = client.get("/accounts/me/").content.decode()
    assert "退出登录" in html and "注销" not in html


def test_my_page_links_to_what_the_citizen_has_elsewhere() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(CitizenFactory().user)
    html = client.get("/accounts/me/").content.decode()
    for href, label in [
        ("/applications/", "我的办件"),
        ("/certificates/", "我的证照"),
        ("/halls/my/", "我的预约"),
    ]:
        assert f'<a href="{href}">{label}</a>' in html


def test_enterprise_registration_page(en_client: Client) -> None:
    en_client.force_login(CitizenFactory(real_name="王五").user)
    uscc = valid_uscc()
    bad = en_client.post(
        "/accounts/enterprises/register/",
        {
            "uscc": uscc[:17] + "I",
            "name": "x",
            "legal_representative": "王五",
            "region_code": "440106",
        },
    )
    assert bad.status_code == 422 and '<a href="#uscc">' in bad.content.decode()
    assert Enterprise.objects.count() == 0
    ok = en_client.post(
        "/accounts/enterprises/register/",
        {"uscc": uscc, "name": "某公司", "legal_representative": "王五", "region_code": "440106"},
    )
    assert ok.status_code == 302
    assert uscc in en_client.get("/accounts/me/").content.decode()


def test_logout_is_post_only(en_client: Client) -> None:
    en_client.force_login(CitizenFactory().user)
    assert en_client.get("/accounts/logout/").status_code == 405
    assert en_client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in en_client.session


def test_staff_login_needs_password_then_totp(en_client: Client) -> None:
    staff = StaffFactory(username="clerk", password="correct-horse-battery", roles=[Role.CLERK])
    response = en_client.post(
        "/accounts/staff/login/", {"username": "clerk", "password": "correct-horse-battery"}
    )
    assert response["Location"] == "/accounts/staff/login/totp/"
    assert en_client.get("/accounts/workbench/").status_code == 302  # no session yet
    wrong = en_client.post("/accounts/staff/login/totp/", {"token": "12"})
    assert wrong.status_code == 422 and "authenticator app is not right" in wrong.content.decode()
    # django-otp throttles a device for a second or two after a failure.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5), tick=False):
        ok = en_client.post("/accounts/staff/login/totp/", {"token": totp_now(staff)})
    assert ok["Location"] == "/accounts/workbench/"
    assert en_client.get("/accounts/workbench/").status_code == 200


def test_staff_without_otp_cannot_open_workbench(en_client: Client) -> None:
    en_client.force_login(StaffFactory(), backend="django.contrib.auth.backends.ModelBackend")
    response = en_client.get("/accounts/workbench/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/staff/login/")


def test_citizen_cannot_use_staff_login(en_client: Client) -> None:
    citizen = CitizenFactory().user
    citizen.set_password("correct-horse-battery")
    citizen.save()
    response = en_client.post(
        "/accounts/staff/login/",
        {"username": citizen.username, "password": "correct-horse-battery"},
    )
    assert (
        response.status_code == 422
        and "username or password is not right" in response.content.decode()
    )
    assert "accounts_staff_pending" not in en_client.session


def test_staff_cannot_use_citizen_pages(en_client: Client) -> None:
    staff_client_login(en_client, StaffFactory())
    assert en_client.get("/accounts/me/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("language", "text"), [("en", "Account locked"), ("zh-hans", "账号已锁定")]
)
def test_axes_lockout_page_is_translated(language: str, text: str) -> None:
    StaffFactory(username="clerk", password="correct-horse-battery")
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    for _ in range(5):
        client.post("/accounts/staff/login/", {"username": "clerk", "password": "wrong-password-1"})
    response = client.post(
        "/accounts/staff/login/", {"username": "clerk", "password": "correct-horse-battery"}
    )
    assert response.status_code == 429 and text in response.content.decode()
    entry = AuditEntry.objects.filter(action="auth.locked_out").latest("sequence")
    assert entry.details == {"method": "password", "username": "clerk"}
    assert AuditEntry.objects.filter(action="auth.login_failed").count() >= 5


@pytest.mark.parametrize(("language", "text"), [("en", "Find a citizen"), ("zh-hans", "查找群众")])
def test_workbench_shows_region_path_and_search(language: str, text: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    staff_client_login(client, StaffFactory(region_code="440106006", roles=[Role.COMMUNITY_WORKER]))
    html = client.get("/accounts/workbench/").content.decode()
    assert text in html and "测试区划440106006" in html and "测试区划4401<" in html


def test_workbench_without_citizen_role_has_no_search(en_client: Client) -> None:
    staff_client_login(en_client, StaffFactory(roles=[Role.SUPERVISOR]))
    html = en_client.get("/accounts/workbench/").content.decode()
    assert "Find a citizen" not in html and "do not include looking up" in html


def test_workbench_search_requires_purpose_and_audits(en_client: Client) -> None:
    staff_client_login(en_client, StaffFactory(roles=[Role.CLERK]))
    citizen = CitizenFactory(region=chain_for("440106006002")[-1])
    missing = en_client.post(
        "/accounts/workbench/", {"id_number": citizen.id_number, "purpose": ""}
    )
    assert missing.status_code == 422 and citizen.phone not in missing.content.decode()
    found = en_client.post(
        "/accounts/workbench/", {"id_number": citizen.id_number, "purpose": "核对材料"}
    )
    assert found.status_code == 200 and citizen.phone in found.content.decode()
    entry = AuditEntry.objects.get(action="personal_data.read")
    assert entry.purpose == "核对材料"


def test_workbench_search_outside_region_finds_nothing(en_client: Client) -> None:
    staff_client_login(en_client, StaffFactory(roles=[Role.CLERK], region_code="440106"))
    other = CitizenFactory(region=chain_for("440104")[-1])
    response = en_client.post(
        "/accounts/workbench/", {"id_number": other.id_number, "purpose": "核对"}
    )
    assert response.status_code == 422
    assert (
        "No citizen with this resident ID number lives in your region." in response.content.decode()
    )
    assert not AuditEntry.objects.filter(action="personal_data.read").exists()


def test_cross_region_citizen_view_is_404_without_audit(en_client: Client) -> None:
    staff_client_login(en_client, StaffFactory(roles=[Role.CLERK], region_code="440106"))
    other = CitizenFactory(region=chain_for("440104")[-1])
    assert (
        en_client.get(f"/accounts/workbench/citizens/{other.pk}/", {"purpose": "x"}).status_code
        == 404
    )
    assert not AuditEntry.objects.filter(action="personal_data.read").exists()


def test_in_region_citizen_view_needs_purpose_and_is_audited(en_client: Client) -> None:
    staff_client_login(en_client, StaffFactory(roles=[Role.CLERK], region_code="440106"))
    citizen = CitizenFactory(region=chain_for("440106006002")[-1])
    ask = en_client.get(f"/accounts/workbench/citizens/{citizen.pk}/")
    assert ask.status_code == 200 and citizen.id_number not in ask.content.decode()
    shown = en_client.get(f"/accounts/workbench/citizens/{citizen.pk}/", {"purpose": "办件核验"})
    assert citizen.id_number in shown.content.decode()
    entry = AuditEntry.objects.get(action="personal_data.read")
    assert (entry.purpose, entry.subject_id) == ("办件核验", citizen.user_id)
    assert CitizenProfile.objects.count() == 1


def test_complete_profile_page_loads_region_picker(en_client: Client) -> None:
    en_client.force_login(CitizenFactory(real_name="", id_number="", region=None).user)
    html = en_client.get("/accounts/complete-profile/").content.decode()
    assert (
        'hx-get="/regions/picker?name=region_code&amp;code=&amp;label=Where%20do%20you%20live%3F"'
        in html
    )
    assert 'name="region_code"' in html


def test_password_step_expires_after_five_minutes(en_client: Client) -> None:
    staff = StaffFactory(username="clerk", password="correct-horse-battery")
    en_client.post(
        "/accounts/staff/login/", {"username": "clerk", "password": "correct-horse-battery"}
    )
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6), tick=False):
        response = en_client.post("/accounts/staff/login/totp/", {"token": totp_now(staff)})
    assert response["Location"] == "/accounts/staff/login/"
    assert "_auth_user_id" not in en_client.session


def test_citizen_login_forgets_phone_and_code_afterwards(en_client: Client) -> None:
    phone_login(en_client)
    assert "_auth_user_id" in en_client.session
    assert "accounts_login_phone" not in en_client.session
    assert en_client.get("/accounts/login/code/")["Location"] == "/accounts/login/"
