"""Department pages: draft items, send them for review, and (for reviewers) publish them."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from yiwang.accounts.decorators import staff_required
from yiwang.accounts.models import User
from yiwang.catalog import selectors_staff, services
from yiwang.catalog.forms import ItemCreateForm, ItemVersionForm
from yiwang.catalog.permissions import EDITOR_ROLES, REVIEWER_ROLES
from yiwang.catalog.services.items import ITEM_VERSION_FIELDS
from yiwang.catalog.services.transfer import catalogue_export, catalogue_import, rows_from_json
from yiwang.catalog.services.transfer_xlsx import catalogue_export_xlsx, rows_from_xlsx

MSG_DRAFT_SAVED = _("Saved.")
MSG_SUBMITTED = _("Sent for review.")
MSG_PUBLISHED = _("Published. Citizens now see this version.")
MSG_RETURNED = _("Sent back to the author as a draft.")


def staff_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - staff_required guarantees it
    return user


def form_add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, exc)


@staff_required
def manage(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    roles = user.staff.role_codes
    return render(request, "catalog/staff/manage.html", {
        "items": selectors_staff.items_for_staff(user=user),
        "in_review": selectors_staff.item_versions_in_review(user=user),
        "can_edit": bool(roles & EDITOR_ROLES), "can_review": bool(roles & REVIEWER_ROLES),
    })  # fmt: skip


@staff_required
def item_new(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    form = ItemCreateForm(
        request.POST or None, initial={"department_kind": user.staff.department.kind}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.item_create(
                code=data["code"], item_type=data["item_type"],
                department_kind=data["department_kind"], region_level=data["region_level"],
                persona=data["persona"], by=user,
                content={k: v for k, v in data.items() if k in ITEM_VERSION_FIELDS},
            )  # fmt: skip
        except PermissionDenied:
            raise
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, MSG_DRAFT_SAVED)
            return redirect("catalog:manage_item", code=data["code"])
    return render(request, "catalog/staff/item_form.html", {"form": form, "item": None})


@staff_required
def item_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Edit the open draft; with none open, the first save makes a new draft (published
    versions are never changed in place)."""
    user = staff_user(request)
    item = selectors_staff.item_get_for_staff(user=user, code=code)
    draft = selectors_staff.item_open_version(item)
    source = draft or item.published_version or item.versions.order_by("-number").first()
    initial = {name: getattr(source, name) for name in ITEM_VERSION_FIELDS} if source else {}
    form = ItemVersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if draft is None:
                draft = services.item_version_draft(item=item, by=user)
            services.item_version_update(version=draft, content=form.cleaned_data, by=user)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, MSG_DRAFT_SAVED)
            return redirect("catalog:manage_item", code=code)
    changes = (
        draft.changes_since(item.published_version, fields=ITEM_VERSION_FIELDS) if draft else []
    )
    return render(request, "catalog/staff/item_form.html", {
        "form": form, "item": item, "draft": draft, "changes": changes,
        "implementations": selectors_staff.implementations_for_staff(user=user, item=item),
    })  # fmt: skip


ACTION_DONE = {"submit": MSG_SUBMITTED, "publish": MSG_PUBLISHED, "return": MSG_RETURNED}


def version_action_run(
    request: HttpRequest, *, act: Callable[..., object], action: str, version: Any, by: User
) -> None:
    """Run one review step (submit / publish / return) and say how it went on the next page."""
    try:
        act(version=version, by=by)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, ACTION_DONE[action])


def _version_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = staff_user(request)
    version = selectors_staff.item_version_get_for_staff(user=user, pk=pk)
    act = {
        "submit": services.item_version_submit,
        "publish": services.item_version_publish,
        "return": services.item_version_return,
    }[action]
    version_action_run(request, act=act, action=action, version=version, by=user)
    return redirect("catalog:manage_item", code=version.item.code)


@require_POST
@staff_required
def version_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _version_action(request, pk, "submit")


@require_POST
@staff_required
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _version_action(request, pk, "publish")


@require_POST
@staff_required
def version_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _version_action(request, pk, "return")


MSG_IMPORTED = _(
    "Imported: %(created)s new items, %(changed)s changed items, %(impl_created)s new and "
    "%(impl_changed)s changed implementations, all sent for review."
)
MSG_FILE_TYPE = _("Choose a .json or .xlsx file exported from this catalogue.")
MAX_IMPORT_BYTES = 5 * 1024 * 1024


@staff_required
def transfer(request: HttpRequest) -> HttpResponse:
    """Export the published catalogue; import a file (all or nothing, errors by row)."""
    problems: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        name = upload.name.lower() if upload and upload.name else ""
        too_big = upload is not None and (upload.size or 0) > MAX_IMPORT_BYTES
        if upload is None or too_big or not name.endswith((".json", ".xlsx")):
            problems = [str(MSG_FILE_TYPE)]
        else:
            try:
                rows = (
                    rows_from_json(upload.read())
                    if name.endswith(".json")
                    else rows_from_xlsx(upload)
                )
                report = catalogue_import(rows=rows, by=staff_user(request))
            except ValidationError as exc:
                problems = [str(m) for m in exc.messages]
            else:
                messages.success(
                    request,
                    MSG_IMPORTED
                    % {
                        "created": report.items_created,
                        "changed": report.items_changed,
                        "impl_created": report.implementations_created,
                        "impl_changed": report.implementations_changed,
                    },
                )
                return redirect("catalog:manage")
    return render(request, "catalog/staff/transfer.html", {"problems": problems})  # fmt: skip


@staff_required
def export_json(request: HttpRequest) -> HttpResponse:
    body = json.dumps(catalogue_export(), ensure_ascii=False, indent=1, cls=DjangoJSONEncoder)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="catalogue.json"'
    return response


@staff_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        catalogue_export_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="catalogue.xlsx"'
    return response
