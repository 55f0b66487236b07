"""Typo-tolerant "did you mean" suggestions over published names.

Character n-grams in Python (bigrams for Chinese, whose words are two to four characters;
pg_trgm-style padded trigrams for English) rather than pg_trgm, so both databases behave
the same and no extension needs installing. The names are one short row per published item
or bundle, so reading them all is cheap.
"""

from __future__ import annotations

from yiwang.catalog.models import SearchDocument

# Share of the query's n-grams a name must contain. English trigrams of common syllables
# ("res", "ion") overlap by chance far more than Chinese bigrams, hence the higher bar.
MIN_SHARE = {"zh": 0.4, "en": 0.6}
MAX_SUGGESTIONS = 3


def _grams(text: str, chinese: bool) -> set[str]:
    if chinese:
        chars = "".join(text.split())
        return {chars[i : i + 2] for i in range(len(chars) - 1)} or {chars}
    grams: set[str] = set()
    for word in text.lower().split():
        padded = f"  {word} "
        grams |= {padded[i : i + 3] for i in range(len(padded) - 2)}
    return grams


def suggestions_for(text: str, language: str) -> list[str]:
    chinese = language == "zh"
    wanted = _grams(text, chinese)
    if not wanted:
        return []
    column = "suggest_zh" if chinese else "suggest_en"
    scored: list[tuple[float, float, str]] = []
    for name in set(SearchDocument.objects.values_list(column, flat=True)):
        grams = _grams(name, chinese)
        shared = len(wanted & grams)
        share = shared / len(wanted)
        if share >= MIN_SHARE[language] and name.lower() != text.lower():
            scored.append((share, shared / len(wanted | grams), name))
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    return [name for _share, _jaccard, name in scored[:MAX_SUGGESTIONS]]
