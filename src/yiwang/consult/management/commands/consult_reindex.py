"""``yiwang consult_reindex``: rebuild the knowledge-base search index."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from yiwang.consult.search import knowledge_index_rebuild


class Command(BaseCommand):
    help = "Re-segment every knowledge-base entry and rebuild its full-text index."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = knowledge_index_rebuild()
        self.stdout.write(f"consult: {count} published entries indexed")
