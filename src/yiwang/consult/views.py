"""Citizen and public pages: the knowledge base, asking (matching answers first), my
questions with their threads."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.accounts.decorators import citizen_required
from yiwang.catalog.models import ServiceItem
from yiwang.consult import selectors, services
from yiwang.consult.forms import MSG_CONFIRM_NONE, AskForm, FollowUpForm, errors_apply
from yiwang.consult.models import Question
from yiwang.consult.search import knowledge_search

PAGE_SIZE = 20
MATCHES_SHOWN = 5
MATCH_SHARE = 0.4


def _region(request: HttpRequest) -> str | None:
    """The reader's region when they are a signed-in citizen (answers are local)."""
    citizen = getattr(request.user, "citizen", None) if request.user.is_authenticated else None
    return getattr(citizen, "region_id", None)


def _item(code: str) -> ServiceItem | None:
    code = (code or "").strip()[:40]
    if not code:
        return None
    return ServiceItem.objects.filter(code=code, published_version__isnull=False).first()


def index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    result = knowledge_search(query=query, region_code=_region(request)) if query else None
    latest = None if query else selectors.entries_public(region_code=_region(request))
    page = Paginator(latest, PAGE_SIZE).get_page(request.GET.get("page")) if latest else None
    return render(request, "consult/index.html", {
        "query": query, "result": result, "page": page,
    }, status=422 if result and result.error else 200)  # fmt: skip


def entry(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "consult/entry.html", {"entry": selectors.entry_get_public(pk=pk)})


def _matches(request: HttpRequest, title: str, item: ServiceItem | None) -> list:
    if not title.strip():
        return []
    found = knowledge_search(query=title, region_code=_region(request),
                             item_id=item.pk if item else None, limit=MATCHES_SHOWN)  # fmt: skip
    # Only answers close to the best one: a word shared in passing (材料) is not a match.
    top = found.hits[0].score if found.hits else 0.0
    return [hit.entry for hit in found.hits if hit.score >= top * MATCH_SHARE]


@citizen_required
def ask_matches(request: HttpRequest) -> HttpResponse:
    """htmx: published answers matching the title typed so far."""
    item = _item(request.GET.get("item", ""))
    title = request.GET.get("title", "")[:100]
    return render(request, "consult/_matches.html", {
        "matches": _matches(request, title, item), "title": title, "item": item,
    })  # fmt: skip


@citizen_required
def ask(request: HttpRequest) -> HttpResponse:
    """Step 1: the title, with matching answers as one types (or after 'Find answers' without
    JavaScript). Step 2 (a title is given): the answers found, then the full question, sent
    only once the asker says none of the answers fits."""
    source = request.POST if request.method == "POST" else request.GET
    item = _item(source.get("item", ""))
    title = source.get("title", "").strip()[:100]
    if request.method == "GET" and not title:
        return render(request, "consult/ask.html", {"step": 1, "item": item})
    matches = _matches(request, title, item)
    if request.method == "GET":
        form = AskForm(initial={"title": title, "item": item.code if item else "",
                                "submit_token": uuid.uuid4()})  # fmt: skip
    else:
        form = AskForm(request.POST)
        if form.is_valid():
            if matches and not form.cleaned_data["none_answered"]:
                form.add_error("none_answered", MSG_CONFIRM_NONE)
            else:
                try:
                    question = services.question_ask(
                        asker=request.user, item=item, title=form.cleaned_data["title"],
                        body=form.cleaned_data["body"],
                        submit_token=form.cleaned_data["submit_token"],
                    )  # fmt: skip
                    messages.success(request, _("Your question has been sent. Reference %(n)s.")
                                     % {"n": question.number})  # fmt: skip
                    return redirect("consult:question", number=question.number)
                except ValidationError as exc:
                    errors_apply(form, exc)
    return render(request, "consult/ask.html", {
        "step": 2, "item": item, "form": form, "matches": matches, "title": title,
    }, status=422 if form.errors else 200)  # fmt: skip


@citizen_required
def my_questions(request: HttpRequest) -> HttpResponse:
    questions = selectors.questions_for_asker(user=request.user).order_by("-created_at", "-pk")
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "consult/my.html", {"page": page, "query": ""})


@citizen_required
def question(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.question_get_for_asker(user=request.user, number=number)
    return _question_page(request, found, FollowUpForm())


def _question_page(
    request: HttpRequest, found: Question, form: FollowUpForm, status: int = 200
) -> HttpResponse:
    return render(request, "consult/question.html", {
        "question": found, "thread": selectors.thread(question=found), "form": form,
    }, status=status)  # fmt: skip


@citizen_required
@require_POST
def follow_up(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.question_get_for_asker(user=request.user, number=number)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.question_follow_up(question=found, asker=request.user,
                                        body=form.cleaned_data["body"])  # fmt: skip
            messages.success(request, _("Your follow-up question has been sent."))
            return redirect("consult:question", number=found.number)
        except ValidationError as exc:
            errors_apply(form, exc)
    return _question_page(request, found, form, status=422)


@citizen_required
@require_POST
def close(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.question_get_for_asker(user=request.user, number=number)
    services.question_close(question=found, asker=request.user)
    messages.success(request, _("The question is closed. Thank you."))
    return redirect("consult:question", number=found.number)
