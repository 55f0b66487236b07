"""The region picker: an htmx fragment of cascading ``<select>``s for any form.

A form renders it in place with ``{% load regions_tags %}{% region_picker "region"
code=form.region.value %}``, or loads it with ``hx-get="{% url 'regions:picker' %}?name=region"``
and ``hx-trigger="load"``; each change then reloads it from here. The chosen code is
posted in a hidden input named ``name``; the selects carry ``<name>__region`` so they never
clash with the form's own fields.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from yiwang.regions.picker import picker_levels

FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$")
MSG_BAD_FIELD_NAME = _("The form field name is not valid.")
MSG_UNKNOWN_REGION = _("There is no region with this code.")


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "regions/picker_error.html", {"message": message}, status=status)


@require_GET
def picker(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("name", "")
    if not FIELD_NAME.match(name):
        return _error(request, str(MSG_BAD_FIELD_NAME), 400)
    # A change in one of the selects sends its own value as "<name>__region".
    code = request.GET.get(f"{name}__region", request.GET.get("code", ""))
    label = request.GET.get("label", "")[:100]
    try:
        levels = picker_levels(code=code)
    except ValidationError as exc:
        return _error(request, exc.messages[0], 400)
    except Http404:
        return _error(request, str(MSG_UNKNOWN_REGION), 404)
    context = {"name": name, "label": label, "code": code.strip(), "levels": levels}
    return render(request, "regions/picker.html", context)
