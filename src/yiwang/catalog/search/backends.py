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


def _rank_sqlite(
    language: str, words: tuple[str, ...], extra: tuple[str, ...]
) -> list[tuple[int, float]]:
    table = FTS_TABLES[language]
    # bm25() sums over the phrases of the query, so listing a typed word twice weighs it
    # twice a word that only a synonym added.
    match = " OR ".join(f'"{w}"' for w in words + words + extra)
    sql = (
        f"SELECT rowid, -bm25({table}, %s, %s) AS score FROM {table} "  # noqa: S608
        f"WHERE {table} MATCH %s ORDER BY score DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [TITLE_WEIGHT, BODY_WEIGHT, match, MAX_CANDIDATES])
        return [(int(pk), float(score)) for pk, score in cursor.fetchall()]


def _tsquery(words: tuple[str, ...]) -> str:
    return " | ".join(f"'{w}'" for w in words)


def _rank_postgres(
    language: str, words: tuple[str, ...], extra: tuple[str, ...]
) -> list[tuple[int, float]]:
    config, column = ("simple", "tsv_zh") if language == "zh" else ("english", "tsv_en")
    # Typed words weigh twice the words a synonym added, as on SQLite. An absent part is
    # the query of a word no document has, which matches and scores nothing.
    typed, added = _tsquery(words) or "'-'", _tsquery(extra) or "'-'"
    # ts_rank with length normalisation (flag 1) rather than ts_rank_cd: cover density
    # rewards a long keyword list that repeats a word, which put 第一次办身份证 above
    # 身份证换领 for 身份证过期了; this behaves like BM25 on the ranking table.
    rank = "ts_rank('{0.1, 0.2, 0.4, 1.0}', %s, %s, 1)"
    score = f"2 * {rank % (column, 't')} + {rank % (column, 'a')}"
    sql = (
        f"SELECT id, {score} AS score FROM catalog_searchdocument, "  # noqa: S608
        f"to_tsquery('{config}', %s) t, "
        f"to_tsquery('{config}', %s) a WHERE {column} @@ (t || a) "
        "ORDER BY score DESC, id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [typed, added, MAX_CANDIDATES])
        return [(int(pk), float(score)) for pk, score in cursor.fetchall()]


def documents_rank(
    language: str, words: tuple[str, ...], extra: tuple[str, ...] = ()
) -> list[tuple[int, float]]:
    """Rank documents for the typed ``words`` and the synonym-added ``extra`` words."""
    if not words and not extra:
        return []
    if connection.vendor == "postgresql":
        return _rank_postgres(language, words, extra)
    return _rank_sqlite(language, words, extra)
