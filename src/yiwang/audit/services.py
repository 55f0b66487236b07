"""Writing the audit log. Every entry goes through ``audit_log``; the chain is extended under
a lock on ``AuditHead`` so that several app servers can never fork it."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.audit.models import ACTION_PERSONAL_DATA_READ, GENESIS_HASH, AuditEntry, AuditHead
from yiwang.core.middleware import current_request

MSG_PURPOSE_REQUIRED = _("Say why you are viewing this person's data.")
MSG_FIELDS_REQUIRED = _("Name the personal data fields that are shown.")
MSG_ACTION_REQUIRED = _("An audit entry needs an action.")


def _actor_snapshot(actor: Any) -> dict[str, Any]:
    """Who the actor was at the time: the log must still read correctly after they change
    department, are renamed or are deleted."""
    if actor is None or not getattr(actor, "is_authenticated", True):  # AnonymousUser
        return {
            "actor_id": None,
            "actor_name": "",
            "actor_kind": "",
            "actor_department": "",
            "actor_region_code": "",
        }
    staff = getattr(actor, "staff", None)  # a missing profile raises an AttributeError subclass
    department = getattr(staff, "department", None) if staff is not None else None
    return {
        "actor_id": actor.pk,
        "actor_name": str(actor)[:150],
        "actor_kind": str(getattr(actor, "kind", ""))[:10],
        "actor_department": str(department.name)[:200] if department is not None else "",
        "actor_region_code": str(getattr(staff, "region_id", "") or "")
        if staff is not None
        else "",
    }


def _clean_ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""


def _json_normalised(details: dict[str, Any] | None) -> dict[str, Any]:
    """Round-trip through JSON so the hash covers exactly what the database gives back
    (dates become strings, tuples lists)."""
    result: dict[str, Any] = json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))
    return result


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    # First entry ever (or the table was emptied): create the head from the chain's end.
    # ON CONFLICT DO NOTHING lets two first writers race safely; both then lock the one row.
    last = AuditEntry.objects.order_by("-sequence").only("sequence", "entry_hash").first()
    AuditHead.objects.bulk_create(
        [
            AuditHead(
                pk=1,
                last_sequence=last.sequence if last else 0,
                last_hash=last.entry_hash if last else GENESIS_HASH,
            )
        ],
        ignore_conflicts=True,
    )
    return AuditHead.objects.select_for_update().get(pk=1)


def audit_log(
    *,
    actor: Any,
    action: str,
    target_type: str = "",
    target_id: str = "",
    region_code: str = "",
    purpose: str = "",
    details: dict[str, Any] | None = None,
    subject: Any = None,
) -> AuditEntry:
    """Append one entry to the chain and return it.

    Runs in the caller's transaction: if the caller rolls back, the entry goes too (nothing
    happened, so nothing is logged). The head lock is held until that transaction ends, so
    keep audited transactions short.
    """
    if not action:
        raise ValidationError(MSG_ACTION_REQUIRED, code="action_required")
    meta = current_request.get()
    with transaction.atomic():
        head = _locked_head()
        entry = AuditEntry(
            sequence=head.last_sequence + 1,
            created_at=timezone.now(),
            action=action[:64],
            target_type=target_type[:64],
            target_id=str(target_id)[:64],
            region_code=region_code[:12],
            ip=_clean_ip(meta.ip) if meta else "",
            request_id=meta.request_id if meta else "",
            purpose=purpose[:500],
            details=_json_normalised(details),
            subject_id=subject.pk if subject is not None else None,
            prev_hash=head.last_hash,
            **_actor_snapshot(actor),
        )
        entry.entry_hash = entry.compute_hash()
        entry.save(force_insert=True)
        head.last_sequence = entry.sequence
        head.last_hash = entry.entry_hash
        head.save(update_fields=["last_sequence", "last_hash"])
    return entry


def _subject_region(subject: Any, actor: Any) -> str:
    """Where the read happened: the citizen's region, else the reading staff member's."""
    citizen = getattr(subject, "citizen", None)
    code = getattr(citizen, "region_id", None) if citizen is not None else None
    if not code:
        staff = getattr(actor, "staff", None) if actor is not None else None
        code = getattr(staff, "region_id", None) if staff is not None else None
    return str(code or "")


def personal_data_read(
    *,
    actor: Any,
    subject: Any,
    purpose: str,
    fields: list[str],
    target_type: str = "",
    target_id: str = "",
) -> AuditEntry:
    """Record that ``actor`` was shown ``fields`` of ``subject``'s personal data, and why.

    Call it every time a page or API response shows a citizen's personal data to staff; the
    citizen sees these entries on "Who viewed my data".
    """
    purpose = purpose.strip()
    if not purpose:
        raise ValidationError(MSG_PURPOSE_REQUIRED, code="purpose_required")
    names = list(dict.fromkeys(name.strip() for name in fields if name.strip()))
    if not names:
        raise ValidationError(MSG_FIELDS_REQUIRED, code="fields_required")
    return audit_log(
        actor=actor,
        action=ACTION_PERSONAL_DATA_READ,
        target_type=target_type or "user",
        target_id=target_id or str(subject.pk),
        region_code=_subject_region(subject, actor),
        purpose=purpose,
        details={"fields": names},
        subject=subject,
    )
