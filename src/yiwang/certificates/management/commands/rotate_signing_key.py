from typing import Any

from django.core.management.base import BaseCommand

from yiwang.certificates.signing.services import signing_key_rotate


class Command(BaseCommand):
    help = "Create a new active signing key; earlier keys stay published and keep verifying."

    def handle(self, *args: Any, **options: Any) -> None:
        key = signing_key_rotate()
        self.stdout.write(f"active signing key: {key.kid}")
