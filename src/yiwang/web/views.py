"""Portal pages that belong to no single domain: home, information pages, the living style
guide, the offline page and the benchmark baseline."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from yiwang.web.design import EXAMPLES
from yiwang.web.sections import AUDIENCE_SECTIONS, MAIN_SECTIONS


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"audience_sections": AUDIENCE_SECTIONS})


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "web/about.html")


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "web/privacy.html")


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    sections = MAIN_SECTIONS + AUDIENCE_SECTIONS
    return render(request, "web/sitemap.html", {"sections": sections})


@require_GET
def design(request: HttpRequest) -> HttpResponse:
    """The living style guide: every yw- component rendered with its markup."""
    return render(request, "web/design.html", {"examples": EXAMPLES})


@require_GET
@cache_control(public=True, max_age=3600)
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker when the network is down. The same for everyone, because
    the worker stores one copy: Chinese layout, with an English section marked lang="en"."""
    with translation.override("zh-hans"):
        return render(request, "web/offline.html")


@require_GET
def bench_baseline(request: HttpRequest) -> JsonResponse:
    """Benchmark endpoint B: the cheapest possible response that still passes through the
    whole middleware stack (sessions, locale, CSRF, auth, OTP, axes, API guards), so that
    ``bench/`` can separate the framework's cost from the cost of real endpoints."""
    return JsonResponse({"ok": True})
