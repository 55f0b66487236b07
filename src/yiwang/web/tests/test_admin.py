from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from yiwang.accounts.models import User
from yiwang.web.admin_site import YiwangAdminSite

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-admin-password"


def make_admin(*, is_staff: bool = True) -> tuple[User, StaticDevice]:
    user = User.objects.create_user("platform-admin", PASSWORD, is_staff=is_staff)
    device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    StaticToken.objects.create(device=device, token="12345678")
    return user, device


def verified_client(user: User, device: StaticDevice) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def test_the_default_admin_site_is_the_otp_site() -> None:
    assert isinstance(admin.site, YiwangAdminSite)


def test_anonymous_visitors_are_sent_to_the_admin_login(client: Client) -> None:
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_password_alone_does_not_open_the_admin() -> None:
    user, _device = make_admin()
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_verified_platform_admin_sees_the_admin_in_chinese() -> None:
    client = verified_client(*make_admin())

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "一网 平台管理" in response.content.decode()


def test_verified_user_without_admin_access_is_refused() -> None:
    client = verified_client(*make_admin(is_staff=False))

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_login_is_the_staff_login_with_its_second_factor(rf: RequestFactory) -> None:
    request = rf.get("/admin/login/?next=/admin/accounts/user/")

    response = YiwangAdminSite().login(request)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/staff/login/?next=/admin/accounts/user/"


def test_admin_login_does_not_forward_to_another_site(rf: RequestFactory) -> None:
    request = rf.get("/admin/login/?next=https://evil.example/")

    response = YiwangAdminSite().login(request)

    assert response["Location"] == "/accounts/staff/login/?next=/admin/"


def test_admin_index_sends_unverified_users_to_the_staff_login(client: Client) -> None:
    first = client.get("/admin/")
    second = client.get(first["Location"])

    assert first["Location"] == "/admin/login/?next=/admin/"
    assert second.status_code == 302
    assert second["Location"].startswith("/accounts/staff/login/?next=")
