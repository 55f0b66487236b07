"""Parsing what a person typed into search words, refusing what cannot be searched with a
clear message (never an error page)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from yiwang.catalog.models import SearchSynonym
from yiwang.catalog.search.text import (
    NON_WORD,
    has_chinese,
    query_words_en,
    query_words_zh,
    words_en,
)

MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS = 40
MSG_QUERY_EMPTY = _("Type what you want to do, for example 身份证丢了 or business licence.")
MSG_QUERY_TOO_LONG = _("Keep your search to %(limit)s characters or fewer.")
MSG_QUERY_NO_WORDS = _(
    "Your search has no words we can look for. Use words rather than symbols or operators."
)


class SearchQueryError(Exception):
    """A query that cannot be searched; ``message`` says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the cleaned query, for display and suggestions
    language: str  # "zh" or "en": which columns to search
    words: tuple[str, ...]  # words typed
    expansions: tuple[str, ...] = field(default=())  # words added by synonyms

    @property
    def all_words(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.words + self.expansions))


def _expansions(language: str, text: str) -> list[str]:
    haystack = text if language == "zh" else f" {' '.join(words_en(text))} "
    found: list[str] = []
    for term, expansions in SearchSynonym.objects.filter(language=language).values_list(
        "term", "expansions"
    ):
        needle = term if language == "zh" else f" {term.lower()} "
        if needle in haystack:
            found.append(expansions)
    return found


def query_parse(raw: str) -> ParsedQuery:
    """Clean ``raw``, choose Chinese or English by its script, and add synonyms."""
    text = " ".join((raw or "").split())
    if not text:
        raise SearchQueryError(str(MSG_QUERY_EMPTY))
    if len(text) > MAX_QUERY_CHARS:
        raise SearchQueryError(str(MSG_QUERY_TOO_LONG % {"limit": MAX_QUERY_CHARS}))
    cleaned = " ".join(NON_WORD.sub(" ", text).split())
    if not cleaned:
        raise SearchQueryError(str(MSG_QUERY_NO_WORDS))
    language = "zh" if has_chinese(cleaned) else "en"
    split = query_words_zh if language == "zh" else query_words_en
    words = split(cleaned)
    extra = [w for phrase in _expansions(language, cleaned) for w in split(phrase)]
    if not words and not extra:
        raise SearchQueryError(str(MSG_QUERY_NO_WORDS))
    return ParsedQuery(
        text=cleaned,
        language=language,
        words=tuple(words[:MAX_QUERY_WORDS]),
        expansions=tuple(w for w in dict.fromkeys(extra) if w not in words)[:MAX_QUERY_WORDS],
    )
