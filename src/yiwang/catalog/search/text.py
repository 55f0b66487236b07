"""Turning text into search words: rjieba for Chinese, plain words for English.

Documents and queries go through the same functions, so the words always line up.
``cut_for_search`` also emits the shorter words inside long ones (居民身份证 → 居民, 身份,
身份证, 居民身份证), which lets an everyday short word find a long official name.
"""

from __future__ import annotations

import re

import rjieba

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Anything that is not a letter, digit or CJK character separates words; this also strips
# every FTS5 / tsquery operator character (" * ( ) : ^ + - ' & | ! < >).
NON_WORD = re.compile(r"[^\w\u3400-\u9fff]+|_+")
EN_WORD = re.compile(r"[a-z0-9]+")

# Words that carry no meaning in a question ("我要…", "…怎么办").
ZH_STOPWORDS = frozenset(
    "我 我要 要 想 我想 想要 怎么 怎么办 如何 怎样 办 要办 办理 什么 哪里 在哪 在哪里 去哪 "
    "的 了 吗 呢 需要 需 去 可以 能 能否 一下 请问 手续 流程 "
    "啥 哪些 有 是 和 与 及 或 在 给 帮 应该".split()
)
EN_STOPWORDS = frozenset(
    "a an the i want to how do does can my me for of and or not near in on at get "
    "apply what need is it with by from please where which who".split()
)


def has_chinese(text: str) -> bool:
    return bool(CJK.search(text))


def words_zh(text: str) -> list[str]:
    """Chinese (and any embedded Latin) words of ``text``, in order, lower-cased."""
    words: list[str] = []
    for chunk in NON_WORD.split(text.lower()):
        if chunk:
            words.extend(w for w in rjieba.cut_for_search(chunk) if w.strip())
    return words


def words_en(text: str) -> list[str]:
    return EN_WORD.findall(text.lower())


def index_text_zh(*parts: str) -> str:
    """Space-joined words for a Chinese document column."""
    return " ".join(w for part in parts for w in words_zh(part))


def index_text_en(*parts: str) -> str:
    return " ".join(w for part in parts for w in words_en(part))


def query_words_zh(text: str) -> list[str]:
    """Meaningful words of a Chinese query: stopwords dropped, and single characters dropped
    when longer words exist (a lone 开 or 证 would match half the catalogue)."""
    words = [w for w in dict.fromkeys(words_zh(text)) if w not in ZH_STOPWORDS]
    longer = [w for w in words if len(w) > 1]
    return longer or words


def query_words_en(text: str) -> list[str]:
    return [w for w in dict.fromkeys(words_en(text)) if w not in EN_STOPWORDS]
