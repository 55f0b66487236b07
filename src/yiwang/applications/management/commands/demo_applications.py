"""``yiwang demo-applications``: install the demo BPMN processes and link the demo items to
them (safe to run again)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yiwang.accounts.models import Role, User
from yiwang.applications.demo import applications_demo_load


class Command(BaseCommand):
    help = "Install the three demo processes (即办, 补正, two departments) and link them."

    def handle(self, *args: Any, **options: Any) -> None:
        admin = User.objects.filter(staff__roles__role=Role.PLATFORM_ADMIN).order_by("pk").first()
        if admin is None:
            raise CommandError("No platform admin: run `yiwang demo-people` first.")
        result = applications_demo_load(admin=admin)
        self.stdout.write(
            f"applications: {result['installed']} process versions installed, "
            f"{result['linked']} implementations linked"
        )
