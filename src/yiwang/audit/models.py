"""The audit log (审计日志): append-only and hash-chained.

Each entry carries the SHA-256 of the entry before it (``prev_hash``) and its own hash over a
canonical JSON form of all its fields (``entry_hash``). The model refuses to update or delete
a row, and on PostgreSQL a trigger refuses ``UPDATE``/``DELETE`` too — but anyone with direct
database access can get round both. Real tamper-evidence comes from the chain and
``audit_verify()`` (``yiwang audit-verify``): altering, removing or inserting a row breaks
the chain at that row. Someone who can rewrite the whole tail *and* ``AuditHead`` can forge a
consistent chain, so operators should copy the head hash somewhere outside the database
(a daily log line, a ticket) to anchor it.

Actors and subjects are stored as plain ids plus a snapshot of who the actor was at the
time: a foreign key with PROTECT would forbid ever deleting a user, and SET_NULL would rewrite
(and so break) old entries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64

ACTION_PERSONAL_DATA_READ = "personal_data.read"

# Labels for the actions the foundation writes; other actions show their code.
ACTION_LABELS: dict[str, Any] = {
    ACTION_PERSONAL_DATA_READ: _("Read personal data"),
    "auth.login": _("Logged in"),
    "auth.login_failed": _("Failed login"),
    "auth.logout": _("Logged out"),
    "auth.locked_out": _("Locked out"),
    "auth.login_code_requested": _("Requested a login code"),
    "staff.created": _("Created a staff account"),
    "enterprise.registered": _("Registered an enterprise"),
    "enterprise.agent_added": _("Authorised an enterprise agent"),
    "enterprise.agent_removed": _("Removed an enterprise agent"),
    "api_token.created": _("Created an API token"),
    "api_token.revoked": _("Revoked an API token"),
}


def audit_action_register(*, action: str, label: Any) -> None:
    """Let a later app name its actions (call from its ``AppConfig.ready()``), so the staff
    audit list can show and filter them without this app importing that one."""
    ACTION_LABELS[action] = label


# Names of personal-data fields, as shown to the citizen whose data was read.
FIELD_LABELS: dict[str, Any] = {
    "real_name": _("Real name"),
    "id_number": _("Resident ID number"),
    "phone": _("Mobile phone"),
    "email": _("E-mail"),
    "address": _("Address"),
    "region": _("Region of residence"),
    "birth_date": _("Date of birth"),
}


def _canonical_json_value(value: Any) -> Any:
    """Integral floats as integers: PostgreSQL's jsonb gives ``1e20`` back as an integer,
    and the hash must not depend on which database stored the entry."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _canonical_json_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical_json_value(item) for item in value]
    return value


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or delete an audit entry through the ORM."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogImmutable("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutable("Audit entries cannot be deleted.")


class AuditHead(models.Model):
    """The single row (pk 1) that holds the end of the chain.

    Appending locks it (``SELECT ... FOR UPDATE``), which serialises writers across every app
    server, so two entries can never claim the same predecessor. It also lets
    ``audit_verify`` notice entries removed from the end of the chain.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.last_sequence} {self.last_hash[:12]}"


class AuditEntry(models.Model):
    """审计记录: one thing someone did, in order, chained to the one before."""

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("time"))
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    actor_kind = models.CharField(_("actor kind"), max_length=10, blank=True)
    actor_department = models.CharField(_("department"), max_length=200, blank=True)
    actor_region_code = models.CharField(
        _("actor region"), max_length=12, blank=True, db_index=True
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("object type"), max_length=64, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    region_code = models.CharField(_("region"), max_length=12, blank=True, db_index=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    purpose = models.CharField(_("purpose"), max_length=500, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    subject_id = models.BigIntegerField(_("data subject id"), null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["subject_id", "action", "-sequence"], name="audit_subject_action"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogImmutable("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutable("Audit entries cannot be deleted.")

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def field_labels(self) -> list[str]:
        fields = self.details.get("fields", []) if isinstance(self.details, dict) else []
        return [str(FIELD_LABELS.get(name, name)) for name in fields]

    def canonical_payload(self) -> bytes:
        """Every field except the hash itself, as deterministic JSON (sorted keys, UTC time)."""
        created = self.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
        payload = {
            "sequence": self.sequence,
            "created_at": created,
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "actor_kind": self.actor_kind,
            "actor_department": self.actor_department,
            "actor_region_code": self.actor_region_code,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "region_code": self.region_code,
            "ip": self.ip,
            "request_id": self.request_id,
            "purpose": self.purpose,
            "details": _canonical_json_value(self.details),
            "subject_id": self.subject_id,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(
            payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical_payload()).hexdigest()
