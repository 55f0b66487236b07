from typing import Any

from django.core.management.base import BaseCommand

from yiwang.certificates.demo import demo_certificates_load


class Command(BaseCommand):
    help = "Demo certificate types and a signing key (demo certificates come from approvals)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = demo_certificates_load()
        self.stdout.write(
            f"certificates: {count} certificate types ready "
            "(the demo citizen's certificates are issued by demo_applications)"
        )
