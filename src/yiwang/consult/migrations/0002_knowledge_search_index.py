"""The full-text index over KnowledgeEntry, per database vendor (the catalogue's approach,
see ``catalog/migrations/0002_search_index.py``).

SQLite: two FTS5 tables keyed by KnowledgeEntry.id over the pre-segmented token columns,
written by ``consult.search`` whenever an entry changes; ranking is bm25().

PostgreSQL: two generated tsvector columns (titles weight A, bodies B; 'simple' for the
pre-segmented Chinese, 'english' for English) with GIN indexes; ranking is ts_rank.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE consult_kb_fts_zh USING fts5(title, body, tokenize='unicode61')",
    "CREATE VIRTUAL TABLE consult_kb_fts_en USING fts5(title, body, tokenize='porter unicode61')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS consult_kb_fts_zh",
    "DROP TABLE IF EXISTS consult_kb_fts_en",
]
POSTGRES_FORWARD = [
    "ALTER TABLE consult_knowledgeentry ADD COLUMN tsv_zh tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', coalesce(tokens_title_zh, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(tokens_body_zh, '')), 'B')) STORED",
    "ALTER TABLE consult_knowledgeentry ADD COLUMN tsv_en tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', coalesce(tokens_title_en, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(tokens_body_en, '')), 'B')) STORED",
    "CREATE INDEX consult_kb_tsv_zh ON consult_knowledgeentry USING GIN (tsv_zh)",
    "CREATE INDEX consult_kb_tsv_en ON consult_knowledgeentry USING GIN (tsv_en)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS consult_kb_tsv_zh",
    "DROP INDEX IF EXISTS consult_kb_tsv_en",
    "ALTER TABLE consult_knowledgeentry DROP COLUMN IF EXISTS tsv_zh",
    "ALTER TABLE consult_knowledgeentry DROP COLUMN IF EXISTS tsv_en",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("consult", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
