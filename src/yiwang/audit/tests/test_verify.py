from __future__ import annotations

from collections.abc import Callable, Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.utils import translation

from yiwang.audit.models import AuditEntry
from yiwang.audit.services import audit_log
from yiwang.audit.verify import audit_verify
from yiwang.cli import main

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are compared in English (the command deactivates translations anyway)."""
    with translation.override("en"):
        yield


RawSql = Callable[[str, list[object]], None]


@pytest.fixture
def chain() -> list[AuditEntry]:
    return [audit_log(actor=None, action="test.step", details={"n": n}) for n in range(1, 5)]


def test_empty_log_is_intact() -> None:
    result = audit_verify()
    assert (result.ok, result.checked, result.broken_sequence) == (True, 0, None)


def test_intact_chain_reports_its_length(chain: list[AuditEntry]) -> None:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert out.getvalue().strip() == "Audit chain intact: 4 entries verified."


def test_altered_entry_is_named(chain: list[AuditEntry], raw_sql: RawSql) -> None:
    raw_sql("UPDATE audit_auditentry SET purpose = %s WHERE sequence = %s", ["forged", 2])

    result = audit_verify()

    assert (result.ok, result.broken_sequence, result.reason, result.checked) == (
        False,
        2,
        "altered",
        1,
    )
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify")
    assert caught.value.returncode == 1
    assert str(caught.value) == (
        "Audit chain BROKEN after 1 intact entries: Audit entry #2 was altered: "
        "its content does not match its hash."
    )


def test_removed_entry_is_named(chain: list[AuditEntry], raw_sql: RawSql) -> None:
    raw_sql("DELETE FROM audit_auditentry WHERE sequence = %s", [3])

    result = audit_verify()

    assert (result.ok, result.broken_sequence, result.reason) == (False, 3, "removed")
    assert result.message == (
        "Audit entry #3 is missing: the chain jumps from #2 to #4 (entries were removed)."
    )
    with pytest.raises(CommandError, match="#3 is missing") as caught:
        call_command("audit_verify")
    assert caught.value.returncode == 1


def test_removed_first_entry_is_named(chain: list[AuditEntry], raw_sql: RawSql) -> None:
    raw_sql("DELETE FROM audit_auditentry WHERE sequence = %s", [1])

    result = audit_verify()

    assert (result.ok, result.broken_sequence, result.reason) == (False, 1, "removed")


def test_entries_removed_from_the_end_are_named(chain: list[AuditEntry], raw_sql: RawSql) -> None:
    raw_sql("DELETE FROM audit_auditentry WHERE sequence >= %s", [3])

    result = audit_verify()

    assert (result.ok, result.broken_sequence, result.reason) == (False, 3, "truncated")
    assert result.message == "Audit entries #3 to #4 are missing from the end of the chain."


def test_rewritten_entry_with_a_fresh_hash_breaks_the_next_link(
    chain: list[AuditEntry], raw_sql: RawSql
) -> None:
    forged = AuditEntry.objects.get(sequence=2)
    forged.purpose = "forged"
    raw_sql(
        "UPDATE audit_auditentry SET purpose = %s, entry_hash = %s WHERE sequence = %s",
        ["forged", forged.compute_hash(), 2],
    )

    result = audit_verify()

    assert (result.ok, result.broken_sequence, result.reason) == (False, 3, "inserted")


def test_entry_appended_behind_the_heads_back_is_named(
    chain: list[AuditEntry], raw_sql: RawSql
) -> None:
    last = chain[-1]
    extra = AuditEntry(
        sequence=5,
        created_at=last.created_at,
        action="forged",
        prev_hash=last.entry_hash,
        details={},
    )
    extra.entry_hash = extra.compute_hash()
    extra.save(force_insert=True)

    result = audit_verify()

    assert (result.ok, result.broken_sequence, result.reason) == (False, 5, "inserted")


def test_the_yiwang_command_exits_1_when_broken(
    chain: list[AuditEntry], raw_sql: RawSql, monkeypatch: pytest.MonkeyPatch
) -> None:
    # run_from_argv closes every connection when it ends, which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    main(["yiwang", "audit-verify"])  # intact: returns normally (exit status 0)

    raw_sql("DELETE FROM audit_auditentry WHERE sequence = %s", [2])
    with pytest.raises(SystemExit) as exited:
        main(["yiwang", "audit-verify"])

    assert exited.value.code == 1
