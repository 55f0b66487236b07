"""``yiwang catalog-reindex``: rebuild the search documents (after a segmentation change)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from yiwang.catalog.search.index import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the catalogue search index from what is published."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = search_index_rebuild()
        self.stdout.write(f"catalogue search: {count} documents indexed")
