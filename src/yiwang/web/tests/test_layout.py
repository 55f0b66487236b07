from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template
from django.test import Client, RequestFactory
from django.utils import timezone, translation

from yiwang.accounts.models import User
from yiwang.accounts.tests.factories import StaffFactory
from yiwang.regions.models import Region

pytestmark = pytest.mark.django_db

STAFF_PAGE = Template(
    '{% extends "web/staff_base.html" %}'
    "{% block staff_nav_active %}audit{% endblock %}"
    "{% block main %}<h1>Test page</h1>{% endblock %}"
)


def render_staff_page(rf: RequestFactory, user: User | AnonymousUser) -> str:
    request = rf.get("/audit/")
    request.user = user
    return STAFF_PAGE.render(RequestContext(request))


def test_staff_layout_shows_who_is_working_and_where(rf: RequestFactory) -> None:
    user = StaffFactory(region_code="440106", display_name="李晓明")
    Region.objects.filter(code="440106").update(name="天河区", name_en="Tianhe District")
    user.staff.department.name = "天河区市场监督管理局"
    user.staff.department.name_en = "Tianhe Market Regulation"
    user.staff.department.save()
    user.refresh_from_db()

    html = render_staff_page(rf, user)
    with translation.override("en"):
        english = render_staff_page(rf, User.objects.get(pk=user.pk))

    assert "<strong>李晓明</strong> · 天河区市场监督管理局 · 天河区" in html
    assert "Tianhe Market Regulation · Tianhe District" in english
    assert 'data-staff-nav-active="audit"' in html
    assert 'href="/audit/" data-staff-nav="audit"' in html
    assert "<h1>Test page</h1>" in html


def test_staff_layout_without_a_staff_profile_shows_only_the_name(rf: RequestFactory) -> None:
    user = User.objects.create_user("someone", "a-long-password-1", display_name="王五")

    html = render_staff_page(rf, user)

    assert "<strong>王五</strong>\n" in html
    assert " · " not in html.split('class="yw-staff-bar__who"')[1].split("</p>")[0]


def test_header_names_the_province_when_one_is_loaded(client: Client, en_client: Client) -> None:
    Region.objects.create(code="44", name="广东省", name_en="Guangdong Province", level=1)

    assert "广东省政务服务" in client.get("/").content.decode()
    assert "Guangdong Province government services" in en_client.get("/").content.decode()


def test_header_without_a_single_province(client: Client) -> None:
    Region.objects.create(code="44", name="广东省", level=1)
    Region.objects.create(code="45", name="广西壮族自治区", level=1)

    html = client.get("/").content.decode()

    assert '<span class="yw-header__region">一网通办</span>' in html


def test_header_user_menu_for_visitors_and_citizens(client: Client) -> None:
    visitor = client.get("/").content.decode()
    assert 'href="/accounts/login/">登录</a>' in visitor
    assert "退出登录" not in visitor

    user = User.objects.create_user("citizen-1", None)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    citizen = client.get("/").content.decode()

    assert 'href="/accounts/me/">我的</a>' in citizen or 'href="/accounts/me/">' in citizen
    assert 'href="/messages/">' in citizen
    assert 'class="yw-badge"' not in citizen
    assert 'action="/accounts/logout/"' in citizen
    assert ">退出登录</button>" in citizen


def test_scripts_are_vendored_and_deferred(client: Client) -> None:
    html = client.get("/").content.decode()

    assert '<script src="/static/vendor/htmx/htmx.min.js" defer></script>' in html
    assert 'src="/static/yiwang/yiwang.js"' in html
    assert "http://" not in html.split("</head>")[0]
    assert "https://" not in html.split("</head>")[0]


def test_header_shows_the_unread_message_count(client: Client) -> None:
    from yiwang.notify.models import Message

    user = User.objects.create_user("citizen-2", None)
    for n, read_at in enumerate([None, None, timezone.now()]):
        Message.objects.create(
            recipient=user,
            template="t",
            language="zh-hans",
            subject=f"s{n}",
            body="b",
            read_at=read_at,
        )
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    html = client.get("/").content.decode()

    assert (
        '消息 <span class="yw-badge">2<span class="yw-visually-hidden"> 条未读</span></span>'
        in html
    )
