"""Questions: asking (online or through the 12345 hotline), following up, answering,
transferring, closing, and escalating the overdue."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import CitizenProfile, Department, Role, User
from yiwang.accounts.selectors import staff_profile
from yiwang.accounts.services.citizens import phone_index
from yiwang.audit.services import audit_log
from yiwang.catalog.models import ServiceItem
from yiwang.consult.models import (
    MessageKind,
    Question,
    QuestionChannel,
    QuestionMessage,
    QuestionStatus,
    QuestionTransfer,
    RoutingReason,
)
from yiwang.consult.services.routing import question_route, region_prefixes
from yiwang.core.ids import validate_phone
from yiwang.core.workdays import working_days_add
from yiwang.notify.services import notification_send, sms_send
from yiwang.regions.models import Region

TITLE_MAX, BODY_MAX, REASON_MAX, NAME_MAX = 100, 2000, 500, 50
ANSWER_ROLES = frozenset({Role.CLERK, Role.REVIEWER, Role.DEPARTMENT_ADMIN, Role.HALL_MANAGER})

MSG_TITLE_REQUIRED = _("Give your question a short title.")
MSG_TITLE_TOO_LONG = _("Keep the title to %(limit)s characters or fewer.")
MSG_BODY_REQUIRED = _("Write your question.")
MSG_BODY_TOO_LONG = _("Keep your question to %(limit)s characters or fewer.")
MSG_ANSWER_REQUIRED = _("Write the answer.")
MSG_ANSWER_TOO_LONG = _("Keep the answer to %(limit)s characters or fewer.")
MSG_FOLLOW_UP_REQUIRED = _("Write your follow-up question.")
MSG_DUPLICATE = _("You have already asked this question and it is awaiting an answer (%(number)s).")
MSG_NOT_CITIZEN = _("Only a signed-in citizen can ask a question online.")
MSG_NO_REGION = _("Choose the caller's region.")
MSG_UNKNOWN_REGION = _("That region does not exist.")
MSG_CALLER_PHONE = _("Enter the caller's mobile phone number, 11 digits starting with 1.")
MSG_CALLER_NAME_TOO_LONG = _("Keep the caller's name to %(limit)s characters or fewer.")
MSG_CLOSED = _("This question is closed. Ask a new question instead.")
MSG_NOT_HOLDER = _(
    "This question is held by %(department)s. Only that department can answer it; "
    "if it belongs to your department, ask them to transfer it."
)
MSG_NO_ROLE = _("Your role does not allow answering questions.")
MSG_ALREADY_ANSWERED = _("This question has already been answered.")
MSG_NOT_OPEN = _("Only a question awaiting an answer can be transferred.")
MSG_REASON_REQUIRED = _("Say why the question belongs to the other department.")
MSG_REASON_TOO_LONG = _("Keep the reason to %(limit)s characters or fewer.")
MSG_SAME_DEPARTMENT = _("The question is already with that department.")
MSG_TARGET_NOT_SERVING = _(
    "That department does not serve the asker's region. Choose a department of the asker's "
    "region or a region above it."
)
MSG_NOT_HOTLINE = _("Only staff of a government services and data bureau record hotline calls.")


def _invalid(message: Any, code: str, field: str | None = None, **params: Any) -> ValidationError:
    error = ValidationError(message, code=code, params=params or None)
    return ValidationError({field: error}) if field else error


def _text(value: str, *, field: str, limit: int, required: Any, too_long: Any) -> str:
    value = (value or "").strip()
    if not value:
        raise _invalid(required, "required", field)
    if len(value) > limit:
        raise _invalid(too_long, "max_length", field, limit=limit)
    return value


def answer_days() -> int:
    return int(getattr(settings, "CONSULT_ANSWER_DAYS", 5))


def _deadline() -> Any:
    return working_days_add(timezone.localdate(), answer_days())


def _new_number() -> str:
    return f"ZX{timezone.localdate():%Y%m%d}{secrets.randbelow(10**6):06d}"


def _link(question: Question) -> str:
    return f"/consult/my/{question.number}/"


def _save_new(question: Question) -> Question:
    for _attempt in range(5):
        question.number = _new_number()
        try:
            with transaction.atomic():
                question.save(force_insert=True)
            return question
        except IntegrityError:
            if (
                question.submit_token
                and Question.objects.filter(submit_token=question.submit_token).exists()
            ):
                raise
            question.pk = None
    raise RuntimeError("could not allocate a question number")


def _create(
    *,
    asker: Any | None,
    region_code: str,
    item: ServiceItem | None,
    title: str,
    body: str,
    submit_token: uuid.UUID | None,
    channel: str,
    recorded_by: User | None = None,
    caller_name: str = "",
    caller_phone: str = "",
) -> Question:
    title = _text(title, field="title", limit=TITLE_MAX, required=MSG_TITLE_REQUIRED,
                  too_long=MSG_TITLE_TOO_LONG)  # fmt: skip
    body = _text(body, field="body", limit=BODY_MAX, required=MSG_BODY_REQUIRED,
                 too_long=MSG_BODY_TOO_LONG)  # fmt: skip
    if asker is not None:
        same = Question.objects.filter(
            asker=asker, title=title, body=body, status=QuestionStatus.OPEN
        ).first()
        if same is not None and submit_token and same.submit_token == submit_token:
            return same  # the same submission, committed by a concurrent request
        if same is not None:
            raise _invalid(MSG_DUPLICATE, "duplicate", number=same.number)
    route = question_route(region_code=region_code, item=item)
    question = Question(
        channel=channel, asker=asker, caller_name=caller_name, caller_phone=caller_phone,
        recorded_by=recorded_by, department=route.department, region_code=region_code,
        item=item, implementation=route.implementation, routing_reason=route.reason,
        title=title, body=body, deadline=_deadline(), submit_token=submit_token,
    )  # fmt: skip
    return _save_new(question)


def _earlier(submit_token: uuid.UUID | None) -> Question | None:
    if submit_token is None:
        return None
    return Question.objects.filter(submit_token=submit_token).first()


@transaction.atomic
def question_ask(
    *,
    asker: Any,
    title: str,
    body: str,
    submit_token: uuid.UUID | None,
    item: ServiceItem | None = None,
) -> Question:
    """A citizen asks a question (about ``item`` or in general); it goes to the department
    responsible in their region. The same ``submit_token`` twice returns the first question."""
    profile = CitizenProfile.objects.filter(user=asker).first() if asker.is_citizen else None
    if profile is None or not profile.region_id:
        raise _invalid(MSG_NOT_CITIZEN, "not_citizen")
    earlier = _earlier(submit_token)
    if earlier is not None:
        if earlier.asker_id != asker.pk:
            raise _invalid(MSG_NOT_CITIZEN, "not_citizen")
        return earlier
    try:
        question = _create(
            asker=asker, region_code=profile.region_id, item=item, title=title, body=body,
            submit_token=submit_token, channel=QuestionChannel.ONLINE,
        )  # fmt: skip
    except IntegrityError:  # a concurrent double submit won the token
        found = _earlier(submit_token)
        if found is None or found.asker_id != asker.pk:
            raise
        return found
    audit_log(actor=asker, action="consult.ask", target_type="consult.question",
              target_id=question.number, region_code=question.region_code)  # fmt: skip
    return question


@transaction.atomic
def hotline_record(
    *,
    by: Any,
    caller_phone: str,
    caller_name: str,
    region_code: str,
    title: str,
    body: str,
    submit_token: uuid.UUID | None,
    item: ServiceItem | None = None,
) -> Question:
    """12345: the operator records a call as a ticket on the caller's behalf. A caller whose
    phone belongs to a citizen account is linked to it, so the answer reaches their account."""
    staff = staff_profile(by)
    if staff is None or staff.department.kind not in {"data", "government"}:
        raise _invalid(MSG_NOT_HOTLINE, "not_hotline")
    earlier = _earlier(submit_token)
    if earlier is not None and earlier.recorded_by_id == by.pk:
        return earlier
    try:
        phone = validate_phone(caller_phone)
    except ValidationError:
        raise _invalid(MSG_CALLER_PHONE, "invalid_phone", "caller_phone") from None
    caller_name = (caller_name or "").strip()
    if len(caller_name) > NAME_MAX:
        raise _invalid(MSG_CALLER_NAME_TOO_LONG, "max_length", "caller_name", limit=NAME_MAX)
    region_code = (region_code or "").strip()
    if not region_code:
        raise _invalid(MSG_NO_REGION, "required", "region_code")
    if not Region.objects.filter(code=region_code).exists():
        raise _invalid(MSG_UNKNOWN_REGION, "unknown_region", "region_code")
    citizen = CitizenProfile.objects.filter(phone_index=phone_index(phone)).first()
    question = _create(
        asker=citizen.user if citizen else None, region_code=region_code, item=item,
        title=title, body=body, submit_token=submit_token, channel=QuestionChannel.HOTLINE,
        recorded_by=by, caller_name=caller_name, caller_phone=phone,
    )  # fmt: skip
    audit_log(actor=by, action="consult.hotline_intake", target_type="consult.question",
              target_id=question.number, region_code=question.region_code,
              details={"linked_account": citizen is not None},
              subject=citizen.user if citizen else None)  # fmt: skip
    _tell_asker(question, "consult_received", {})
    return question


def _tell_asker(question: Question, template: str, extra: dict[str, Any]) -> None:
    """In-app and SMS to an account holder; SMS to the recorded phone of a caller without one."""
    context = {"number": question.number, "title": question.title, "link_url": _link(question),
               **extra}  # fmt: skip
    if question.asker is not None:
        notification_send(user=question.asker, template=template, context=context,
                          channels=("inapp", "sms"))  # fmt: skip
    elif question.caller_phone:
        sms_send(phone=question.caller_phone, template=template,
                 context={"recipient_name": question.caller_name, **context},
                 language="zh-hans")  # fmt: skip


@transaction.atomic
def question_follow_up(*, question: Question, asker: Any, body: str) -> QuestionMessage:
    """The asker adds to the thread; an answered question opens again with a new deadline."""
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if locked.asker_id != asker.pk:
        raise _invalid(MSG_NOT_CITIZEN, "not_yours")
    if locked.status == QuestionStatus.CLOSED:
        raise _invalid(MSG_CLOSED, "closed")
    body = _text(body, field="body", limit=BODY_MAX, required=MSG_FOLLOW_UP_REQUIRED,
                 too_long=MSG_BODY_TOO_LONG)  # fmt: skip
    message = QuestionMessage.objects.create(
        question=locked, kind=MessageKind.FOLLOW_UP, author=asker, body=body
    )
    if locked.status == QuestionStatus.ANSWERED:
        locked.status = QuestionStatus.OPEN
        locked.deadline = _deadline()
        locked.escalated_at = None
        locked.save(update_fields=["status", "deadline", "escalated_at"])
    return message


@transaction.atomic
def question_close(*, question: Question, asker: Any) -> Question:
    """The asker says the matter is settled."""
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if locked.asker_id != asker.pk:
        raise _invalid(MSG_NOT_CITIZEN, "not_yours")
    if locked.status != QuestionStatus.CLOSED:
        locked.status = QuestionStatus.CLOSED
        locked.save(update_fields=["status"])
    return locked


def _holder_check(locked: Question, by: Any) -> None:
    staff = staff_profile(by)
    if staff is None or staff.department_id != locked.department_id:
        raise _invalid(MSG_NOT_HOLDER, "not_holder", department=str(locked.department))
    if not (staff.role_codes & ANSWER_ROLES):
        raise _invalid(MSG_NO_ROLE, "no_role")


@transaction.atomic
def question_answer(*, question: Question, by: Any, body: str) -> Question:
    """Answer as the holding department; the asker is told in-app and by SMS (a caller
    without an account by SMS to the recorded phone)."""
    locked = (
        Question.objects.select_for_update(of=("self",))
        .select_related("department", "asker")
        .get(pk=question.pk)
    )
    _holder_check(locked, by)
    if locked.status == QuestionStatus.CLOSED:
        raise _invalid(MSG_CLOSED, "closed")
    if locked.status == QuestionStatus.ANSWERED:
        raise _invalid(MSG_ALREADY_ANSWERED, "answered")
    body = _text(body, field="body", limit=BODY_MAX, required=MSG_ANSWER_REQUIRED,
                 too_long=MSG_ANSWER_TOO_LONG)  # fmt: skip
    now = timezone.now()
    QuestionMessage.objects.create(
        question=locked, kind=MessageKind.ANSWER, author=by, department=locked.department,
        body=body, created_at=now,
    )  # fmt: skip
    locked.status = QuestionStatus.ANSWERED
    locked.answered_at, locked.answered_by = now, by
    locked.save(update_fields=["status", "answered_at", "answered_by"])
    audit_log(actor=by, action="consult.answer", target_type="consult.question",
              target_id=locked.number, region_code=locked.region_code,
              subject=locked.asker)  # fmt: skip
    _tell_asker(locked, "consult_answered", {"department": locked.department.name})
    return locked


@transaction.atomic
def question_transfer(
    *, question: Question, by: Any, to_department: Department, reason: str
) -> Question:
    """转办: move a wrongly routed question to a department that serves the asker's region.
    The holder (or a coordinating bureau that can see it) does this; the deadline stays, and
    the asker is told who now holds the question."""
    locked = (
        Question.objects.select_for_update(of=("self",))
        .select_related("department")
        .get(pk=question.pk)
    )
    staff = staff_profile(by)
    if staff is None:
        raise _invalid(MSG_NOT_HOLDER, "not_holder", department=str(locked.department))
    coordinating = staff.department.kind in {"data", "government"}
    if staff.department_id != locked.department_id and not coordinating:
        raise _invalid(MSG_NOT_HOLDER, "not_holder", department=str(locked.department))
    if locked.status != QuestionStatus.OPEN:
        raise _invalid(MSG_NOT_OPEN, "not_open")
    reason = _text(reason, field="reason", limit=REASON_MAX, required=MSG_REASON_REQUIRED,
                   too_long=MSG_REASON_TOO_LONG)  # fmt: skip
    if to_department.pk == locked.department_id:
        raise _invalid(MSG_SAME_DEPARTMENT, "same_department", "to_department")
    if to_department.region_id not in region_prefixes(locked.region_code):
        raise _invalid(MSG_TARGET_NOT_SERVING, "not_serving", "to_department")
    QuestionTransfer.objects.create(question=locked, from_department=locked.department,
                                    to_department=to_department, reason=reason,
                                    transferred_by=by)  # fmt: skip
    details = {"from": locked.department.name, "to": to_department.name, "reason": reason}
    locked.department = to_department
    locked.routing_reason = RoutingReason.TRANSFERRED
    locked.save(update_fields=["department", "routing_reason"])
    audit_log(actor=by, action="consult.transfer", target_type="consult.question",
              target_id=locked.number, region_code=locked.region_code, details=details)  # fmt: skip
    _tell_asker(locked, "consult_transferred", {"department": to_department.name,
                                                "deadline": locked.deadline})  # fmt: skip
    return locked


def _supervisors(region_code: str) -> list[User]:
    """督办: supervisors of the question's region or any region above it."""
    return list(
        User.objects.filter(
            is_active=True,
            staff__region_id__in=region_prefixes(region_code),
            staff__roles__role=Role.SUPERVISOR,
        ).distinct()
    )


def questions_escalate_overdue() -> int:
    """超期: once per deadline, tell the region's supervisors and say sorry to the asker."""
    today = timezone.localdate()
    due = Question.objects.filter(
        status=QuestionStatus.OPEN, deadline__lt=today, escalated_at__isnull=True
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due[:500]):
        with transaction.atomic():
            question = (
                Question.objects.select_for_update(of=("self",))
                .select_related("department", "asker")
                .filter(pk=pk, status=QuestionStatus.OPEN, escalated_at__isnull=True)
                .first()
            )
            if question is None:
                continue
            question.escalated_at = timezone.now()
            question.save(update_fields=["escalated_at"])
            QuestionMessage.objects.create(question=question, kind=MessageKind.SYSTEM,
                                           department=question.department,
                                           body="overdue")  # fmt: skip
            audit_log(actor=None, action="consult.overdue", target_type="consult.question",
                      target_id=question.number, region_code=question.region_code)  # fmt: skip
            _tell_asker(question, "consult_overdue", {})
            for supervisor in _supervisors(question.region_code):
                notification_send(user=supervisor, template="consult_overdue_staff", context={
                    "number": question.number, "department": question.department.name,
                    "link_url": "/consult/staff/?view=overdue",
                })  # fmt: skip
            count += 1
    return count
