"""Checking the chain: ``audit_verify()`` walks every entry in order, in constant memory,
and names the first one that does not fit."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from yiwang.audit.models import GENESIS_HASH, AuditEntry, AuditHead

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    # The sequence number the problem is found at (the altered entry, or the first missing one).
    broken_sequence: int | None = None
    reason: str = ""  # "altered" | "removed" | "inserted" | "truncated" | "" when intact
    message: str = ""


def _broken(checked: int, sequence: int, reason: str, message: str) -> VerifyResult:
    return VerifyResult(
        ok=False, checked=checked, broken_sequence=sequence, reason=reason, message=message
    )


def audit_verify() -> VerifyResult:
    expected_sequence = 1
    prev_hash = GENESIS_HASH
    checked = 0
    entries = AuditEntry.objects.order_by("sequence").iterator(chunk_size=CHUNK_SIZE)
    for entry in entries:
        if entry.sequence != expected_sequence:
            return _broken(
                checked,
                expected_sequence,
                "removed",
                _(
                    "Audit entry #%(missing)d is missing: the chain jumps from #%(before)d to "
                    "#%(found)d (entries were removed)."
                )
                % {
                    "missing": expected_sequence,
                    "before": expected_sequence - 1,
                    "found": entry.sequence,
                },
            )
        if entry.prev_hash != prev_hash:
            return _broken(
                checked,
                entry.sequence,
                "inserted",
                _(
                    "Audit entry #%(sequence)d does not follow the entry before it (its previous "
                    "hash does not match): an entry was replaced, inserted or removed."
                )
                % {"sequence": entry.sequence},
            )
        if entry.compute_hash() != entry.entry_hash:
            return _broken(
                checked,
                entry.sequence,
                "altered",
                _("Audit entry #%(sequence)d was altered: its content does not match its hash.")
                % {"sequence": entry.sequence},
            )
        prev_hash = entry.entry_hash
        expected_sequence += 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    last_sequence = expected_sequence - 1
    if head is not None and (head.last_sequence, head.last_hash) != (last_sequence, prev_hash):
        if head.last_sequence > last_sequence:
            return _broken(
                checked,
                last_sequence + 1,
                "truncated",
                _("Audit entries #%(first)d to #%(last)d are missing from the end of the chain.")
                % {"first": last_sequence + 1, "last": head.last_sequence},
            )
        if head.last_sequence < last_sequence:
            return _broken(
                checked,
                head.last_sequence + 1,
                "inserted",
                _("Audit entry #%(sequence)d was appended behind the chain head's back.")
                % {"sequence": head.last_sequence + 1},
            )
        return _broken(
            checked,
            last_sequence,
            "altered",
            _("The chain head does not match audit entry #%(sequence)d.")
            % {"sequence": last_sequence},
        )
    if head is None and checked:
        return _broken(
            checked,
            last_sequence,
            "truncated",
            _("The chain head is missing, so removals from the end cannot be ruled out."),
        )
    return VerifyResult(ok=True, checked=checked)
