# ruff: noqa: E501  (tables of cases read best one per line)
"""Search: the ranking table over the demo catalogue, bad input, region scoping, filters."""

import pytest

from yiwang.catalog.demo.load import catalog_demo_load
from yiwang.catalog.search import SearchFilters, catalog_search
from yiwang.catalog.search.query import MSG_QUERY_EMPTY, MSG_QUERY_NO_WORDS
from yiwang.catalog.tests.factories import published_item

pytestmark = pytest.mark.django_db

# Everyday phrase → what must come first (an item code, or "bundle:<code>").
RANKING = [
    ("我要开饭店", {"SJ-0003"}),
    ("身份证丢了怎么办", {"GA-0003"}),
    ("生孩子要办什么", {"bundle:newborn", "WJ-0001"}),
    ("营业执照", {"SJ-0001"}),
    ("business license", {"SJ-0001"}),
    ("business licence", {"SJ-0001"}),
    ("身份证过期了", {"GA-0002"}),
    ("第一次办身份证", {"GA-0001"}),
    ("迁户口", {"GA-0005"}),
    ("暂住证", {"GA-0006"}),
    ("宝宝上户口", {"GA-0007"}),
    ("无犯罪证明", {"GA-0008"}),
    ("驾照到期", {"GA-0009"}),
    ("结婚", {"MZ-0001"}),
    ("离婚", {"MZ-0002"}),
    ("社保证明", {"RS-0001"}),
    ("失业了", {"RS-0002"}),
    ("我要退休", {"RS-0003", "bundle:retirement"}),
    ("医保转移", {"YB-0004", "YB-0001"} - {"YB-0004"}),
    ("开公司", {"SJ-0002"}),
    ("出生证明", {"WJ-0001"}),
    ("卫生许可", {"WJ-0002"}),
    ("健康证", {"WJ-0003"}),
    ("道路运输经营许可", {"JT-0001"}),
    ("施工许可证", {"ZJ-0001"}),
    ("lost id card", {"GA-0003"}),
    ("marriage registration", {"MZ-0001"}),
    ("food business licence", {"SJ-0003"}),
    ("passport", {"GA-0010"}),
    ("construction permit", {"ZJ-0001"}),
]


def first(result):
    hit = result.hits[0]
    return f"bundle:{hit.bundle.code}" if hit.bundle else hit.item.code


@pytest.fixture
def demo():
    catalog_demo_load()


def test_ranking_table(demo):
    wrong = {}
    for query, expected in RANKING:
        result = catalog_search(query=query, language="zh-hans", region_code="440106001")
        if not result.hits or first(result) not in expected:
            wrong[query] = first(result) if result.hits else None

    assert wrong == {}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", MSG_QUERY_EMPTY),
        ("   ", MSG_QUERY_EMPTY),
        ('" * ( ) : ^', MSG_QUERY_NO_WORDS),
        ("the and or", MSG_QUERY_NO_WORDS),
    ],
)
def test_queries_that_cannot_be_searched_get_a_message(query, message):
    result = catalog_search(query=query, language="en")

    assert (result.ok, result.error, result.hits) == (False, str(message), [])


def test_a_500_character_query_gets_a_message():
    result = catalog_search(query="身" * 500, language="en")

    assert result.error == "Keep your search to 100 characters or fewer."


@pytest.mark.parametrize(
    "query",
    [
        '营业执照"',
        "营业执照*",
        "营业执照 AND 食品",
        "(营业执照",
        "营业执照 OR NOT NEAR(",
        "'; DROP TABLE x; --",
    ],
)
def test_fts_and_sql_syntax_is_searched_as_plain_words(query):
    published_item(code="SJ-0001", name_zh="个体工商户设立登记", keywords_zh="营业执照")
    result = catalog_search(query=query, language="zh-hans")

    assert result.ok
    if "营业执照" in query:
        assert first(result) == "SJ-0001"


def test_results_are_scoped_to_what_the_region_implements():
    published_item(code="T-TH", name_zh="天河区特色事项", region_code="440106")
    published_item(code="T-GZ", name_zh="广州市特色事项", region_code="4401")
    published_item(code="T-NS", name_zh="南山区特色事项", region_code="440305")

    def codes(region):
        hits = catalog_search(query="特色事项", language="zh-hans", region_code=region).hits
        return sorted(h.item.code for h in hits)

    assert codes("440106001") == ["T-GZ", "T-TH"]
    assert codes("440305") == ["T-NS"]
    # Someone known only down to 深圳市 is served by the city and above, not by one district.
    assert codes("4403") == []
    assert codes(None) == ["T-GZ", "T-NS", "T-TH"]


def test_the_most_local_implementation_is_the_one_shown():
    item, district = published_item(code="T-1", name_zh="特色事项", region_code="440106")
    from yiwang.catalog.services import implementation_version_publish
    from yiwang.catalog.tests.factories import draft_implementation

    city = draft_implementation(item, region_code="4401")
    implementation_version_publish(version=city, by=None, skip_review=True)

    hit = catalog_search(query="特色事项", language="zh", region_code="440106001").hits[0]
    assert hit.implementation == district
    hit = catalog_search(query="特色事项", language="zh", region_code="440104").hits[0]
    assert hit.implementation.pk == city.implementation_id


def test_filters_by_channel_trips_and_department(demo):
    def codes(query, filters):
        result = catalog_search(query=query, language="zh", region_code="440106", filters=filters)
        return {h.item.code if h.item else h.bundle.code for h in result.hits}

    assert {"GA-0001", "GA-0002", "GA-0003"} <= codes("身份证", SearchFilters())
    by_post = codes("身份证", SearchFilters(channel="post"))
    assert "GA-0003" in by_post and "GA-0004" not in by_post
    civil = codes("身份证", SearchFilters(department_kind="civil_affairs"))
    assert civil and all(code.startswith("MZ-") for code in civil)
    everything = codes("证明", SearchFilters())
    assert {"WJ-0001", "WJ-0003", "GA-0008"} <= everything
    zero_trip = codes("证明", SearchFilters(zero_trip=True))
    assert {"WJ-0001", "GA-0008"} <= zero_trip and "WJ-0003" not in zero_trip
    assert codes("证明", SearchFilters(department_kind="health")) <= {
        "WJ-0001",
        "WJ-0003",
        "WJ-0005",
    }


def test_typo_gets_a_suggestion(demo):
    result = catalog_search(query="居民身分证补领", language="zh", region_code="440106")

    assert "居民身份证补领" in result.suggestions or first(result) == "GA-0003"
    result = catalog_search(query="pasport", language="en")
    assert result.suggestions == ["Issue of an ordinary passport"]


def test_withdrawn_items_are_not_found(demo):
    from yiwang.catalog.models import ServiceItem
    from yiwang.catalog.services import item_retire

    item_retire(item=ServiceItem.objects.get(code="GA-0010"), by=None)

    result = catalog_search(query="passport", language="en")
    assert [h.item.code for h in result.hits if h.item] == []


def test_reindex_command_rebuilds_the_same_ranking(demo):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("catalog_reindex", stdout=out)

    assert out.getvalue().strip() == "catalogue search: 47 documents indexed"
    assert first(catalog_search(query="营业执照", language="zh")) == "SJ-0001"
