"""``yiwang demo_reviews``: the demo citizen's bad rating with its open rectification order,
and a spread of earlier ratings for the statistics pages."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yiwang.reviews.demo import reviews_demo_load


class Command(BaseCommand):
    help = "Load the 好差评 demo (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = reviews_demo_load()
        self.stdout.write(
            f"reviews: order {result['order'] or '-'} open, {result['ratings']} new ratings"
        )
