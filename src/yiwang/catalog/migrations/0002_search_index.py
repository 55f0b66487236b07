"""The full-text index over SearchDocument, per database vendor.

SQLite: two FTS5 tables keyed by SearchDocument.id (Chinese columns pre-segmented with
rjieba and space-joined, read by unicode61; English columns stemmed by porter). The search
services write them whenever a document changes; ranking is FTS5's bm25().

PostgreSQL: two generated tsvector columns (weights A for titles, B for bodies; 'simple' for
the pre-segmented Chinese, 'english' for English) with GIN indexes;
ranking is ts_rank (length-normalised).
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE catalog_search_fts_zh USING fts5(title, body, tokenize='unicode61')",
    "CREATE VIRTUAL TABLE catalog_search_fts_en USING fts5("
    "title, body, tokenize='porter unicode61')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS catalog_search_fts_zh",
    "DROP TABLE IF EXISTS catalog_search_fts_en",
]
POSTGRES_FORWARD = [
    "ALTER TABLE catalog_searchdocument ADD COLUMN tsv_zh tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', coalesce(title_zh, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(body_zh, '')), 'B')) STORED",
    "ALTER TABLE catalog_searchdocument ADD COLUMN tsv_en tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', coalesce(title_en, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(body_en, '')), 'B')) STORED",
    "CREATE INDEX catalog_searchdoc_tsv_zh ON catalog_searchdocument USING GIN (tsv_zh)",
    "CREATE INDEX catalog_searchdoc_tsv_en ON catalog_searchdocument USING GIN (tsv_en)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_searchdoc_tsv_zh",
    "DROP INDEX IF EXISTS catalog_searchdoc_tsv_en",
    "ALTER TABLE catalog_searchdocument DROP COLUMN IF EXISTS tsv_zh",
    "ALTER TABLE catalog_searchdocument DROP COLUMN IF EXISTS tsv_en",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
