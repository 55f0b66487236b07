"""``{% load reviews %}``: a department's name in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def local_name(department: Any) -> str:
    if department is None:
        return ""
    english = getattr(department, "name_en", "")
    if english and (get_language() or "").startswith("en"):
        return str(english)
    return str(department.name)


@register.filter
def mask_personal(text: Any) -> str:
    """Published text with any phone or ID number masked (texts from before the check)."""
    from yiwang.reviews.privacy import personal_data_mask

    return personal_data_mask(str(text or ""))
