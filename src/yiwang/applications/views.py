"""Citizen pages: apply from a guide, fill the form, upload, submit; my applications, the
timeline, supplement (补正) and withdraw."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.accounts.decorators import citizen_required
from yiwang.accounts.selectors import enterprise_list_for_user
from yiwang.applications import selectors, services
from yiwang.applications.models import Application, Status
from yiwang.applications.services import process_definition_latest
from yiwang.applications.uploads import application_material_add, upload_max_bytes
from yiwang.catalog.forms_schema_render import schema_form
from yiwang.catalog.models import Implementation

PAGE_SIZE = 20


def _applyable(implementation: Implementation) -> bool:
    version = implementation.published_version
    return bool(version and version.process_ref and process_definition_latest(version.process_ref))


def apply_action(request: HttpRequest) -> HttpResponse:
    """The guide page's "Apply online" button (fetched by htmx): a link when the service
    has an installed process, else the disabled button the guide shows without it."""
    implementation = Implementation.objects.filter(
        pk=request.GET.get("implementation") or 0, published_version__isnull=False
    ).first()
    ok = implementation is not None and _applyable(implementation)
    return render(
        request,
        "applications/_apply_action.html",
        {"implementation": implementation if ok else None},
    )


def _raw(request: HttpRequest, application: Application | Implementation) -> dict[str, Any]:
    version = (
        application.implementation_version
        if isinstance(application, Application)
        else application.published_version
    )
    schema = version.form_schema if version else {}
    return {
        name: request.POST.get(name)
        for name in schema.get("properties", {})
        if request.POST.get(name) not in (None, "")
    }


@citizen_required
def apply(request: HttpRequest, implementation: int) -> HttpResponse:
    impl = get_object_or_404(
        Implementation.objects.select_related("item__published_version", "published_version"),
        pk=implementation,
        published_version__isnull=False,
    )
    if not _applyable(impl):
        raise Http404
    if request.method == "POST":
        # An agent applies for an enterprise they are authorised for (else "not found").
        enterprise = request.POST.get("enterprise", "")
        application = services.application_draft_save(
            user=request.user,
            implementation=impl,
            form_data=_raw(request, impl),
            enterprise_id=int(enterprise) if enterprise.isdigit() else None,
        )
        return redirect("applications:edit", application.number)
    version = impl.published_version
    return render(request, "applications/apply.html", {
        "implementation": impl, "form": schema_form(version.form_schema if version else {}),
        "enterprises": enterprise_list_for_user(user=request.user),
    })  # fmt: skip


def _edit_context(application: Application, form: Any, **extra: Any) -> dict[str, Any]:
    return {
        "application": application,
        "form": form,
        "materials": application.implementation_version.materials.all(),
        "uploaded": application.materials.select_related("material"),
        "reusable": selectors.reusable_certificates(
            user=application.applicant, application=application
        ),
        "submit_token": uuid.uuid4(),
        "max_bytes": upload_max_bytes(),
        **extra,
    }


@citizen_required
def edit(request: HttpRequest, number: str) -> HttpResponse:
    """The draft: fill in, save, review and submit."""
    application = selectors.application_get_for_citizen(user=request.user, number=number)
    if application.status != Status.DRAFT:
        return redirect("applications:detail", number)
    schema = application.implementation_version.form_schema
    if request.method != "POST":
        form = schema_form(schema, data=application.form_data or None)
        return render(request, "applications/edit.html", _edit_context(application, form))
    application = services.application_draft_save(
        user=request.user,
        implementation=application.implementation,
        form_data=_raw(request, application),
        application=application,
    )
    if request.POST.get("action") != "submit":
        messages.success(request, _("Your draft is saved."))
        return redirect("applications:edit", number)
    form = schema_form(schema, data=request.POST)
    if not form.is_valid():
        return render(request, "applications/edit.html", _edit_context(application, form))
    try:
        token = uuid.UUID(request.POST.get("submit_token", ""))
    except ValueError:
        token = uuid.uuid4()
    try:
        services.application_submit(user=request.user, application=application, submit_token=token)
    except ValidationError as exc:
        # An offered certificate revoked since, or data the result cannot be issued without.
        context = _edit_context(application, form, problems=_messages(exc))
        return render(request, "applications/edit.html", context, status=422)
    messages.success(request, _("Your application is submitted."))
    return redirect("applications:detail", number)


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


@citizen_required
@require_POST
def use_certificate(request: HttpRequest, number: str) -> HttpResponse:
    """免提交: offer a held e-certificate instead of uploading the material."""
    application = selectors.application_get_for_citizen(user=request.user, number=number)
    material = application.implementation_version.materials.filter(
        pk=request.POST.get("material") or 0
    ).first()
    if material is None:
        raise Http404
    try:
        services.application_material_certificate_link(
            user=request.user,
            application=application,
            material=material,
            number=request.POST.get("certificate", ""),
        )
    except ValidationError as exc:
        form = schema_form(
            application.implementation_version.form_schema, data=application.form_data or None
        )
        context = _edit_context(
            application,
            form,
            certificate_errors={material.pk: _messages(exc).get("certificate") or exc.messages},
            checklist=selectors.supplement_checklist(application),
        )
        template = (
            "applications/edit.html"
            if application.status == Status.DRAFT
            else "applications/supplement.html"
        )
        return render(request, template, context, status=422)
    messages.success(request, _("The e-certificate is attached: no upload is needed."))
    target = (
        "applications:edit" if application.status == Status.DRAFT else "applications:supplement"
    )
    return redirect(target, number)


@citizen_required
@require_POST
def upload(request: HttpRequest, number: str) -> HttpResponse:
    application = selectors.application_get_for_citizen(user=request.user, number=number)
    material = application.implementation_version.materials.filter(
        pk=request.POST.get("material") or 0
    ).first()
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            application_material_add(
                user=request.user, application=application, upload=file, material=material
            )
            messages.success(request, _("The file is uploaded."))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
    target = (
        "applications:edit" if application.status == Status.DRAFT else "applications:supplement"
    )
    return redirect(target, number)


@citizen_required
def mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.applications_for_citizen(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "applications/mine.html", {"page": page})


@citizen_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    application = selectors.application_get_for_citizen(user=request.user, number=number)
    return render(request, "applications/detail.html", {
        "application": application,
        "timeline": selectors.timeline_for_citizen(application),
        "checklist": selectors.supplement_checklist(application),
        "uploaded": application.materials.select_related("material"),
        "reason": selectors.decision_reason(application),
        "automated": selectors.automated_decision(application),
    })  # fmt: skip


@citizen_required
def supplement(request: HttpRequest, number: str) -> HttpResponse:
    application = selectors.application_get_for_citizen(user=request.user, number=number)
    if application.status != Status.SUPPLEMENT_REQUESTED:
        messages.error(request, _("This application is not waiting for a supplement."))
        return redirect("applications:detail", number)
    schema = application.implementation_version.form_schema
    form = schema_form(
        schema, data=request.POST if request.method == "POST" else application.form_data
    )
    if request.method == "POST" and form.is_valid():
        services.application_supplement(
            user=request.user, application=application, form_data=_raw(request, application)
        )
        messages.success(request, _("Thank you: your supplement is sent to the department."))
        return redirect("applications:detail", number)
    return render(request, "applications/supplement.html", _edit_context(
        application, form, checklist=selectors.supplement_checklist(application)
    ))  # fmt: skip


@citizen_required
@require_POST
def withdraw(request: HttpRequest, number: str) -> HttpResponse:
    application = selectors.application_get_for_citizen(user=request.user, number=number)
    try:
        services.application_withdraw(user=request.user, application=application)
        messages.success(request, _("Your application is withdrawn."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("applications:detail", number)


@citizen_required
@require_POST
def appeal(request: HttpRequest, number: str) -> HttpResponse:
    application = selectors.application_get_for_citizen(user=request.user, number=number)
    try:
        services.application_appeal(
            user=request.user, application=application, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Your appeal is sent: a person will review the decision."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("applications:detail", number)
