"""Progressive-web-app endpoints: the manifest and the service worker, both served from the
site root because a worker only controls pages at or below its own URL."""

from __future__ import annotations

import hashlib
import json

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

THEME_COLOUR = "#0f2c4c"

# Static files the worker keeps so the offline page renders with its styles.
SHELL_STATIC = (
    "yiwang/yiwang.css",
    "yiwang/yiwang.js",
    "vendor/htmx/htmx.min.js",
    "yiwang/icons/favicon.svg",
    "yiwang/icons/icon-192.png",
)

# Paths the worker must never answer or store: personal and authenticated responses.
NEVER_CACHE_PREFIXES = ("/api/", "/admin/", "/accounts/", "/messages/", "/audit/", "/i18n/")


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    language = get_language() or "zh-hans"
    data = {
        "name": "一网 Yiwang",
        "short_name": "一网",
        "description": _("Government services in one place: apply, book, ask and follow up."),
        "lang": "en" if language == "en" else "zh-Hans",
        "start_url": reverse("web:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("yiwang/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("yiwang/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("yiwang/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(
        data,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


def shell_version(urls: list[str]) -> str:
    """A digest of the shell's URLs and file contents: when any of them changes the worker
    script changes too, so browsers install the new worker and drop the old cache."""
    digest = hashlib.sha256()
    for name in SHELL_STATIC:
        path = finders.find(name)
        if isinstance(path, str):
            with open(path, "rb") as handle:
                digest.update(handle.read())
    digest.update("\n".join(urls).encode())
    return digest.hexdigest()[:16]


@require_GET
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    offline_url = reverse("web:offline")
    shell = [static(name) for name in SHELL_STATIC] + [offline_url]
    script = render_to_string(
        "web/sw.js",
        {
            "version": shell_version(shell),
            "shell": json.dumps(shell),
            "offline_url": json.dumps(offline_url),
            "never": json.dumps(NEVER_CACHE_PREFIXES),
        },
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response
