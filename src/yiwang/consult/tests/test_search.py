import pytest

from yiwang.catalog.search.query import MSG_QUERY_EMPTY, MSG_QUERY_NO_WORDS
from yiwang.catalog.tests.factories import published_item
from yiwang.consult import services
from yiwang.consult.search import knowledge_search
from yiwang.consult.tests.factories import clerk

pytestmark = pytest.mark.django_db

FAQS = [
    ("食品经营许可证办理需要哪些材料？", "需要营业执照、场所平面图和健康证明。", "food"),
    ("个体工商户设立登记可以网上办吗？", "可以，在一网通办网上申请，无需跑腿。", "shop"),
    ("社会保险参保证明在哪里打印？", "登录一网通办，在社会保险参保证明打印事项中下载。", "social"),
    ("居民身份证丢失后如何补领？", "携带户口簿到派出所办理补领。", "id"),
]


@pytest.fixture
def kb():
    _item, impl = published_item(region_code="440106")
    staff = clerk("440106")
    entries = {}
    for title, body, key in FAQS:
        entries[key] = services.faq_save(
            by=staff, implementation=impl, title_zh=title, body_zh=body, publish=True,
            title_en=f"English {key} question", body_en=f"An answer about {key}.",
        )  # fmt: skip
    return entries


def _top(query: str, **kw) -> list[int]:
    return [h.entry.pk for h in knowledge_search(query=query, **kw).hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("食品经营许可要什么材料", "food"),
        ("个体户网上登记", "shop"),
        ("社保证明打印", "social"),  # 社保 ~ 社会保险 (the catalogue's synonym table)
        ("身份证丢了", "id"),  # 身份证 ~ 居民身份证
        ("开饭店", "food"),  # an everyday phrase for 食品经营许可
    ],
)
def test_chinese_phrases_find_the_right_entry_first(kb, query, expected):
    assert _top(query)[0] == kb[expected].pk


def test_english_queries_search_the_english_wording(kb):
    assert _top("food question")[0] == kb["food"].pk


def test_unpublished_entries_are_not_found(kb):
    services.entry_set_published(entry=kb["food"], by=clerk("440106"), published=False)
    assert kb["food"].pk not in _top("食品经营许可")


def test_entries_of_another_district_are_not_shown_to_a_reader_elsewhere(kb):
    assert _top("食品经营许可", region_code="440106006002")
    assert _top("食品经营许可", region_code="440104001001") == []


@pytest.mark.parametrize(
    ("query", "message"), [("   ", MSG_QUERY_EMPTY), ("*** ((", MSG_QUERY_NO_WORDS)]
)
def test_queries_that_cannot_be_searched_get_the_catalogues_message(kb, query, message):
    result = knowledge_search(query=query)
    assert result.error == str(message)
    assert result.hits == []


@pytest.mark.parametrize("query", ['"食品" OR 1=1 --', "title:食品*", "食品' ; DROP TABLE x"])
def test_search_syntax_is_searched_as_plain_words(kb, query):
    assert knowledge_search(query=query).error is None


def test_the_reindex_command_rebuilds_the_same_ranking(kb):
    from io import StringIO

    from django.core.management import call_command

    before = _top("食品经营许可要什么材料")
    out = StringIO()
    call_command("consult_reindex", stdout=out)
    assert "4 published entries indexed" in out.getvalue()
    assert _top("食品经营许可要什么材料") == before
