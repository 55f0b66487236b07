from typing import Any

from django.core.management.base import BaseCommand

from yiwang.certificates.demo import demo_certificates_load


class Command(BaseCommand):
    help = "Demo certificate types, a signing key and a certificate in the demo citizen's wallet."

    def handle(self, *args: Any, **options: Any) -> None:
        certificate = demo_certificates_load()
        if certificate is None:
            self.stdout.write(
                "certificate types ready; no demo citizen yet (run demo_people first)"
            )
        else:
            self.stdout.write(f"certificate types ready; demo certificate {certificate.number}")
