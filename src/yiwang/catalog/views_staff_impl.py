"""Department pages for implementations (实施清单): how this department carries out an item."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yiwang.accounts.decorators import staff_required
from yiwang.catalog import selectors_staff, services
from yiwang.catalog.forms_implementation import ImplementationForm, MaterialFormSet
from yiwang.catalog.models import ImplementationVersion
from yiwang.catalog.services.implementations import IMPLEMENTATION_VERSION_FIELDS, MATERIAL_FIELDS
from yiwang.catalog.views_staff import (
    MSG_DRAFT_SAVED,
    form_add_errors,
    staff_user,
    version_action_run,
)


def _materials(formset: Any) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in f.cleaned_data.items() if k in MATERIAL_FIELDS}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def _initial_materials(version: ImplementationVersion | None) -> list[dict[str, Any]]:
    if version is None:
        return []
    return [{k: getattr(m, k) for k in MATERIAL_FIELDS} for m in version.materials.all()]


def _render(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "catalog/staff/implementation_form.html", context)


@staff_required
def implementation_new(request: HttpRequest, code: str) -> HttpResponse:
    user = staff_user(request)
    item = selectors_staff.item_get_for_staff(user=user, code=code)
    form = ImplementationForm(request.POST or None, initial={"trips": 1, "fee_free": True})
    formset = MaterialFormSet(request.POST or None, prefix="m")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            version = services.implementation_create(
                item=item, department=user.staff.department, content=form.content(),
                materials=_materials(formset), by=user,
            )  # fmt: skip
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, MSG_DRAFT_SAVED)
            return redirect("catalog:manage_implementation", pk=version.implementation_id)
    return _render(request, {"form": form, "formset": formset, "item": item})


@staff_required
def implementation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the open draft; with none open, saving makes a new draft from the latest."""
    user = staff_user(request)
    implementation = selectors_staff.implementation_get_for_staff(user=user, pk=pk)
    draft = selectors_staff.implementation_open_version(implementation)
    source = draft or implementation.published_version
    form = ImplementationForm(
        request.POST or None, initial=ImplementationForm.initial_from(source) if source else None
    )
    formset = MaterialFormSet(request.POST or None, prefix="m", initial=_initial_materials(source))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            if draft is None:
                draft = services.implementation_version_draft(
                    implementation=implementation, by=user
                )
            services.implementation_version_update(
                version=draft, content=form.content(), materials=_materials(formset), by=user
            )
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, MSG_DRAFT_SAVED)
            return redirect("catalog:manage_implementation", pk=pk)
    published = implementation.published_version
    changes = draft.changes_since(published, fields=IMPLEMENTATION_VERSION_FIELDS) if draft else []
    return _render(request, {
        "form": form, "formset": formset, "item": implementation.item,
        "implementation": implementation, "draft": draft, "changes": changes,
    })  # fmt: skip


def _action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = staff_user(request)
    version = selectors_staff.implementation_version_get_for_staff(user=user, pk=pk)
    act = {
        "submit": services.implementation_version_submit,
        "publish": services.implementation_version_publish,
        "return": services.implementation_version_return,
    }[action]
    version_action_run(request, act=act, action=action, version=version, by=user)
    return redirect("catalog:manage_implementation", pk=version.implementation_id)


@require_POST
@staff_required
def implementation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, "submit")


@require_POST
@staff_required
def implementation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, "publish")


@require_POST
@staff_required
def implementation_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, "return")
