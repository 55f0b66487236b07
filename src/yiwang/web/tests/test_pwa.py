from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def static_path(url: str) -> str:
    assert url.startswith(settings.STATIC_URL), url
    found = finders.find(url.removeprefix(settings.STATIC_URL))
    assert isinstance(found, str), url
    return found


def test_manifest_is_valid_json_with_icons_that_exist(client: Client) -> None:
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "一网 Yiwang"
    assert manifest["short_name"] == "一网"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        with open(static_path(icon["src"]), "rb") as handle:
            header = handle.read(24)
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
        assert f"{width}x{height}" == icon["sizes"]


def test_manifest_description_follows_the_language(en_client: Client) -> None:
    manifest = json.loads(en_client.get("/manifest.webmanifest").content)

    assert manifest["lang"] == "en"
    assert manifest["description"].startswith("Government services in one place")


def test_pages_link_the_manifest(client: Client) -> None:
    html = client.get("/").content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'data-service-worker="/sw.js" defer></script>' in html


def test_service_worker_is_served_from_the_root_scope(client: Client) -> None:
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]


def test_service_worker_caches_the_shell_and_never_personal_paths(client: Client) -> None:
    script = client.get("/sw.js").content.decode()

    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", script).group(1))  # type: ignore[union-attr]
    never = json.loads(re.search(r"const NEVER = (\[.*?\]);", script).group(1))  # type: ignore[union-attr]
    assert "/offline/" in shell
    for url in shell:
        if url != "/offline/":
            static_path(url)
        assert not any(url.startswith(prefix) for prefix in never)
    assert {"/api/", "/admin/", "/accounts/", "/messages/"} <= set(never)
    assert re.search(r'const CACHE = "yiwang-shell-[0-9a-f]{16}";', script)


def test_service_worker_version_is_stable_for_the_same_files(client: Client) -> None:
    first = client.get("/sw.js").content
    second = client.get("/sw.js").content

    assert first == second


def test_offline_page_is_bilingual_and_personal_data_free(en_client: Client) -> None:
    response = en_client.get("/offline/")

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<html lang="zh-Hans">' in html
        and "<title>网络已断开 / You are offline · 一网</title>" in html
    )
    assert '<section lang="zh-Hans">' in html and "网络已断开" in html
    assert '<section lang="en">' in html and "You are offline" in html
    assert "csrfmiddlewaretoken" not in html
    assert "public" in response["Cache-Control"]
