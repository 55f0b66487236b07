"""Staff workbench: inbox (mine, pool, overdue, done), the task page, claim and act."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from yiwang.accounts.decorators import staff_required
from yiwang.applications import selectors, services
from yiwang.applications.models import Status
from yiwang.audit.services import personal_data_read

PAGE_SIZE = 25
# Counting every matching row of a large pool costs more than the page itself (a full count
# over 60,000 open items is ~125 ms on PostgreSQL, the page under 1 ms): count at most this
# many and ask the clerk to narrow the list with the filters beyond it.
INBOX_COUNT_CAP = 2000


class CappedPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        items = cast(QuerySet[Any], self.object_list)
        return int(items.values("pk")[: INBOX_COUNT_CAP + 1].count())

    @property
    def capped(self) -> bool:
        return self.count > INBOX_COUNT_CAP


VIEW_LABELS = {
    "mine": gettext_lazy("My tasks"),
    "pool": gettext_lazy("Department pool"),
    "overdue": gettext_lazy("Overdue"),
    "done": gettext_lazy("Recently done"),
}
ACTION_LABELS = {
    "accept": gettext_lazy("Accept"),
    "not_accept": gettext_lazy("Do not accept"),
    "supplement": gettext_lazy("Ask for a supplement"),
    "approve": gettext_lazy("Approve"),
    "reject": gettext_lazy("Reject"),
    "return": gettext_lazy("Return to the previous step"),
    "complete": gettext_lazy("Done"),
    "uphold": gettext_lazy("Uphold the automated decision"),
    "overturn": gettext_lazy("Overturn the automated decision"),
}


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filters(request: HttpRequest) -> selectors.InboxFilters:
    get = request.GET
    status = get.get("status", "")
    sort = get.get("sort", "")
    return selectors.InboxFilters(
        item=get.get("item", "")[:20],
        status=status if status in Status.values else "",
        overdue=get.get("overdue") == "1",
        number=get.get("number", "").strip()[:32],
        submitted_from=_date(get.get("from", "")),
        submitted_to=_date(get.get("to", "")),
        sort=sort if sort in selectors.INBOX_SORTS else "",
    )


@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view", "mine")
    if view not in selectors.INBOX_VIEWS:
        view = "mine"
    filters = _filters(request)
    items = selectors.inbox_for_staff(user=request.user, view=view, filters=filters)
    page = CappedPaginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {k: v for k, v in request.GET.items() if k not in ("page", "sort") and v}
    kept["view"] = view
    return render(request, "applications/staff/inbox.html", {
        "page": page, "view": view, "views": VIEW_LABELS.items(), "filters": filters,
        "query": urlencode({**kept, **({"sort": filters.sort} if filters.sort else {})}) + "&",
        "sort_query": urlencode(kept), "cap": INBOX_COUNT_CAP,
        "item_choices": selectors.inbox_item_choices(user=request.user),
        "status_choices": Status.choices[1:],
    })  # fmt: skip


def _task_context(request: HttpRequest, item_id: int, **extra: Any) -> dict[str, Any]:
    item = selectors.work_item_get_for_staff(user=request.user, item_id=item_id)
    application = item.application
    actions = selectors.item_actions(item)
    return {
        "item": item,
        "application": application,
        "actions": [(a, ACTION_LABELS.get(a, a)) for a in actions],
        "timeline": selectors.timeline_for_staff(application),
        "form_rows": selectors.form_rows(application),
        "staff_view": True,
        "uploaded": application.materials.select_related("material", "certificate"),
        "claimed_by_me": item.claimed_by_id == request.user.pk,
        "automated": selectors.automated_decision(application),
        **extra,
    }


@staff_required
def task(request: HttpRequest, item_id: int) -> HttpResponse:
    return render(request, "applications/staff/task.html", _task_context(request, item_id))


@staff_required
@require_POST
def applicant(request: HttpRequest, item_id: int) -> HttpResponse:
    """Show the applicant's personal data, once, for a stated purpose (audited)."""
    context = _task_context(request, item_id)
    purpose = request.POST.get("purpose", "")
    try:
        context["person"] = selectors.applicant_details_for_staff(
            user=request.user, application=context["application"], purpose=purpose
        )
    except ValidationError as exc:
        context["purpose_error"] = exc.messages[0]
    return render(request, "applications/staff/task.html", context)


@staff_required
@require_POST
def claim(request: HttpRequest, item_id: int) -> HttpResponse:
    try:
        services.task_claim(user=request.user, item_id=item_id)
        messages.success(request, _("The task is yours."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("applications:task", item_id)


@staff_required
@require_POST
def act(request: HttpRequest, item_id: int) -> HttpResponse:
    checklist = [line for line in request.POST.get("checklist", "").splitlines() if line.strip()]
    try:
        services.task_complete(
            user=request.user,
            item_id=item_id,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
            checklist=checklist,
        )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        context = _task_context(request, item_id, errors=errors, posted=request.POST)
        return render(request, "applications/staff/task.html", context, status=422)
    messages.success(request, _("Done. The applicant has been told."))
    return redirect("applications:inbox")


@staff_required
@require_POST
def comment(request: HttpRequest, item_id: int) -> HttpResponse:
    """An internal note for colleagues (not shown to the applicant)."""
    try:
        services.task_comment(
            user=request.user, item_id=item_id, text=request.POST.get("comment", "")
        )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        context = _task_context(request, item_id, errors=errors, posted_comment=request.POST)
        return render(request, "applications/staff/task.html", context, status=422)
    messages.success(
        request, _("Your note is added for colleagues; the applicant does not see it.")
    )
    return redirect(f"{reverse('applications:task', args=[item_id])}#timeline")


@staff_required
def material_preview(request: HttpRequest, item_id: int, material_id: int) -> HttpResponse:
    """The in-page preview (fetched when the clerk opens it); the file itself is read, and
    audited, when the browser loads it from ``material``."""
    item = selectors.work_item_get_for_staff(user=request.user, item_id=item_id)
    stored = get_object_or_404(
        item.application.materials.filter(certificate__isnull=True), pk=material_id
    )
    return render(request, "applications/staff/_preview.html", {"item": item, "file": stored})


@xframe_options_sameorigin
@staff_required
def material(request: HttpRequest, item_id: int, material_id: int) -> HttpResponse:
    """Open an uploaded file (PDFs and images preview in the browser). Applicants' files are
    personal data: each view is an audit entry whose purpose is the step being handled."""
    item = selectors.work_item_get_for_staff(user=request.user, item_id=item_id)
    stored = get_object_or_404(
        item.application.materials.filter(certificate__isnull=True), pk=material_id
    )
    personal_data_read(
        actor=request.user,
        subject=item.application.applicant,
        purpose=_("Handling step “%(step)s” of application %(number)s")
        % {"step": item.name, "number": item.application.number},
        fields=[f"material:{stored.pk}"],
        target_type="application",
        target_id=item.application.number,
    )
    # Uploads are capped (APPLICATIONS_UPLOAD_MAX_BYTES), so reading one whole is fine.
    with stored.file.open("rb") as fh:
        response = HttpResponse(fh.read(), content_type=stored.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    # The file came from outside: no scripts, even if a browser mis-sniffs it.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response


@staff_required
def rules(request: HttpRequest) -> HttpResponse:
    """For supervisors: automated decisions, appeal and overturn rates per rule."""
    return render(
        request,
        "applications/staff/rules.html",
        {"rows": selectors.rule_figures_for_staff(user=request.user)},
    )
