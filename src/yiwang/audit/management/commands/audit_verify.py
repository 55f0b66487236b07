"""``yiwang audit-verify``: exit 0 with the number of entries if the chain is intact, else
exit 1 naming the first broken entry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yiwang.audit.verify import audit_verify


class Command(BaseCommand):
    help = "Walk the audit hash chain and name the first entry that was altered or removed."

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if not result.ok:
            raise CommandError(
                f"Audit chain BROKEN after {result.checked} intact entries: {result.message}",
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {result.checked} entries verified.")
        )
