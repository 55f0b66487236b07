from __future__ import annotations

from typing import Any as SettingsWrapper

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from yiwang import urls as project_urls
from yiwang.web import errors

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _failing_views(settings: SettingsWrapper) -> None:
    settings.ROOT_URLCONF = "yiwang.web.tests.urls_for_tests"


def test_project_urls_use_the_web_error_handlers() -> None:
    assert project_urls.handler400 == "yiwang.web.errors.bad_request"
    assert project_urls.handler403 == "yiwang.web.errors.permission_denied"
    assert project_urls.handler404 == "yiwang.web.errors.page_not_found"
    assert project_urls.handler500 == "yiwang.web.errors.server_error"


def test_404_in_chinese_with_the_layout(client: Client) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>找不到页面</h1>" in html
    assert 'class="yw-header"' in html and 'href="/sitemap/"' in html


def test_404_in_english(en_client: Client) -> None:
    html = en_client.get("/no-such-page/").content.decode()

    assert '<html lang="en">' in html
    assert "<h1>Page not found</h1>" in html


def test_403(client: Client, en_client: Client) -> None:
    response = client.get("/test-errors/forbidden/")

    assert response.status_code == 403
    assert "<h1>您无权查看此页面</h1>" in response.content.decode()
    english = en_client.get("/test-errors/forbidden/").content.decode()
    assert "<h1>You cannot see this page</h1>" in english


def test_400_uses_the_minimal_layout(client: Client) -> None:
    response = client.get("/test-errors/suspicious/")

    assert response.status_code == 400
    html = response.content.decode()
    assert "<h1>抱歉，无法处理该请求</h1>" in html
    assert "csrfmiddlewaretoken" not in html


def test_500_in_both_languages() -> None:
    zh = Client(raise_request_exception=False)
    en = Client(raise_request_exception=False)
    en.cookies["django_language"] = "en"

    response = zh.get("/test-errors/boom/")

    assert response.status_code == 500
    assert "<h1>抱歉，服务出现问题</h1>" in response.content.decode()
    english = en.get("/test-errors/boom/").content.decode()
    assert '<html lang="en">' in english
    assert "<h1>Sorry, there is a problem with the service</h1>" in english


def test_500_page_needs_no_database(rf: RequestFactory, django_assert_num_queries: object) -> None:
    request = rf.get("/")

    with django_assert_num_queries(0):  # type: ignore[operator]
        response = errors.server_error(request)

    assert response.status_code == 500
    assert "12345" in response.content.decode()


def test_500_falls_back_to_plain_text_when_the_template_breaks(
    rf: RequestFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(name: str) -> object:
        raise RuntimeError("template storage gone")

    monkeypatch.setattr(errors, "get_template", broken)

    with translation.override("zh-hans"):
        response = errors.server_error(rf.get("/"))

    assert response.status_code == 500
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "抱歉，服务出现问题，请稍后再试。"


def test_csrf_failure_page(settings: SettingsWrapper) -> None:
    assert settings.CSRF_FAILURE_VIEW == "yiwang.web.errors.csrf_failure"
    client = Client(enforce_csrf_checks=True)

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>表单已过期</h1>" in html
    assert "django_language" not in response.cookies
