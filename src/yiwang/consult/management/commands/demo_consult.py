"""``yiwang demo_consult``: demo FAQs, published answers, an open question and a 12345 ticket."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yiwang.consult.demo import consult_demo_load


class Command(BaseCommand):
    help = "Load the demo consultation data (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = consult_demo_load()
        self.stdout.write(f"consult: {result}")
