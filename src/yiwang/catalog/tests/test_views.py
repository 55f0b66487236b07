# ruff: noqa: E501  (tables of cases read best one per line)
import pytest
from django.urls import reverse

from yiwang.catalog.services import bundle_save
from yiwang.catalog.tests.factories import published_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def food(db):
    return published_item(
        code="SJ-0003", name_zh="食品经营许可", name_en="Food business licence",
        keywords_zh="开饭店 餐饮", keywords_en="restaurant", region_code="440106",
        impl={"fee_free": False, "fee_amount": "20.00", "promised_limit_days": 0},
    )  # fmt: skip


def test_search_page_shows_results_in_chinese(client, food):
    response = client.get(reverse("catalog:index"), {"q": "我要开饭店", "region": "440106001"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "食品经营许可" in html
    assert reverse("catalog:guide", args=[food[1].pk]) in html


def test_search_page_in_english(client, food):
    response = client.get(reverse("catalog:index"), {"q": "restaurant"}, HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert "Food business licence" in html
    assert "1 result" in html


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "Type what you want to do, for example 身份证丢了 or business licence."),
        ('"AND*(', "Your search has no words we can look for."),
        ("长" * 500, "Keep your search to 100 characters or fewer."),
    ],
)
def test_bad_queries_show_a_message_not_an_error_page(client, q, message):
    response = client.get(reverse("catalog:index"), {"q": q}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "yw-error-summary" in response.content.decode()


def test_guide_page_has_everything_and_disabled_actions(client, food):
    _item, impl = food

    response = client.get(reverse("catalog:guide", args=[impl.pk]), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Food business licence", "Done the same day", "Fee: ¥20.00", "Identity card",
                 "Aged 18 or over.", "Apply online", "No need to bring it if you hold the e-certificate"):  # fmt: skip
        assert text in html, text
    # Apply is disabled until the htmx fragment swaps it; booking goes to the halls, asking to
    # the consultation pages.
    assert (
        '<a class="yw-button yw-button--secondary" href="#nearest-halls">Book an appointment</a>'
        in html
    )
    assert html.count('disabled aria-describedby="actions-note"') == 2  # and the form preview
    assert 'href="/consult/ask/?item=SJ-0003">Ask a question</a>' in html
    assert 'hx-get="/halls/nearest?implementation=' in html
    assert "What the online form asks" in html and "Seats" in html
    assert client.session["catalog_recent"] == ["SJ-0003"]


def test_guide_page_in_chinese(client, food):
    response = client.get(
        reverse("catalog:guide", args=[food[1].pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    html = response.content.decode()
    assert "当天办结" in html
    assert "居民身份证" in html


def test_unknown_item_and_guide_are_404(client, food):
    assert client.get(reverse("catalog:item", args=["NOPE"])).status_code == 404
    assert client.get(reverse("catalog:guide", args=[999999])).status_code == 404
    assert client.get(reverse("catalog:bundle", args=["nope"])).status_code == 404


def test_browse_and_item_and_bundle_pages(client, food):
    published_item(code="SJ-0001", name_zh="个体工商户设立登记", region_code="440106")
    bundle_save(
        code="open-restaurant", name_zh="开办餐饮店", name_en="Opening a restaurant",
        persona="legal", item_codes=["SJ-0001", "SJ-0003"], by=None,
    )  # fmt: skip

    browse = client.get(reverse("catalog:browse"), {"department": "market_regulation"})
    assert "食品经营许可" in browse.content.decode()
    item = client.get(reverse("catalog:item", args=["SJ-0003"]))
    assert reverse("catalog:guide", args=[food[1].pk]) in item.content.decode()
    bundle = client.get(reverse("catalog:bundle", args=["open-restaurant"]), {"region": "440106"})
    html = bundle.content.decode()
    assert html.count("居民身份证") == 1  # merged: listed once for both services
    assert "个体工商户设立登记, 食品经营许可" in html
    assert "开办餐饮店" in client.get(reverse("catalog:bundles")).content.decode()
    guide = client.get(reverse("catalog:guide", args=[food[1].pk])).content.decode()
    assert reverse("catalog:bundle", args=["open-restaurant"]) in guide


def test_viewed_guides_become_popular_and_recent(client, food):
    other, other_impl = published_item(code="SJ-0009", name_zh="冷门事项", region_code="440106")
    for _ in range(2):
        client.get(reverse("catalog:guide", args=[food[1].pk]))
    client.get(reverse("catalog:guide", args=[other_impl.pk]))

    html = client.get(reverse("catalog:index"), {"region": "440106"}).content.decode()

    popular = html.split("热门服务")[1].split("</ul>")[0]
    assert popular.index("食品经营许可") < popular.index("冷门事项")
    recent = html.split("最近浏览")[1].split("</ul>")[0]
    assert recent.index("冷门事项") < recent.index("食品经营许可")


def test_a_withdrawn_item_says_so(client, food):
    from yiwang.catalog.models import ServiceItem
    from yiwang.catalog.services import item_retire

    item_retire(item=ServiceItem.objects.get(code="SJ-0003"), by=None)

    response = client.get(reverse("catalog:item", args=["SJ-0003"]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 410
    assert "The service with code SJ-0003 is no longer offered." in response.content.decode()


def test_search_results_offer_a_region_choice_that_scopes_them(client, food):
    # The implementation is in 天河区 (440106): a reader elsewhere in Guangdong does not see it.
    elsewhere = client.get(reverse("catalog:index"), {"q": "我要开饭店", "region": "440304"})
    here = client.get(reverse("catalog:index"), {"q": "我要开饭店", "region": "440106001"})

    assert "食品经营许可" not in elsewhere.content.decode()
    html = here.content.decode()
    assert "食品经营许可" in html
    assert "办理地点" in html  # the picker's legend
    assert 'name="region" value="440106001"' in html
