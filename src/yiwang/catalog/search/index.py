"""Keeping SearchDocument (and, on SQLite, its FTS5 tables) in step with what is published.

Called by the services that publish items and bundles, inside their transaction, so the
index never shows something that was rolled back. PostgreSQL needs no extra writes: its
tsvector columns are generated from the document row.
"""

from __future__ import annotations

from django.db import connection

from yiwang.catalog.models import Bundle, SearchDocument, SearchDocumentKind, ServiceItem
from yiwang.catalog.search.text import index_text_en, index_text_zh

FTS_TABLES = {"zh": "catalog_search_fts_zh", "en": "catalog_search_fts_en"}


def _fts_write(doc: SearchDocument) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for language, table in FTS_TABLES.items():
            cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [doc.pk])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {table} (rowid, title, body) VALUES (%s, %s, %s)",  # noqa: S608
                [doc.pk, getattr(doc, f"title_{language}"), getattr(doc, f"body_{language}")],
            )


def _fts_delete(pk: int) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table in FTS_TABLES.values():
            cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [pk])  # noqa: S608


def search_document_refresh_item(*, item: ServiceItem) -> SearchDocument | None:
    """Index the item's published version; drop it from the index if none is published."""
    version = item.published_version
    if version is None:
        for pk in SearchDocument.objects.filter(item=item).values_list("pk", flat=True):
            _fts_delete(pk)
        SearchDocument.objects.filter(item=item).delete()
        return None
    doc, _created = SearchDocument.objects.update_or_create(
        item=item,
        defaults={
            "kind": SearchDocumentKind.ITEM,
            "title_zh": index_text_zh(version.name_zh, version.short_name_zh),
            "body_zh": index_text_zh(version.keywords_zh, version.description_zh),
            "title_en": index_text_en(version.name_en, version.short_name_en),
            "body_en": index_text_en(version.keywords_en, version.description_en),
            "suggest_zh": version.name_zh,
            "suggest_en": version.name_en,
        },
    )
    _fts_write(doc)
    return doc


def search_document_refresh_bundle(*, bundle: Bundle) -> SearchDocument | None:
    if not bundle.is_published:
        for pk in SearchDocument.objects.filter(bundle=bundle).values_list("pk", flat=True):
            _fts_delete(pk)
        SearchDocument.objects.filter(bundle=bundle).delete()
        return None
    doc, _created = SearchDocument.objects.update_or_create(
        bundle=bundle,
        defaults={
            "kind": SearchDocumentKind.BUNDLE,
            "title_zh": index_text_zh(bundle.name_zh),
            "body_zh": index_text_zh(bundle.keywords_zh, bundle.description_zh),
            "title_en": index_text_en(bundle.name_en),
            "body_en": index_text_en(bundle.keywords_en, bundle.description_en),
            "suggest_zh": bundle.name_zh,
            "suggest_en": bundle.name_en,
        },
    )
    _fts_write(doc)
    return doc


def search_index_rebuild() -> int:
    """Re-index everything (after a segmentation dictionary change); returns documents."""
    count = 0
    for item in ServiceItem.objects.select_related("published_version"):
        count += search_document_refresh_item(item=item) is not None
    for bundle in Bundle.objects.all():
        count += search_document_refresh_bundle(bundle=bundle) is not None
    return count
