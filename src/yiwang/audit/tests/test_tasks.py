from __future__ import annotations

from collections.abc import Callable

import pytest

from yiwang.audit.models import AuditHead
from yiwang.audit.services import audit_log
from yiwang.audit.tasks import audit_chain_check
from yiwang.core.periodic import periodic_jobs

pytestmark = pytest.mark.django_db


def test_daily_check_reports_the_head_as_an_outside_anchor() -> None:
    audit_log(actor=None, action="a.b")
    last = audit_log(actor=None, action="a.c")

    summary = audit_chain_check.enqueue().return_value

    assert summary == {"ok": True, "checked": 2, "head_sequence": 2, "head_hash": last.entry_hash}
    assert AuditHead.objects.get().last_hash == last.entry_hash


def test_daily_check_reports_a_broken_chain(raw_sql: Callable[[str, list[object]], None]) -> None:
    audit_log(actor=None, action="a.b")
    audit_log(actor=None, action="a.c")
    raw_sql("UPDATE audit_auditentry SET action = %s WHERE sequence = %s", ["a.forged", 1])

    summary = audit_chain_check.enqueue().return_value

    assert (summary["ok"], summary["broken_sequence"], summary["reason"]) == (False, 1, "altered")


def test_the_check_runs_daily_on_the_periodic_tick() -> None:
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["audit.chain_check"].task is audit_chain_check
    assert jobs["audit.chain_check"].every.days == 1
