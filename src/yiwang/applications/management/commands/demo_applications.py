"""``yiwang demo-applications``: install the demo BPMN processes, link the demo items to them,
and carry the demo citizen through them so the wallet holds certificates from approvals
(safe to run again)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yiwang.accounts.models import Role, User
from yiwang.applications.demo import (
    CLERK,
    applications_demo_cases,
    applications_demo_load,
    demo_citizen,
)
from yiwang.applications.models import Application


class Command(BaseCommand):
    help = (
        "Install the three demo processes (即办, 补正, two departments), link them and run the "
        "demo citizen's cases."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        admin = User.objects.filter(staff__roles__role=Role.PLATFORM_ADMIN).order_by("pk").first()
        if admin is None:
            raise CommandError("No platform admin: run `yiwang demo-people` first.")
        result = applications_demo_load(admin=admin)
        self.stdout.write(
            f"applications: {result['installed']} process versions installed, "
            f"{result['linked']} implementations linked"
        )
        citizen, clerk = demo_citizen(), User.objects.filter(username=CLERK).first()
        if citizen is None or clerk is None:
            self.stdout.write("applications: no demo citizen or clerk, no demo cases")
            return
        for case, number in applications_demo_cases(citizen=citizen, clerk=clerk).items():
            application = Application.objects.select_related("result_certificate").get(
                number=number
            )
            certificate = application.result_certificate
            self.stdout.write(
                f"applications: {case} {number} {application.status}"
                + (f" → certificate {certificate.number}" if certificate else "")
            )
