"""The public knowledge base (知识库): FAQs departments write per service, and answered
questions they choose to publish in an edited wording with no personal data."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import Role
from yiwang.accounts.selectors import staff_profile
from yiwang.audit.services import audit_log
from yiwang.catalog.models import Implementation
from yiwang.consult.models import EntryKind, KnowledgeEntry, Question, QuestionStatus
from yiwang.consult.search import entry_index

KB_ROLES = frozenset({Role.CLERK, Role.DEPARTMENT_ADMIN})
TITLE_MAX, BODY_MAX = 200, 4000

MSG_KB_ROLE = _("Only clerks and department admins of the department edit its knowledge base.")
MSG_KB_TITLE_REQUIRED = _("Write the question in Chinese.")
MSG_KB_TITLE_TOO_LONG = _("Keep the question to %(limit)s characters or fewer.")
MSG_KB_BODY_REQUIRED = _("Write the answer in Chinese.")
MSG_KB_BODY_TOO_LONG = _("Keep the answer to %(limit)s characters or fewer.")
MSG_NOT_ANSWERED = _("Only an answered question can be published.")
MSG_PERSONAL_DATA = _(
    "The public wording must not contain personal data: remove phone numbers, ID numbers "
    "and the asker's name."
)

# 11-digit mobiles, landlines with area codes, 18-character ID numbers.
PERSONAL_PATTERNS = [
    re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"),
    re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"),
    re.compile(r"(?<![0-9Xx])\d{17}[\dXx](?![0-9Xx])"),
]


def _invalid(message: Any, code: str, field: str | None = None, **params: Any) -> ValidationError:
    error = ValidationError(message, code=code, params=params or None)
    return ValidationError({field: error}) if field else error


def _kb_editor(by: Any, department_id: int) -> None:
    staff = staff_profile(by)
    if staff is None or staff.department_id != department_id or not staff.role_codes & KB_ROLES:
        raise _invalid(MSG_KB_ROLE, "no_role")


def _wording(title_zh: str, body_zh: str, title_en: str, body_en: str) -> dict[str, str]:
    values = {
        "title_zh": (title_zh or "").strip(), "body_zh": (body_zh or "").strip(),
        "title_en": (title_en or "").strip(), "body_en": (body_en or "").strip(),
    }  # fmt: skip
    if not values["title_zh"]:
        raise _invalid(MSG_KB_TITLE_REQUIRED, "required", "title_zh")
    if not values["body_zh"]:
        raise _invalid(MSG_KB_BODY_REQUIRED, "required", "body_zh")
    for name, limit, message in (
        ("title_zh", TITLE_MAX, MSG_KB_TITLE_TOO_LONG),
        ("title_en", TITLE_MAX, MSG_KB_TITLE_TOO_LONG),
        ("body_zh", BODY_MAX, MSG_KB_BODY_TOO_LONG),
        ("body_en", BODY_MAX, MSG_KB_BODY_TOO_LONG),
    ):
        if len(values[name]) > limit:
            raise _invalid(message, "max_length", name, limit=limit)
    return values


def _personal_data_check(values: dict[str, str], names: list[str]) -> None:
    text = " ".join(values.values())
    found = any(p.search(text) for p in PERSONAL_PATTERNS)
    found = found or any(len(n) >= 2 and n in text for n in names if n)
    if found:
        raise _invalid(MSG_PERSONAL_DATA, "personal_data")


def _set_published(entry: KnowledgeEntry, published: bool) -> None:
    entry.is_published = published
    entry.published_at = timezone.now() if published else None


@transaction.atomic
def faq_save(
    *,
    by: Any,
    implementation: Implementation,
    title_zh: str,
    body_zh: str,
    title_en: str = "",
    body_en: str = "",
    entry: KnowledgeEntry | None = None,
    publish: bool = False,
) -> KnowledgeEntry:
    """Create an FAQ for one of the department's implementations, or edit one (``entry``)."""
    _kb_editor(by, implementation.department_id)
    values = _wording(title_zh, body_zh, title_en, body_en)
    _personal_data_check(values, [])
    if entry is None:
        entry = KnowledgeEntry(kind=EntryKind.FAQ, department_id=implementation.department_id,
                               implementation=implementation, item_id=implementation.item_id,
                               created_by=by)  # fmt: skip
    else:
        entry = KnowledgeEntry.objects.select_for_update().get(pk=entry.pk)
        _kb_editor(by, entry.department_id)
    for name, value in values.items():
        setattr(entry, name, value)
    if publish and not entry.is_published:
        _set_published(entry, True)
    entry.save()
    entry_index(entry)
    if publish:
        audit_log(actor=by, action="consult.publish", target_type="consult.knowledgeentry",
                  target_id=str(entry.pk), region_code=entry.department.region_id)  # fmt: skip
    return entry


@transaction.atomic
def entry_set_published(*, entry: KnowledgeEntry, by: Any, published: bool) -> KnowledgeEntry:
    """Publish or withdraw an entry from the public knowledge base (audited)."""
    locked = (
        KnowledgeEntry.objects.select_for_update(of=("self",))
        .select_related("department")
        .get(pk=entry.pk)
    )
    _kb_editor(by, locked.department_id)
    if locked.is_published != published:
        _set_published(locked, published)
        locked.save(update_fields=["is_published", "published_at", "updated_at"])
        entry_index(locked)
        audit_log(actor=by, action="consult.publish" if published else "consult.unpublish",
                  target_type="consult.knowledgeentry", target_id=str(locked.pk),
                  region_code=locked.department.region_id)  # fmt: skip
    return locked


@transaction.atomic
def answer_publish(
    *,
    question: Question,
    by: Any,
    title_zh: str,
    body_zh: str,
    title_en: str = "",
    body_en: str = "",
) -> KnowledgeEntry:
    """Publish an answered question in an edited public wording (no personal data). Doing it
    again replaces the wording of the same entry."""
    locked = (
        Question.objects.select_for_update(of=("self",))
        .select_related("asker__citizen")
        .get(pk=question.pk)
    )
    _kb_editor(by, locked.department_id)
    if locked.status not in (QuestionStatus.ANSWERED, QuestionStatus.CLOSED) or (
        locked.answered_at is None
    ):
        raise _invalid(MSG_NOT_ANSWERED, "not_answered")
    values = _wording(title_zh, body_zh, title_en, body_en)
    citizen = getattr(locked.asker, "citizen", None) if locked.asker else None
    _personal_data_check(values, [locked.caller_name, getattr(citizen, "real_name", "")])
    entry = KnowledgeEntry.objects.filter(question=locked).first() or KnowledgeEntry(
        kind=EntryKind.ANSWER, question=locked, created_by=by
    )
    entry.department_id = locked.department_id
    entry.item_id, entry.implementation_id = locked.item_id, locked.implementation_id
    for name, value in values.items():
        setattr(entry, name, value)
    _set_published(entry, True)
    entry.save()
    entry_index(entry)
    audit_log(actor=by, action="consult.publish", target_type="consult.question",
              target_id=locked.number, region_code=locked.region_code,
              details={"entry": entry.pk})  # fmt: skip
    return entry
