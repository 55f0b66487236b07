from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection


@pytest.fixture
def raw_sql(db: None) -> Callable[[str, list[object]], None]:
    """Run SQL straight against the table, as an attacker with database access would.

    On PostgreSQL the append-only trigger is disabled first (inside the test's transaction,
    so it is back afterwards): someone who can tamper can usually do that too.
    """

    def run(sql: str, params: list[object]) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only"
                )
            cursor.execute(sql, params)

    return run
