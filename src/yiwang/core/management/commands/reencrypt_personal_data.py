"""``yiwang reencrypt-personal-data``: after prepending a new key to
``FIELD_ENCRYPTION_KEYS``, rewrite every encrypted column with the newest key so the old key
can be removed from the list.

It works on the stored tokens directly (no decrypted value leaves this process), in primary-key
order and in small transactions, so it can run while the site is up and be interrupted and run
again: a row already under the newest key is left alone.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from yiwang.core.crypto import encrypted_columns, token_reencrypt


class Command(BaseCommand):
    help = "Re-encrypt personal data at rest with the newest FIELD_ENCRYPTION_KEYS key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change, change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model, name, column in encrypted_columns():
            changed = self._column(model, column, options["batch_size"], options["dry_run"])
            total += changed
            self.stdout.write(f"{model._meta.label}.{name}: {changed}")
        verb = "would be re-encrypted" if options["dry_run"] else "re-encrypted"
        self.stdout.write(self.style.SUCCESS(f"{total} value(s) {verb}."))

    def _column(self, model: Any, column: str, batch_size: int, dry_run: bool) -> int:
        table = connection.ops.quote_name(model._meta.db_table)
        pk = connection.ops.quote_name(model._meta.pk.column)
        col = connection.ops.quote_name(column)
        changed, last = 0, None
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                where = f"WHERE {pk} > %s " if last is not None else ""
                cursor.execute(
                    f"SELECT {pk}, {col} FROM {table} {where}ORDER BY {pk} LIMIT %s",  # noqa: S608
                    [last, batch_size] if last is not None else [batch_size],
                )
                rows = cursor.fetchall()
                if not rows:
                    return changed
                for key, token in rows:
                    fresh = token_reencrypt(token) if token else None
                    if fresh is None:
                        continue
                    changed += 1
                    if not dry_run:
                        cursor.execute(
                            f"UPDATE {table} SET {col} = %s WHERE {pk} = %s",  # noqa: S608
                            [fresh, key],
                        )
                last = rows[-1][0]
