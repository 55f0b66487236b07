"""What can be rated: one adapter per kind of finished service.

``subject_resolve(kind=, ref=, rater=)`` answers who owns the service, which department is
responsible for it, where it was delivered and when it finished — or raises ``Http404``
when it does not exist or belongs to someone else (so nobody learns that it exists).
Adapters read the other apps' models; those apps never import this one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from yiwang.reviews.models import Channel, SubjectKind


@dataclass(frozen=True)
class Subject:
    kind: str
    ref: str
    owner: Any
    department: Any
    region_code: str
    implementation: Any
    hall: Any
    channel: str
    finished_at: dt.datetime | None
    title_zh: str
    title_en: str
    link_url: str
    staff_url: str = ""

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def title(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "").startswith("en") and self.title_en:
            return self.title_en
        return self.title_zh or self.ref


Adapter = Callable[[str, Any], Subject]
_ADAPTERS: dict[str, Adapter] = {}


@dataclass(frozen=True)
class Links:
    citizen: str = ""  # the page where the citizen sees the service
    staff: str = ""  # the page where staff handle it


LinksFor = Callable[[str], Links]
_LINKS: dict[str, LinksFor] = {}


def subject_links(*, kind: str, ref: str) -> Links:
    """Where a rated service is shown, for pages and messages about a rating; empty when the
    kind has no pages (or its app is not installed)."""
    links_for = _LINKS.get(kind)
    return links_for(ref) if links_for else Links()


def subject_kind_register(*, kind: str, adapter: Adapter) -> None:
    _ADAPTERS[kind] = adapter


def subject_resolve(*, kind: str, ref: str, rater: Any) -> Subject:
    """The subject ``kind``/``ref`` as ``rater`` may rate it; Http404 if unknown or not theirs."""
    adapter = _ADAPTERS.get(kind)
    if adapter is None or not getattr(rater, "is_authenticated", False):
        raise Http404
    subject = adapter(ref, rater)
    if subject.owner is None or subject.owner.pk != rater.pk:
        raise Http404
    return subject


def _titles(implementation: Any) -> tuple[str, str]:
    version = implementation.item.published_version if implementation else None
    if version is None:
        return "", ""
    return version.name_zh, version.name_en


def _application(ref: str, rater: Any) -> Subject:
    from yiwang.applications.models import Application, Status

    application = (
        Application.objects.select_related(
            "implementation__item__published_version", "implementation__department"
        )
        .filter(number=ref, applicant_id=rater.pk)
        .first()
    )
    if application is None:
        raise Http404
    decided = application.status in {
        Status.APPROVED, Status.REJECTED, Status.NOT_ACCEPTED, Status.FINISHED
    }  # fmt: skip
    implementation = application.implementation
    zh, en = _titles(implementation)
    return Subject(
        kind=SubjectKind.APPLICATION, ref=application.number, owner=application.applicant,
        department=implementation.department, region_code=application.region_code,
        implementation=implementation, hall=None, channel=Channel.ONLINE,
        finished_at=(application.decided_at or application.updated_at) if decided else None,
        title_zh=zh, title_en=en, link_url=f"/applications/{application.number}/",
    )  # fmt: skip


def _appointment(ref: str, rater: Any) -> Subject:
    from yiwang.halls.models import Booking, BookingStatus, QueueTicket, TicketStatus

    if not ref.isdigit():
        raise Http404
    booking = (
        Booking.objects.select_related(
            "hall", "implementation__item__published_version", "implementation__department"
        )
        .filter(pk=int(ref), citizen_id=rater.pk)
        .first()
    )
    if booking is None:
        raise Http404
    ticket = QueueTicket.objects.filter(booking=booking, status=TicketStatus.SERVED).first()
    served = booking.status == BookingStatus.SERVED and ticket is not None
    implementation = booking.implementation
    zh, en = _titles(implementation)
    return Subject(
        kind=SubjectKind.APPOINTMENT, ref=str(booking.pk), owner=booking.citizen,
        department=implementation.department, region_code=booking.hall.region_id,
        implementation=implementation, hall=booking.hall, channel=Channel.HALL,
        finished_at=(ticket.served_at or booking.updated_at) if served and ticket else None,
        title_zh=zh or booking.hall.name_zh, title_en=en or booking.hall.name_en,
        link_url="/halls/my/",
    )  # fmt: skip


def _question_links(number: str) -> Links:
    from django.urls import NoReverseMatch, reverse

    try:
        return Links(
            citizen=reverse("consult:question", args=[number]),
            staff=reverse("consult:staff_question", args=[number]),
        )
    except NoReverseMatch:
        return Links()


def _answer_links(ref: str) -> Links:
    try:
        from yiwang.consult.models import Question
    except ImportError:
        return Links()
    if not ref.isdigit():
        return Links()
    number = Question.objects.filter(pk=int(ref)).values_list("number", flat=True).first()
    return _question_links(number) if number else Links()


def _answer(ref: str, rater: Any) -> Subject:
    # consult sits beside reviews and may not be installed yet: import when asked.
    try:
        from yiwang.consult.models import Question
    except ImportError as exc:
        raise Http404 from exc
    if not ref.isdigit():
        raise Http404
    question = (
        Question.objects.select_related("department", "implementation__item__published_version")
        .filter(pk=int(ref), asker_id=rater.pk)
        .first()
    )
    if question is None:
        raise Http404
    implementation = question.implementation
    zh, en = _titles(implementation)
    finished = question.status in {"answered", "closed"}
    number = getattr(question, "number", "") or str(question.pk)
    links = _question_links(number)
    return Subject(
        kind=SubjectKind.ANSWER, ref=str(question.pk), owner=question.asker,
        department=question.department, region_code=question.region_code,
        implementation=implementation, hall=None, channel=Channel.ONLINE,
        finished_at=(question.answered_at or None) if finished else None,
        title_zh=zh or question.title or f"咨询 {number}",
        title_en=en or question.title or f"Question {number}",
        link_url=links.citizen, staff_url=links.staff,
    )  # fmt: skip


subject_kind_register(kind=SubjectKind.APPLICATION, adapter=_application)
subject_kind_register(kind=SubjectKind.APPOINTMENT, adapter=_appointment)
subject_kind_register(kind=SubjectKind.ANSWER, adapter=_answer)
_LINKS[SubjectKind.ANSWER] = _answer_links
