"""``yiwang demo-halls``: demo halls in 广州 with windows, slot templates and slots."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yiwang.halls.demo import halls_demo_load


class Command(BaseCommand):
    help = "Load the demo halls in 广州 (safe to run again) and slots for 10 working days."

    def handle(self, *args: Any, **options: Any) -> None:
        result = halls_demo_load()
        self.stdout.write(f"halls: {result['halls']} halls, {result['slots']} new slots")
