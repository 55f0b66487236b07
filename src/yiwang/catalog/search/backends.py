"""Ranking, per database: the only vendor-specific SQL of search.

Both return ``[(search_document_id, score)]``, best first, higher score better. Words are
already reduced to letters, digits and CJK characters by ``query_parse``, so quoting them
cannot break out of the match expression.
"""

from __future__ import annotations

from django.db import connection

from yiwang.catalog.search.index import FTS_TABLES

# Title matches count several times a body match.
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 2.0
MAX_CANDIDATES = 500


def _rank_sqlite(language: str, words: tuple[str, ...]) -> list[tuple[int, float]]:
    table = FTS_TABLES[language]
    match = " OR ".join(f'"{w}"' for w in words)
    sql = (
        f"SELECT rowid, -bm25({table}, %s, %s) AS score FROM {table} "  # noqa: S608
        f"WHERE {table} MATCH %s ORDER BY score DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [TITLE_WEIGHT, BODY_WEIGHT, match, MAX_CANDIDATES])
        return [(int(pk), float(score)) for pk, score in cursor.fetchall()]


def _rank_postgres(language: str, words: tuple[str, ...]) -> list[tuple[int, float]]:
    config, column = ("simple", "tsv_zh") if language == "zh" else ("english", "tsv_en")
    tsquery = " | ".join(f"'{w}'" for w in words)
    sql = (
        f"SELECT id, ts_rank_cd('{{0.1, 0.2, 0.4, 1.0}}', {column}, q) AS score "  # noqa: S608
        f"FROM catalog_searchdocument, to_tsquery('{config}', %s) q "
        f"WHERE {column} @@ q ORDER BY score DESC, id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [tsquery, MAX_CANDIDATES])
        return [(int(pk), float(score)) for pk, score in cursor.fetchall()]


def documents_rank(language: str, words: tuple[str, ...]) -> list[tuple[int, float]]:
    if not words:
        return []
    if connection.vendor == "postgresql":
        return _rank_postgres(language, words)
    return _rank_sqlite(language, words)
