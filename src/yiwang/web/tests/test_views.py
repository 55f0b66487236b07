from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from yiwang.web.sections import Section

pytestmark = pytest.mark.django_db


def test_home_is_in_chinese_by_default(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "政务服务 一网通办" in html
    assert "跳到主要内容" in html
    assert "政务服务便民热线" in html and "12345" in html


def test_home_in_english(en_client: Client) -> None:
    html = en_client.get("/").content.decode()

    assert '<html lang="en">' in html
    assert "Government services in one place" in html
    assert "Skip to main content" in html


def test_home_links_existing_sections_and_marks_the_others_coming_soon(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "yiwang.web.context_processors.MAIN_SECTIONS",
        (
            Section("built", "Built section", "Open already.", "web:about"),
            Section("later", "Later section", "Not yet.", "nowhere:index"),
        ),
    )

    html = client.get("/").content.decode()

    assert '<a class="yw-card__link" href="/about/">Built section</a>' in html
    assert '<a class="yw-nav__link" href="/about/">Built section</a>' in html
    later_card = html[html.index("Later section</h3>") :]
    assert later_card.index("即将开放") < later_card.index("</div>")
    assert 'href="">' not in html


def test_home_links_the_staff_and_enterprise_doors(client: Client) -> None:
    html = client.get("/").content.decode()

    assert f'href="{reverse("accounts:staff_login")}"' in html
    assert f'href="{reverse("accounts:enterprise_register")}"' in html
    assert f'href="{reverse("accounts:login")}"' in html


def test_language_switch_round_trip(client: Client) -> None:
    page = client.get("/about/").content.decode()
    assert '<input type="hidden" name="next" value="/about/">' in page
    assert 'action="/i18n/setlang/"' in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/about/"})

    assert response.status_code == 302
    assert response["Location"] == "/about/"
    assert response.cookies["django_language"].value == "en"
    english = client.get("/about/").content.decode()
    assert '<html lang="en">' in english
    assert "<h1>About Yiwang</h1>" in english
    assert 'value="en" lang="en" aria-current="true">English</button>' in english

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/about/"})
    chinese = client.get("/about/").content.decode()
    assert '<html lang="zh-Hans">' in chinese
    assert "<h1>关于一网</h1>" in chinese


def test_language_switch_refuses_to_redirect_off_site(client: Client) -> None:
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "https://evil.example/phish"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_language_switch_ignores_an_unknown_language(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/about/"})

    assert response.status_code == 302
    assert "django_language" not in response.cookies
    assert '<html lang="zh-Hans">' in client.get("/about/").content.decode()


@pytest.mark.parametrize(
    ("url", "zh_heading", "en_heading"),
    [
        ("/about/", "关于一网", "About Yiwang"),
        ("/accessibility/", "无障碍声明", "Accessibility statement"),
        ("/privacy/", "隐私声明", "Privacy notice"),
        ("/sitemap/", "网站地图", "Site map"),
        ("/design/", "设计系统", "Design system"),
    ],
)
def test_information_pages_in_both_languages(
    zh_client: Client, en_client: Client, url: str, zh_heading: str, en_heading: str
) -> None:
    zh = zh_client.get(url)
    en = en_client.get(url)

    assert zh.status_code == en.status_code == 200
    assert f"<h1>{zh_heading}</h1>" in zh.content.decode()
    assert f"<h1>{en_heading}</h1>" in en.content.decode()


def test_privacy_notice_links_who_viewed_my_data(client: Client) -> None:
    html = client.get("/privacy/").content.decode()

    assert f'href="{reverse("audit:my_data_reads")}"' in html
    assert "加密" in html


def test_design_page_renders_every_component_with_its_markup(client: Client) -> None:
    from yiwang.web.design import EXAMPLES

    html = client.get("/design/").content.decode()

    for example in EXAMPLES:
        assert f'id="design-{example.slug}"' in html
    for css_class in ("yw-button--secondary", "yw-error-summary", "yw-summary-list", "yw-badge"):
        assert f'class="{css_class}' in html or f" {css_class}" in html
    # The markup is shown escaped next to the live example.
    assert "&lt;button class=&quot;yw-button yw-button--warning&quot;" in html


def test_pages_refuse_other_methods(client: Client) -> None:
    response = client.post("/")

    assert response.status_code == 405


def test_messages_render_as_notices(client: Client, settings: object) -> None:
    setattr(settings, "ROOT_URLCONF", "yiwang.web.tests.urls_for_tests")  # noqa: B010

    html = client.get("/test-errors/messages/").content.decode()

    assert '<div class="yw-notice yw-notice--success" role="status">' in html
    assert '<div class="yw-notice yw-notice--error" role="alert">' in html
    assert "<p>Saved.</p>" in html


def test_bench_baseline_is_trivial_json(client: Client) -> None:
    response = client.get("/bench/baseline")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"ok": True}
    assert client.post("/bench/baseline").status_code == 405


def test_home_search_posts_to_the_catalogue_when_it_is_installed(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "yiwang.web.templatetags.web_tags.url_if_exists",
        lambda name, *args: "/services/" if name == "catalog:index" else "",
    )

    html = client.get("/").content.decode()

    assert '<form class="yw-search" action="/services/" method="get" role="search">' in html
    assert '<input class="yw-input" id="home-search" name="q" type="search"' in html


def test_home_has_no_search_box_without_a_catalogue(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("yiwang.web.templatetags.web_tags.url_if_exists", lambda name, *a: "")

    html = client.get("/").content.decode()

    assert 'class="yw-search"' not in html
