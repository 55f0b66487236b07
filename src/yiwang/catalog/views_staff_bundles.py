"""Pages for life-event bundles (一件事), kept by coordinating departments' reviewers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yiwang.accounts.decorators import staff_required
from yiwang.catalog.forms import BundleForm
from yiwang.catalog.models import Bundle
from yiwang.catalog.services import bundle_save
from yiwang.catalog.views_staff import MSG_DRAFT_SAVED, form_add_errors, staff_user


@staff_required
def bundle_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/staff/bundles.html", {"bundles": Bundle.objects.all()})


@staff_required
def bundle_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Create (no ``code``) or change a bundle; ``bundle_save`` checks who may."""
    bundle = Bundle.objects.filter(code=code).first() if code else None
    if code and bundle is None:
        raise Http404
    initial = None
    if bundle is not None:
        initial = {
            name: getattr(bundle, name)
            for name in ("code", "name_zh", "name_en", "description_zh", "description_en",
                         "keywords_zh", "keywords_en", "persona", "is_published")
        }  # fmt: skip
        initial["item_codes"] = "\n".join(s.item.code for s in bundle.steps.select_related("item"))
    form = BundleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = bundle_save(**form.cleaned_data, by=staff_user(request))
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, MSG_DRAFT_SAVED)
            return redirect("catalog:manage_bundle", code=saved.code)
    return render(request, "catalog/staff/bundle_form.html", {"form": form, "bundle": bundle})
