"""The daily chain check, run by the periodic tick.

Besides verifying the chain, it writes the head's sequence and hash to the log: log storage
kept apart from the database is the outside anchor that stops someone who can rewrite the
whole table from forging a chain that still verifies.
"""

from __future__ import annotations

from typing import Any

import structlog
from django_tasks import task

from yiwang.audit.models import AuditHead
from yiwang.audit.verify import audit_verify

log = structlog.get_logger(__name__)


@task()
def audit_chain_check() -> dict[str, Any]:
    result = audit_verify()
    head = AuditHead.objects.filter(pk=1).first()
    summary: dict[str, Any] = {
        "ok": result.ok,
        "checked": result.checked,
        "head_sequence": head.last_sequence if head else 0,
        "head_hash": head.last_hash if head else "",
    }
    if result.ok:
        log.info("audit.chain_verified", **summary)
    else:
        summary.update(broken_sequence=result.broken_sequence, reason=result.reason)
        log.error("audit.chain_broken", message=result.message, **summary)
    return summary
