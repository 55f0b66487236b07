"""``/api/v1/consult``: knowledge-base search (public), a citizen's questions with their
threads, and staff work (inbox, answer, transfer, publish, 12345 intake)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from yiwang.accounts.models import Department
from yiwang.catalog.models import ServiceItem
from yiwang.consult import selectors, services
from yiwang.consult.models import KnowledgeEntry, Question
from yiwang.consult.search import knowledge_search

router = Router(tags=["consult"])
MAX_LIST = 100


class EntryOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    department: str
    item_code: str | None
    published_at: dt.datetime | None


class MessageOut(Schema):
    kind: str
    body: str
    department: str | None
    created_at: dt.datetime


class QuestionOut(Schema):
    number: str
    channel: str
    status: str
    title: str
    body: str
    department: str
    item_code: str | None
    routing_reason: str
    deadline: dt.date
    overdue: bool
    created_at: dt.datetime
    answered_at: dt.datetime | None


class QuestionDetailOut(QuestionOut):
    messages: list[MessageOut]


class AskIn(Schema):
    title: str
    body: str
    item: str | None = None
    submit_token: uuid.UUID


class TextIn(Schema):
    body: str


class TransferIn(Schema):
    to_department: int
    reason: str


class PublishIn(Schema):
    title_zh: str
    body_zh: str
    title_en: str = ""
    body_en: str = ""


class HotlineIn(Schema):
    caller_phone: str
    caller_name: str = ""
    region_code: str
    item: str | None = None
    title: str
    body: str
    submit_token: uuid.UUID


def _entry(e: KnowledgeEntry) -> dict[str, Any]:
    return {
        "id": e.pk, "kind": e.kind, "title": e.title, "body": e.body,
        "department": e.department.name, "item_code": e.item.code if e.item else None,
        "published_at": e.published_at,
    }  # fmt: skip


def _question(q: Question, *, thread: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "number": q.number, "channel": q.channel, "status": q.status, "title": q.title,
        "body": q.body, "department": q.department.name,
        "item_code": q.item.code if q.item else None, "routing_reason": q.routing_reason,
        "deadline": q.deadline, "overdue": q.is_overdue, "created_at": q.created_at,
        "answered_at": q.answered_at,
    }  # fmt: skip
    if thread:
        out["messages"] = [
            {"kind": m.kind, "body": m.body, "created_at": m.created_at,
             "department": m.department.name if m.department else None}
            for m in selectors.thread(question=q)
        ]  # fmt: skip
    return out


def _citizen(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_authenticated or not getattr(user, "is_citizen", False):
        raise PermissionDenied
    return user


def _staff(request: HttpRequest) -> Any:
    """Staff work needs a web session that passed TOTP; bearer tokens never reach it."""
    user = request.user
    verified = getattr(user, "is_verified", lambda: False)()
    if not user.is_authenticated or not getattr(user, "is_government_staff", False) or not verified:
        raise PermissionDenied
    return user


def _item(code: str | None) -> ServiceItem | None:
    if not code:
        return None
    return get_object_or_404(ServiceItem, code=code, published_version__isnull=False)


@router.get("/kb", response=list[EntryOut], auth=None, summary="Search the knowledge base")
def kb_search(request: HttpRequest, q: str = "", region: str = "") -> list[dict[str, Any]]:
    region_code = region if region.isdigit() and 2 <= len(region) <= 12 else None
    if not q.strip():
        return [_entry(e) for e in selectors.entries_public(region_code=region_code)[:MAX_LIST]]
    result = knowledge_search(query=q, region_code=region_code)
    if result.error:
        raise ValidationError({"q": ValidationError(result.error, code="invalid_query")})
    return [_entry(h.entry) for h in result.hits]


@router.get("/kb/{int:entry_id}", response=EntryOut, auth=None, summary="One published entry")
def kb_entry(request: HttpRequest, entry_id: int) -> dict[str, Any]:
    return _entry(selectors.entry_get_public(pk=entry_id))


@router.get("/questions", response=list[QuestionOut], summary="My questions")
def my_questions(request: HttpRequest) -> list[dict[str, Any]]:
    questions = selectors.questions_for_asker(user=_citizen(request))
    return [_question(q) for q in questions.order_by("-created_at")[:MAX_LIST]]


@router.post("/questions", response={201: QuestionDetailOut}, summary="Ask a question")
def ask(request: HttpRequest, payload: AskIn) -> Status:
    question = services.question_ask(
        asker=_citizen(request), item=_item(payload.item), title=payload.title,
        body=payload.body, submit_token=payload.submit_token,
    )  # fmt: skip
    return Status(201, _question(question, thread=True))


@router.get("/questions/{number}", response=QuestionDetailOut, summary="One of my questions")
def my_question(request: HttpRequest, number: str) -> dict[str, Any]:
    question = selectors.question_get_for_asker(user=_citizen(request), number=number)
    return _question(question, thread=True)


@router.post(
    "/questions/{number}/follow-up", response={201: QuestionDetailOut}, summary="Follow up"
)
def follow_up(request: HttpRequest, number: str, payload: TextIn) -> Status:
    user = _citizen(request)
    question = selectors.question_get_for_asker(user=user, number=number)
    services.question_follow_up(question=question, asker=user, body=payload.body)
    return Status(201, _question(selectors.question_get_for_asker(user=user, number=number),
                                 thread=True))  # fmt: skip


@router.get("/staff/questions", response=list[QuestionOut], summary="Staff inbox")
def inbox(
    request: HttpRequest, view: str = "open", sort: str = "deadline", page: int = 1
) -> list[dict[str, Any]]:
    view = view if view in selectors.INBOX_VIEWS else "open"
    questions = selectors.inbox_for_staff(user=_staff(request), view=view, sort=sort)
    start = max(page - 1, 0) * MAX_LIST
    return [_question(q) for q in questions[start : start + MAX_LIST]]


@router.get("/staff/questions/{number}", response=QuestionDetailOut, summary="One question")
def staff_question(request: HttpRequest, number: str) -> dict[str, Any]:
    question = selectors.question_get_for_staff(user=_staff(request), number=number)
    return _question(question, thread=True)


@router.post("/staff/questions/{number}/answer", response=QuestionDetailOut, summary="Answer")
def answer(request: HttpRequest, number: str, payload: TextIn) -> dict[str, Any]:
    user = _staff(request)
    question = selectors.question_get_for_staff(user=user, number=number)
    return _question(services.question_answer(question=question, by=user, body=payload.body),
                     thread=True)  # fmt: skip


@router.post("/staff/questions/{number}/transfer", response=QuestionOut, summary="Transfer")
def transfer(request: HttpRequest, number: str, payload: TransferIn) -> dict[str, Any]:
    user = _staff(request)
    question = selectors.question_get_for_staff(user=user, number=number)
    target = get_object_or_404(Department, pk=payload.to_department)
    moved = services.question_transfer(
        question=question, by=user, to_department=target, reason=payload.reason
    )
    return _question(moved)


@router.post(
    "/staff/questions/{number}/publish", response={201: EntryOut}, summary="Publish an answer"
)
def publish(request: HttpRequest, number: str, payload: PublishIn) -> Status:
    user = _staff(request)
    question = selectors.question_get_for_staff(user=user, number=number)
    entry = services.answer_publish(question=question, by=user, **payload.dict())
    return Status(201, _entry(entry))


@router.post("/staff/hotline", response={201: QuestionDetailOut}, summary="Record a 12345 call")
def hotline(request: HttpRequest, payload: HotlineIn) -> Status:
    data = payload.dict()
    question = services.hotline_record(by=_staff(request), item=_item(data.pop("item")), **data)
    return Status(201, _question(question, thread=True))
