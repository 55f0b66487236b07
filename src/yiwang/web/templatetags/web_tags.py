"""Template helpers for the portal layout."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from yiwang.web.sections import url_if_exists

register = template.Library()


@register.simple_tag
def optional_url(url_name: str, *args: Any) -> str:
    """``{% optional_url "catalog:index" as url %}`` — the URL, or "" while the app that
    serves it is not installed yet, so layouts never render a link that would 404."""
    return url_if_exists(url_name, *args)


@register.filter
def path_within(path: str, prefix: str) -> bool:
    """True when ``path`` is ``prefix`` or below it — marks the current section in the nav."""
    return bool(prefix) and str(path).startswith(prefix)


@register.filter
def local_name(obj: Any) -> str:
    """A region's or department's name in the active language: ``name_en`` in English when
    it is filled in, the official Chinese ``name`` otherwise."""
    name_en = getattr(obj, "name_en", "")
    if name_en and not (get_language() or "").startswith("zh"):
        return str(name_en)
    return str(getattr(obj, "name", obj))
