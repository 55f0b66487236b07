"""``yiwang demo_delivery``: a posted result in transit and one waiting to ship."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yiwang.delivery.demo import delivery_demo_load


class Command(BaseCommand):
    help = "Load the postal delivery demo for 李明 (13800138000); safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        result = delivery_demo_load()
        self.stdout.write(f"delivery: {result}")
