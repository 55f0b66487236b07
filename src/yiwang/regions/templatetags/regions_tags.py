"""``{% region_picker %}``: render the region picker inside a form without a first htmx request.

    {% load regions_tags %}
    {% region_picker "region" code=form.region.value label=_("Place of residence") %}

A code that is malformed or names no region (e.g. a tampered or stale form value) shows the
picker from the provinces down, empty — the form's own validation reports the error.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import ValidationError
from django.http import Http404

from yiwang.regions.picker import picker_levels

register = template.Library()


@register.inclusion_tag("regions/picker.html")
def region_picker(name: str, code: Any = "", label: Any = "") -> dict[str, Any]:
    chosen = str(code or "").strip()
    try:
        levels = picker_levels(code=chosen)
    except (ValidationError, Http404):
        chosen, levels = "", picker_levels(code="")
    return {"name": name, "code": chosen, "label": label, "levels": levels}
