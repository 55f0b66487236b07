"""Reads of questions and the knowledge base that depend on the reader.

Citizens see their own questions; staff see the questions held by departments of their line
(``department_scope_q``) inside their region's subtree (``region_scope_q``); outside that a
question is "not found". Unmasking a caller's name and phone is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from yiwang.accounts.models import Department
from yiwang.accounts.selectors import (
    CROSS_DEPARTMENT_KINDS,
    department_scope_q,
    region_scope_q,
    staff_profile,
)
from yiwang.audit.models import ACTION_PERSONAL_DATA_READ
from yiwang.audit.services import audit_log, personal_data_read
from yiwang.catalog.models import Implementation
from yiwang.consult.models import KnowledgeEntry, Question, QuestionStatus
from yiwang.consult.search import serving_departments_q
from yiwang.consult.services.routing import region_prefixes
from yiwang.regions.models import Region

INBOX_VIEWS = ("open", "overdue", "answered", "all")
INBOX_SORTS = {"deadline": ("deadline", "created_at"), "-deadline": ("-deadline", "-created_at"),
               "newest": ("-created_at",)}  # fmt: skip


def questions_for_asker(*, user: Any) -> QuerySet[Question]:
    if not user.is_authenticated:
        raise Http404
    return Question.objects.filter(asker=user).select_related(
        "department", "item__published_version"
    )


def question_get_for_asker(*, user: Any, number: str) -> Question:
    question = questions_for_asker(user=user).filter(number=number).first()
    if question is None:
        raise Http404
    return question


def thread(*, question: Question) -> list:
    return list(question.messages.select_related("department").order_by("created_at", "pk"))


def questions_for_staff(*, user: Any) -> QuerySet[Question]:
    """Questions held in the reader's line and region subtree."""
    if staff_profile(user) is None:
        raise Http404
    scope = department_scope_q(user=user, field="department") & region_scope_q(
        user=user, field="department__region__code"
    )
    return Question.objects.filter(scope).select_related(
        "department", "item__published_version", "asker"
    )


def inbox_for_staff(*, user: Any, view: str = "open", sort: str = "deadline") -> QuerySet[Question]:
    questions = questions_for_staff(user=user)
    today = timezone.localdate()
    if view == "open":
        questions = questions.filter(status=QuestionStatus.OPEN)
    elif view == "overdue":
        questions = questions.filter(status=QuestionStatus.OPEN, deadline__lt=today)
    elif view == "answered":
        questions = questions.filter(status__in=[QuestionStatus.ANSWERED, QuestionStatus.CLOSED])
    return questions.order_by(*INBOX_SORTS.get(sort, INBOX_SORTS["deadline"]), "pk")


def question_get_for_staff(*, user: Any, number: str) -> Question:
    question = questions_for_staff(user=user).filter(number=number).first()
    if question is None:
        raise Http404
    return question


@dataclass(frozen=True)
class Asker:
    name: str
    phone: str


def _asker_data(question: Question) -> Asker:
    citizen = getattr(question.asker, "citizen", None) if question.asker_id else None
    name = question.caller_name or (citizen.real_name if citizen else "")
    phone = question.caller_phone or (citizen.phone if citizen else "")
    return Asker(name=name, phone=phone)


def asker_masked(*, question: Question) -> Asker:
    """Masked name and phone for screens (no audit: nothing personal is shown)."""
    from yiwang.core.ids import mask_name, mask_phone

    data = _asker_data(question)
    return Asker(
        name=mask_name(data.name) if data.name else "",
        phone=mask_phone(data.phone) if data.phone else "",
    )


def asker_unmasked_for_staff(*, user: Any, question: Question, purpose: str) -> Asker:
    """The asker's full name and phone, for a staff member who must call back; audited."""
    question = question_get_for_staff(user=user, number=question.number)
    if question.asker is not None:
        personal_data_read(actor=user, subject=question.asker, purpose=purpose,
                           fields=["real_name", "phone"], target_type="consult.question",
                           target_id=question.number)  # fmt: skip
    else:
        audit_log(actor=user, action=ACTION_PERSONAL_DATA_READ, target_type="consult.question",
                  target_id=question.number, region_code=question.region_code,
                  purpose=purpose, details={"fields": ["caller_name", "caller_phone"]})  # fmt: skip
    return _asker_data(question)


def hotline_allowed(*, user: Any) -> bool:
    """12345 operators work in a coordinating bureau (数据局 or a people's government)."""
    staff = staff_profile(user)
    return staff is not None and staff.department.kind in CROSS_DEPARTMENT_KINDS


def region_of(*, question: Question) -> Region | None:
    return Region.objects.filter(code=question.region_code).first()


def departments_for_transfer(*, question: Question) -> QuerySet[Department]:
    """Departments that serve the asker's region (its own and those above), but not the
    one that holds the question."""
    return (
        Department.objects.filter(region_id__in=region_prefixes(question.region_code))
        .exclude(pk=question.department_id)
        .order_by("-region_id", "kind")
    )


def entries_public(*, region_code: str | None = None) -> QuerySet[KnowledgeEntry]:
    return (
        KnowledgeEntry.objects.filter(serving_departments_q(region_code), is_published=True)
        .select_related("department", "item__published_version")
        .order_by("-published_at", "-pk")
    )


def entry_get_public(*, pk: int) -> KnowledgeEntry:
    entry = entries_public().filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def entries_for_staff(*, user: Any) -> QuerySet[KnowledgeEntry]:
    """The knowledge base of the reader's own department (published or not)."""
    staff = staff_profile(user)
    if staff is None:
        raise Http404
    return (
        KnowledgeEntry.objects.filter(department=staff.department)
        .select_related("item__published_version", "question")
        .order_by("-updated_at", "-pk")
    )


def entry_get_for_staff(*, user: Any, pk: int) -> KnowledgeEntry:
    entry = entries_for_staff(user=user).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def implementations_for_faq(*, user: Any) -> QuerySet[Implementation]:
    """Implementations the reader's department carries out (FAQs are written for these)."""
    staff = staff_profile(user)
    if staff is None:
        raise Http404
    return (
        Implementation.objects.filter(
            Q(department=staff.department) & region_scope_q(user=user, field="region__code")
        )
        .select_related("item__published_version", "region")
        .order_by("item__code")
    )
