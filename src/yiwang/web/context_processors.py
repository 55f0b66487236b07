from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import get_language

from yiwang.regions.models import Region
from yiwang.web.sections import MAIN_SECTIONS, STAFF_SECTIONS, Section

SITE_REGION_CACHE_KEY = "web:site-region"
SITE_REGION_CACHE_SECONDS = 600


def site_region_names() -> tuple[str, str]:
    """(Chinese, English) name of the province this deployment serves: the only top-level
    region loaded, or nothing when several provinces (or none) are loaded. Cached because
    every page header shows it."""
    names: tuple[str, str] | None = cache.get(SITE_REGION_CACHE_KEY)
    if names is None:
        provinces = list(Region.objects.filter(parent__isnull=True)[:2])
        province = provinces[0] if len(provinces) == 1 else None
        names = (province.name, province.name_en) if province else ("", "")
        cache.set(SITE_REGION_CACHE_KEY, names, SITE_REGION_CACHE_SECONDS)
    return names


def site_region_name() -> str:
    name, name_en = site_region_names()
    if name_en and not (get_language() or "").startswith("zh"):
        return name_en
    return name


def site(request: HttpRequest) -> dict[str, object]:
    # Callables are evaluated by the template only when used, so pages that never show the
    # header (JSON, fragments) pay nothing.
    region: Callable[[], str] = site_region_name
    main: tuple[Section, ...] = MAIN_SECTIONS
    return {
        "SHOW_DEV_CODES": settings.SHOW_DEV_CODES,
        "YIWANG_ENV": settings.YIWANG_ENV,
        "site_region_name": region,
        "main_sections": main,
        "staff_sections": STAFF_SECTIONS,
    }
