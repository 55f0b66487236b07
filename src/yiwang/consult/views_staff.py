"""Staff pages: the inbox, one question (answer, transfer, publish, unmask the asker), the
12345 hotline intake and the department's knowledge base."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yiwang.accounts.decorators import staff_required
from yiwang.accounts.models import Department
from yiwang.accounts.selectors import staff_region_code
from yiwang.catalog.models import ServiceItem
from yiwang.catalog.selectors import items_published
from yiwang.consult import selectors, services
from yiwang.consult.forms import (
    AnswerForm,
    FaqForm,
    HotlineForm,
    PublishForm,
    TransferForm,
    UnmaskForm,
    errors_apply,
)
from yiwang.consult.models import KnowledgeEntry, Question

PAGE_SIZE = 25
VIEW_LABELS = {
    "open": gettext_lazy("Awaiting answer"),
    "overdue": gettext_lazy("Overdue"),
    "answered": gettext_lazy("Answered"),
    "all": gettext_lazy("All"),
}


@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view", "open")
    view = view if view in selectors.INBOX_VIEWS else "open"
    sort = request.GET.get("sort", "deadline")
    sort = sort if sort in selectors.INBOX_SORTS else "deadline"
    questions = selectors.inbox_for_staff(user=request.user, view=view, sort=sort)
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "consult/staff/inbox.html", {
        "page": page, "view": view, "views": VIEW_LABELS.items(), "sort": sort,
        "query": urlencode({"view": view, "sort": sort}) + "&",
        "hotline": selectors.hotline_allowed(user=request.user),
    })  # fmt: skip


def _transfer_form(question: Question, data: Any = None) -> TransferForm:
    form = TransferForm(data)
    form.fields["to_department"].choices = [("", _("— Choose —"))] + [  # type: ignore[attr-defined]
        (d.pk, d.name) for d in selectors.departments_for_transfer(question=question)
    ]
    return form


def _publish_initial(question: Question) -> dict[str, str]:
    entry = KnowledgeEntry.objects.filter(question=question).first()
    if entry is not None:
        return {k: getattr(entry, k) for k in ("title_zh", "body_zh", "title_en", "body_en")}
    answer = question.messages.filter(kind="answer").order_by("-created_at").first()
    return {"title_zh": question.title, "body_zh": answer.body if answer else ""}


def _page(
    request: HttpRequest, question: Question, status: int = 200, **forms: Any
) -> HttpResponse:
    context: dict[str, Any] = {
        "question": question, "thread": selectors.thread(question=question),
        "asker": selectors.asker_masked(question=question),
        "answer_form": AnswerForm(), "transfer_form": _transfer_form(question),
        "publish_form": PublishForm(initial=_publish_initial(question)),
        "unmask_form": UnmaskForm(), "transfers": question.transfers.select_related(
            "from_department", "to_department", "transferred_by"),
        "entry": KnowledgeEntry.objects.filter(question=question).first(),
        "region": selectors.region_of(question=question),
    }  # fmt: skip
    context.update(forms)
    return render(request, "consult/staff/question.html", context, status=status)


@staff_required
def question(request: HttpRequest, number: str) -> HttpResponse:
    return _page(request, selectors.question_get_for_staff(user=request.user, number=number))


@staff_required
@require_POST
def answer(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.question_get_for_staff(user=request.user, number=number)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.question_answer(question=found, by=request.user,
                                     body=form.cleaned_data["body"])  # fmt: skip
            messages.success(request, _("Answer sent. The asker has been told."))
            return redirect("consult:staff_question", number=found.number)
        except ValidationError as exc:
            errors_apply(form, exc)
    return _page(request, found, status=422, answer_form=form)


@staff_required
@require_POST
def transfer(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.question_get_for_staff(user=request.user, number=number)
    form = _transfer_form(found, request.POST)
    if form.is_valid():
        try:
            target = Department.objects.get(pk=form.cleaned_data["to_department"])
            services.question_transfer(question=found, by=request.user, to_department=target,
                                       reason=form.cleaned_data["reason"])  # fmt: skip
            messages.success(request, _("Transferred to %(d)s.") % {"d": target.name})
            return redirect("consult:staff_inbox")
        except ValidationError as exc:
            errors_apply(form, exc)
    return _page(request, found, status=422, transfer_form=form)


@staff_required
@require_POST
def publish(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.question_get_for_staff(user=request.user, number=number)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            entry = services.answer_publish(question=found, by=request.user, **form.cleaned_data)
            messages.success(request, _("Published to the knowledge base."))
            return redirect("consult:entry", pk=entry.pk)
        except ValidationError as exc:
            errors_apply(form, exc)
    return _page(request, found, status=422, publish_form=form)


@staff_required
@require_POST
def unmask(request: HttpRequest, number: str) -> HttpResponse:
    """The asker's full name and phone, shown once on this response and audited."""
    found = selectors.question_get_for_staff(user=request.user, number=number)
    form = UnmaskForm(request.POST)
    if not form.is_valid():
        return _page(request, found, status=422, unmask_form=form)
    asker = selectors.asker_unmasked_for_staff(user=request.user, question=found,
                                               purpose=form.cleaned_data["purpose"])  # fmt: skip
    return _page(request, found, asker=asker, unmasked=True)


def _item_choices() -> list[tuple[str, str]]:
    items = items_published().order_by("code")
    return [("", _("General question (no particular service)"))] + [
        (i.code, f"{i.published_version.name if i.published_version else ''} ({i.code})")
        for i in items
    ]


@staff_required
def hotline(request: HttpRequest) -> HttpResponse:
    """12345: record a call as a ticket on the caller's behalf."""
    if not selectors.hotline_allowed(user=request.user):
        raise Http404
    form = HotlineForm(request.POST or None, initial={"submit_token": uuid.uuid4()})
    form.fields["item"].choices = _item_choices()  # type: ignore[attr-defined]
    region = request.POST.get("region_code", "") or staff_region_code(request.user) or ""
    region_error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = ServiceItem.objects.filter(code=data["item"]).first() if data["item"] else None
        try:
            ticket = services.hotline_record(
                by=request.user, caller_phone=data["caller_phone"],
                caller_name=data["caller_name"], region_code=region, item=item,
                title=data["title"], body=data["body"], submit_token=data["submit_token"],
            )  # fmt: skip
            messages.success(request, _("Call recorded as %(n)s and sent to %(d)s.")
                             % {"n": ticket.number, "d": ticket.department.name})  # fmt: skip
            return redirect("consult:staff_question", number=ticket.number)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "region_code" in exc.error_dict:
                region_error = exc.error_dict["region_code"][0].messages[0]
            else:
                errors_apply(form, exc)
    return render(request, "consult/staff/hotline.html", {
        "form": form, "region": region, "region_error": region_error, "hotline": True,
    }, status=422 if (form.errors or region_error) else 200)  # fmt: skip


@staff_required
def kb(request: HttpRequest) -> HttpResponse:
    entries = selectors.entries_for_staff(user=request.user)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "consult/staff/kb.html", {
        "page": page, "query": "", "hotline": selectors.hotline_allowed(user=request.user),
    })  # fmt: skip


def _faq_form(request: HttpRequest, entry: KnowledgeEntry | None) -> FaqForm:
    initial = {}
    if entry is not None:
        initial = {k: getattr(entry, k) for k in ("title_zh", "body_zh", "title_en", "body_en")}
        initial["implementation"] = entry.implementation_id
    form = FaqForm(request.POST or None, initial=initial)
    form.fields["implementation"].choices = [  # type: ignore[attr-defined]
        (i.pk, f"{i.item.published_version.name if i.item.published_version else i.item.code}")
        for i in selectors.implementations_for_faq(user=request.user)
    ]
    return form


@staff_required
def faq_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    entry = selectors.entry_get_for_staff(user=request.user, pk=pk) if pk else None
    if entry is not None and entry.kind != "faq":
        raise Http404
    form = _faq_form(request, entry)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        implementation = selectors.implementations_for_faq(user=request.user).get(
            pk=data.pop("implementation")
        )
        try:
            services.faq_save(by=request.user, implementation=implementation, entry=entry, **data)
            messages.success(request, _("Saved."))
            return redirect("consult:staff_kb")
        except ValidationError as exc:
            errors_apply(form, exc)
    return render(request, "consult/staff/faq_form.html", {"form": form, "entry": entry},
                  status=422 if form.errors else 200)  # fmt: skip


@staff_required
@require_POST
def kb_publish(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get_for_staff(user=request.user, pk=pk)
    published = request.POST.get("published") == "1"
    try:
        services.entry_set_published(entry=entry, by=request.user, published=published)
        messages.success(request, _("Published.") if published else _("Withdrawn."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("consult:staff_kb")
