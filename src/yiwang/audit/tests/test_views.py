from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client

from yiwang.audit.forms import MSG_DATE_ORDER
from yiwang.audit.services import audit_log, personal_data_read
from yiwang.audit.tests import factories

pytestmark = pytest.mark.django_db

MY_READS = "/audit/my-data-reads/"
STAFF_LIST = "/audit/"


def test_citizen_sees_who_viewed_their_data_in_chinese(client: Client) -> None:
    reader = factories.staff(region_code="440106", display_name="王五", department="天河区数据局")
    me, other = factories.citizen(), factories.citizen()
    personal_data_read(actor=reader, subject=me, purpose="审核低保申请", fields=["real_name"])
    personal_data_read(actor=reader, subject=other, purpose="别人的记录", fields=["phone"])
    client.force_login(me)

    response = client.get(MY_READS, headers={"accept-language": "zh-hans"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "谁查看了我的数据" in page
    assert "王五" in page and "天河区数据局" in page and "审核低保申请" in page and "姓名" in page
    assert "别人的记录" not in page


def test_page_in_english_and_empty_state(client: Client) -> None:
    client.force_login(factories.citizen())

    response = client.get(MY_READS, headers={"accept-language": "en"})

    page = response.content.decode()
    assert "Who viewed my data" in page
    assert "Nobody has viewed your personal data yet." in page


def test_my_reads_page_is_paginated(client: Client) -> None:
    reader = factories.staff(region_code="440106")
    me = factories.citizen()
    for n in range(21):
        personal_data_read(actor=reader, subject=me, purpose=f"purpose-{n:02d}", fields=["phone"])
    client.force_login(me)

    second = client.get(MY_READS, {"page": 2}, headers={"accept-language": "en"}).content.decode()

    assert "purpose-00" in second and "purpose-01" not in second
    assert "Page 2 of 2" in second


def test_my_reads_page_needs_a_login(client: Client) -> None:
    response = client.get(MY_READS)

    assert response.status_code == 302
    assert "next=/audit/my-data-reads/" in response["Location"]


def test_supervisor_sees_only_their_region(client: Client) -> None:
    supervisor = factories.staff(region_code="440106", roles=("supervisor",))
    audit_log(actor=None, action="auth.login", region_code="440106", purpose="in-region")
    audit_log(actor=None, action="auth.login", region_code="4403", purpose="elsewhere")
    client.force_login(supervisor)

    response = client.get(STAFF_LIST, headers={"accept-language": "en"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "in-region" in page and "elsewhere" not in page
    assert "Logged in" in page


def test_staff_list_filters_by_action(client: Client) -> None:
    admin = factories.staff(region_code="44", roles=("platform_admin",))
    audit_log(actor=None, action="auth.login", purpose="a-login")
    audit_log(actor=None, action="auth.logout", purpose="a-logout")
    client.force_login(admin)

    page = client.get(STAFF_LIST, {"action": "auth.logout"}).content.decode()

    assert "a-logout" in page and "a-login" not in page


def test_staff_list_reports_a_bad_date_range(client: Client) -> None:
    admin = factories.staff(region_code="44", roles=("platform_admin",))
    audit_log(actor=None, action="auth.login", purpose="still-listed")
    client.force_login(admin)

    response = client.get(
        STAFF_LIST,
        {"date_from": "2024-05-02", "date_to": "2024-05-01"},
        headers={"accept-language": "en"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert str(MSG_DATE_ORDER) in page
    assert "still-listed" in page  # an invalid filter is ignored, not applied half-way


@pytest.mark.parametrize("roles", [(), ("clerk", "reviewer")])
def test_staff_without_audit_role_are_refused(client: Client, roles: tuple[str, ...]) -> None:
    client.force_login(factories.staff(region_code="440106", roles=roles))

    assert client.get(STAFF_LIST).status_code == 403


def test_citizens_are_refused_the_staff_list(client: Client) -> None:
    client.force_login(factories.citizen())

    assert client.get(STAFF_LIST).status_code == 403


def test_the_admin_shows_the_log_read_only(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    # The admin site also demands a verified second factor; that is the web app's concern.
    monkeypatch.setattr(admin.site, "has_permission", lambda request: request.user.is_superuser)
    admin_user = factories.UserFactory(kind="staff", is_staff=True, is_superuser=True)
    entry = audit_log(actor=None, action="auth.login", purpose="shown-in-admin")
    client.force_login(admin_user)

    listing = client.get("/admin/audit/auditentry/")
    change = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    posted = client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"purpose": "x"})

    assert listing.status_code == 200 and "auth.login" in listing.content.decode()
    assert change.status_code == 200 and 'name="purpose"' not in change.content.decode()
    assert posted.status_code == 403
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
