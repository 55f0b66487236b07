"""Catalogue search behind one function, ``catalog_search``, so the backend can change.

Pipeline: ``query_parse`` (clean, pick Chinese or English, add synonyms) → ``documents_rank``
(BM25 on SQLite FTS5, length-normalised ts_rank on PostgreSQL) → keep what the user's region
implements and what the filters allow → typo suggestions when little is found.

Region scoping: an implementation in region R serves everyone whose region code starts with
R's code. A citizen in 440106001 (a 街道 of 天河区) is therefore served by implementations at
44 (province), 4401 (广州市), 440106 (天河区) and 440106001 itself; the guide shown is the
most local one. Without a region, every published implementation counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from yiwang.catalog.models import (
    Bundle,
    Implementation,
    SearchDocument,
    SearchDocumentKind,
    ServiceItem,
)
from yiwang.catalog.search.backends import documents_rank
from yiwang.catalog.search.query import ParsedQuery, SearchQueryError, query_parse
from yiwang.catalog.search.suggest import suggestions_for
from yiwang.regions.models import CODE_LENGTHS

__all__ = ["SearchFilters", "SearchHit", "SearchQueryError", "SearchResult", "catalog_search"]

SUGGEST_BELOW = 3  # names of this many top hits are not suggested again
MAX_HITS = 50


@dataclass(frozen=True)
class SearchFilters:
    department_kind: str | None = None
    channel: str | None = None
    zero_trip: bool = False
    persona: str | None = None

    @property
    def item_only(self) -> bool:
        """Filters that describe implementations leave bundles out."""
        return bool(self.department_kind or self.channel or self.zero_trip)


@dataclass
class SearchHit:
    kind: str
    score: float
    item: ServiceItem | None = None
    implementation: Implementation | None = None  # the most local one for the region
    bundle: Bundle | None = None


@dataclass
class SearchResult:
    query: str
    language: str
    hits: list[SearchHit] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    error: str | None = None  # a message to show instead of results

    @property
    def ok(self) -> bool:
        return self.error is None


def region_prefixes(region_code: str) -> list[str]:
    """The codes of ``region_code`` and every region above it (those that serve it)."""
    return [region_code[:n] for n in sorted(CODE_LENGTHS.values()) if n <= len(region_code)]


def implementations_serving(region_code: str | None, filters: SearchFilters | None = None) -> Q:
    """Q over Implementation: published, serving ``region_code``, matching the filters."""
    q = Q(published_version__isnull=False, item__published_version__isnull=False)
    if region_code:
        q &= Q(region_id__in=region_prefixes(region_code))
    if filters is not None:
        if filters.department_kind:
            q &= Q(department__kind=filters.department_kind)
        if filters.channel:
            # Channels are a JSON list of short codes, none a substring of another.
            q &= Q(published_version__channels__icontains=f'"{filters.channel}"')
        if filters.zero_trip:
            q &= Q(published_version__trips=0)
        if filters.persona:
            q &= Q(item__persona__in=[filters.persona, "both"])
    return q


def _item_hits(
    ranked: dict[int, float], region_code: str | None, filters: SearchFilters
) -> list[SearchHit]:
    docs = dict(
        SearchDocument.objects.filter(pk__in=ranked, kind=SearchDocumentKind.ITEM).values_list(
            "item_id", "pk"
        )
    )
    impls = (
        Implementation.objects.filter(implementations_serving(region_code, filters))
        .filter(item_id__in=docs)
        .select_related("item__published_version", "region", "department", "published_version")
    )
    best: dict[int, Implementation] = {}
    for impl in impls:
        current = best.get(impl.item_id)
        if current is None or len(impl.region_id) > len(current.region_id):
            best[impl.item_id] = impl
    return [
        SearchHit(
            kind="item",
            score=ranked[docs[item_id]],
            item=impl.item,
            implementation=impl if region_code else None,
        )
        for item_id, impl in best.items()
    ]


def _bundle_hits(
    ranked: dict[int, float], region_code: str | None, filters: SearchFilters
) -> list[SearchHit]:
    if filters.item_only:
        return []
    docs = SearchDocument.objects.filter(pk__in=ranked, kind=SearchDocumentKind.BUNDLE)
    bundles = Bundle.objects.filter(is_published=True, pk__in=docs.values("bundle_id"))
    if filters.persona:
        bundles = bundles.filter(persona__in=[filters.persona, "both"])
    if region_code:
        served = Implementation.objects.filter(implementations_serving(region_code))
        bundles = bundles.filter(steps__item__implementations__in=served).distinct()
    score_by_bundle = dict(docs.values_list("bundle_id", "pk"))
    return [
        SearchHit(kind="bundle", score=ranked[score_by_bundle[b.pk]], bundle=b) for b in bundles
    ]


def catalog_search(
    *,
    query: str,
    language: str,
    region_code: str | None = None,
    filters: SearchFilters | None = None,
) -> SearchResult:
    """Search the published catalogue. ``language`` is the reader's language; the query's
    own script decides which names are searched (``SearchResult.language``: "zh" or "en"),
    and pages show each hit's name in the reader's language. Never raises for bad input:
    ``SearchResult.error`` carries the message instead."""
    filters = filters or SearchFilters()
    try:
        parsed: ParsedQuery = query_parse(query)
    except SearchQueryError as exc:
        return SearchResult(query=query, language=language, error=exc.message)
    ranked = dict(documents_rank(parsed.language, parsed.words, parsed.expansions))
    _exact_name_first(ranked, parsed, query)
    hits = _item_hits(ranked, region_code, filters) + _bundle_hits(ranked, region_code, filters)
    hits.sort(key=lambda h: (-h.score, h.kind, h.item.code if h.item else h.bundle.code))  # type: ignore[union-attr]
    result = SearchResult(query=parsed.text, language=parsed.language, hits=hits[:MAX_HITS])
    # Suggest names close to what was typed (a typo such as 居民身分证), leaving out those
    # already shown at the top.
    shown = {_hit_name(h, parsed.language) for h in result.hits[:SUGGEST_BELOW]}
    result.suggestions = [
        s for s in suggestions_for(parsed.text, parsed.language) if s not in shown
    ]
    return result


EXACT_NAME_BONUS = 1000.0


def _exact_name_first(ranked: dict[int, float], parsed: ParsedQuery, raw: str) -> None:
    """Someone who types a service's exact name wants that service, whatever the word
    statistics say (stemming makes "individual business registration" match its
    change-of-registration sibling as well)."""
    column = "suggest_zh" if parsed.language == "zh" else "suggest_en"
    names = Q(**{f"{column}__iexact": parsed.text}) | Q(**{f"{column}__iexact": raw.strip()})
    exact = SearchDocument.objects.filter(names, pk__in=ranked)
    for pk in exact.values_list("pk", flat=True):
        ranked[pk] += EXACT_NAME_BONUS


def _hit_name(hit: SearchHit, language: str) -> str:
    if hit.bundle is not None:
        return hit.bundle.name_zh if language == "zh" else hit.bundle.name_en
    version = hit.item.published_version  # type: ignore[union-attr]
    return version.name_zh if language == "zh" else version.name_en  # type: ignore[union-attr]
