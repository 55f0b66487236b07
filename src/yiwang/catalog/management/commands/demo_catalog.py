"""``yiwang demo-catalog``: load the demo service catalogue (safe to run again)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yiwang.catalog.demo.load import catalog_demo_load


class Command(BaseCommand):
    help = "Load the demo service catalogue (44 items, implementations in 广东, 3 bundles)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = catalog_demo_load()
        self.stdout.write(
            f"catalogue: {created['items']} items, {created['implementations']} implementations, "
            f"{created['bundles']} bundles created"
        )
