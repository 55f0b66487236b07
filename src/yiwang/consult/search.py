"""Knowledge-base search with the catalogue's Chinese search machinery.

Entries are segmented by the catalogue's ``index_text_zh``/``index_text_en`` (rjieba
``cut_for_search``) into the ``tokens_*`` columns, and queries go through the catalogue's
``query_parse`` (sanitised, stopwords dropped, the ``SearchSynonym`` table applied), so an
FAQ and a service guide answer the same words the same way. Only the ranking SQL is ours,
because it reads our own index (made by migration 0002): BM25 over FTS5 on SQLite,
length-normalised ``ts_rank`` over a generated ``tsvector('simple')`` on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from yiwang.catalog.search import SearchQueryError
from yiwang.catalog.search.query import query_parse
from yiwang.catalog.search.text import index_text_en, index_text_zh
from yiwang.consult.models import KnowledgeEntry
from yiwang.regions.models import CODE_LENGTHS

FTS_TABLES = {"zh": "consult_kb_fts_zh", "en": "consult_kb_fts_en"}
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 2.0
MAX_CANDIDATES = 200
SAME_ITEM_BONUS = 5.0
# Hits scoring under this share of the best one matched only a word in passing (经营 in an
# unrelated answer); BM25 gives them almost nothing, and a list of them only misleads.
MIN_SHARE = 0.1


def entry_index(entry: KnowledgeEntry) -> None:
    """Segment the entry into its token columns and keep the FTS rows in step with whether it
    is published. Call inside the service's transaction."""
    entry.tokens_title_zh = index_text_zh(entry.title_zh)
    entry.tokens_body_zh = index_text_zh(entry.body_zh)
    entry.tokens_title_en = index_text_en(entry.title_en)
    entry.tokens_body_en = index_text_en(entry.body_en)
    KnowledgeEntry.objects.filter(pk=entry.pk).update(
        tokens_title_zh=entry.tokens_title_zh,
        tokens_body_zh=entry.tokens_body_zh,
        tokens_title_en=entry.tokens_title_en,
        tokens_body_en=entry.tokens_body_en,
    )
    if connection.vendor != "sqlite":
        return  # PostgreSQL's tsvector columns are generated from the row
    with connection.cursor() as cursor:
        for language, table in FTS_TABLES.items():
            cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [entry.pk])  # noqa: S608
            if entry.is_published:
                cursor.execute(
                    f"INSERT INTO {table} (rowid, title, body) VALUES (%s, %s, %s)",  # noqa: S608
                    [
                        entry.pk,
                        getattr(entry, f"tokens_title_{language}"),
                        getattr(entry, f"tokens_body_{language}"),
                    ],
                )


def _rank_sqlite(language: str, words: tuple[str, ...], extra: tuple[str, ...]) -> list:
    table = FTS_TABLES[language]
    # Typed words listed twice weigh twice a word that only a synonym added (as the catalogue).
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


def _rank_postgres(language: str, words: tuple[str, ...], extra: tuple[str, ...]) -> list:
    config, column = ("simple", "tsv_zh") if language == "zh" else ("english", "tsv_en")
    typed, added = _tsquery(words) or "'-'", _tsquery(extra) or "'-'"
    rank = "ts_rank('{0.1, 0.2, 0.4, 1.0}', %s, %s, 1)"
    score = f"2 * {rank % (column, 't')} + {rank % (column, 'a')}"
    sql = (
        f"SELECT id, {score} AS score FROM consult_knowledgeentry, "  # noqa: S608
        f"to_tsquery('{config}', %s) t, to_tsquery('{config}', %s) a "
        f"WHERE is_published AND {column} @@ (t || a) ORDER BY score DESC, id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [typed, added, MAX_CANDIDATES])
        return [(int(pk), float(score)) for pk, score in cursor.fetchall()]


@dataclass
class KnowledgeHit:
    entry: KnowledgeEntry
    score: float


@dataclass
class KnowledgeResult:
    query: str
    hits: list[KnowledgeHit] = field(default_factory=list)
    error: str | None = None


def serving_departments_q(region_code: str | None) -> Q:
    """Entries written by departments that serve ``region_code`` (its own and those above);
    another district's answer may not hold where the reader lives."""
    if not region_code:
        return Q()
    prefixes = [region_code[:n] for n in sorted(CODE_LENGTHS.values()) if n <= len(region_code)]
    return Q(department__region_id__in=prefixes)


def knowledge_search(
    *, query: str, region_code: str | None = None, item_id: int | None = None, limit: int = 20
) -> KnowledgeResult:
    """Published entries for ``query``, best first; entries about ``item_id`` first among
    equals. Never raises for bad input: ``error`` carries the message instead."""
    try:
        parsed = query_parse(query)
    except SearchQueryError as exc:
        return KnowledgeResult(query=query, error=exc.message)
    rank = _rank_postgres if connection.vendor == "postgresql" else _rank_sqlite
    ranked = dict(rank(parsed.language, parsed.words, parsed.expansions))
    entries = (
        KnowledgeEntry.objects.filter(serving_departments_q(region_code))
        .filter(pk__in=ranked, is_published=True)
        .select_related("department", "item__published_version", "implementation")
    )
    hits = [
        KnowledgeHit(
            entry=e,
            score=ranked[e.pk] + (SAME_ITEM_BONUS if item_id and e.item_id == item_id else 0.0),
        )
        for e in entries
    ]
    hits.sort(key=lambda h: (-h.score, -h.entry.pk))
    floor = hits[0].score * MIN_SHARE if hits else 0.0
    hits = [h for h in hits if h.score >= floor]
    return KnowledgeResult(query=parsed.text, hits=hits[:limit])


def knowledge_index_rebuild() -> int:
    """Re-segment every entry (after a change to the segmentation dictionary or synonyms'
    words); returns how many are published and so searchable."""
    count = 0
    for entry in KnowledgeEntry.objects.all().iterator():
        entry_index(entry)
        count += entry.is_published
    return count
