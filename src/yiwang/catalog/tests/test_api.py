# ruff: noqa: E501  (tables of cases read best one per line)
import pytest

from yiwang.catalog.models import ServiceItem
from yiwang.catalog.services import bundle_save, item_retire
from yiwang.catalog.tests.factories import published_item

pytestmark = pytest.mark.django_db
BASE = "/api/v1/catalog"


@pytest.fixture
def food(db):
    item, impl = published_item(
        code="SJ-0003", name_zh="食品经营许可", name_en="Food business licence",
        keywords_zh="开饭店 餐饮", region_code="440106", impl={"fee_free": False, "fee_amount": "20.00"},
    )  # fmt: skip
    return item, impl


def test_search_returns_ranked_results_in_the_region(client, food):
    item, impl = food

    response = client.get(f"{BASE}/search", {"q": "我要开饭店", "region": "440106001"})

    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "我要开饭店"
    assert body["language"] == "zh"
    assert [
        (r["kind"], r["code"], r["implementation_id"], r["region_code"]) for r in body["results"]
    ] == [("item", "SJ-0003", impl.pk, "440106")]


def test_search_outside_the_region_finds_nothing(client, food):
    response = client.get(f"{BASE}/search", {"q": "食品经营许可", "region": "440305"})

    assert response.json()["results"] == []


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "Type what you want to do, for example 身份证丢了 or business licence."),
        (
            '"*()',
            "Your search has no words we can look for. Use words rather than symbols or operators.",
        ),
        ("x" * 500, "Keep your search to 100 characters or fewer."),
    ],
)
def test_bad_queries_get_a_clear_error(client, q, message):
    response = client.get(f"{BASE}/search", {"q": q}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 422
    assert response.json() == {"code": "invalid_query", "message": message, "details": None}


def test_bad_query_message_is_in_chinese_for_chinese_readers(client):
    response = client.get(f"{BASE}/search", {"q": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.json()["message"] == "请输入您想办的事，例如“身份证丢了”或“business licence”。"


def test_bad_filter_and_region_are_refused(client):
    assert client.get(f"{BASE}/search", {"q": "a", "channel": "fax"}).status_code == 422
    assert client.get(f"{BASE}/search", {"q": "a", "department_kind": "army"}).status_code == 422
    response = client.get(f"{BASE}/search", {"q": "证", "region": "44' OR 1=1"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_region"


def test_item_detail_lists_implementations(client, food):
    item, impl = food

    body = client.get(f"{BASE}/items/SJ-0003", {"region": "440106001"}).json()

    assert (body["code"], body["name_zh"], body["version"]) == ("SJ-0003", "食品经营许可", 1)
    assert [i["id"] for i in body["implementations"]] == [impl.pk]


def test_unknown_and_withdrawn_items_are_not_found(client, food):
    assert client.get(f"{BASE}/items/NOPE").status_code == 404
    item_retire(item=ServiceItem.objects.get(code="SJ-0003"), by=None)

    response = client.get(f"{BASE}/items/SJ-0003", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 410
    assert response.json() == {
        "code": "item_withdrawn",
        "message": "This service has been withdrawn and is no longer offered.",
        "details": None,
    }
    assert client.get(f"{BASE}/implementations/{food[1].pk}").status_code == 404


def test_implementation_detail_is_the_whole_guide(client, food):
    _item, impl = food

    body = client.get(f"{BASE}/implementations/{impl.pk}").json()

    assert body["item_code"] == "SJ-0003"
    assert (body["legal_limit_days"], body["promised_limit_days"], body["same_day"]) == (
        20,
        5,
        False,
    )
    assert (body["fee_free"], body["fee_amount"]) == (False, "20.00")
    assert body["channels"] == ["online", "mobile"]
    assert body["materials"][0]["reusable_certificate_type"] == "resident_id_card"
    assert body["form_schema"]["required"] == ["phone", "seats"]


def test_bundle_merges_materials(client, food):
    other, _impl = published_item(
        code="SJ-0001", name_zh="个体工商户设立登记", region_code="440106"
    )
    bundle_save(
        code="open-restaurant", name_zh="开办餐饮店", name_en="Opening a restaurant",
        persona="legal", item_codes=["SJ-0001", "SJ-0003"], by=None,
    )  # fmt: skip

    assert [b["code"] for b in client.get(f"{BASE}/bundles").json()] == ["open-restaurant"]
    body = client.get(f"{BASE}/bundles/open-restaurant", {"region": "440106"}).json()
    assert [s["item_code"] for s in body["steps"]] == ["SJ-0001", "SJ-0003"]
    assert [(m["name_zh"], m["needed_for"]) for m in body["materials"]] == [
        ("居民身份证", ["个体工商户设立登记", "食品经营许可"])
    ]
    assert client.get(f"{BASE}/bundles/nope").status_code == 404


def test_departments_and_figures(client, food):
    published_item(region_code="440106", impl={"trips": 1, "channels": ["appointment"]})

    departments = client.get(f"{BASE}/departments", {"region": "440106001"}).json()
    assert [d["region_code"] for d in departments] == ["440106"]
    figures = client.get(f"{BASE}/figures", {"region": "4401"}).json()
    assert figures == {
        "region_code": "4401", "implementations": 2, "fully_online": 1, "zero_trip": 1,
        "online_rate": 0.5, "zero_trip_rate": 0.5,
    }  # fmt: skip


def test_calendar_endpoints_around_national_day(client):
    assert client.get(f"{BASE}/calendar/is-working-day", {"date": "2026-10-10"}).json() == {
        "date": "2026-10-10", "is_working_day": True,
    }  # fmt: skip
    assert (
        client.get(f"{BASE}/calendar/is-working-day", {"date": "2026-10-01"}).json()[
            "is_working_day"
        ]
        is False
    )
    body = client.get(f"{BASE}/calendar/add-working-days", {"date": "2026-09-30", "days": 3}).json()
    assert body == {"date": "2026-09-30", "days": 3, "result": "2026-10-10"}
    # Spring Festival 2026: 15–23 February off, with make-up Saturdays 14 and 28 February.
    body = client.get(f"{BASE}/calendar/add-working-days", {"date": "2026-02-13", "days": 1}).json()
    assert body["result"] == "2026-02-14"


@pytest.mark.parametrize(
    "params",
    [{"date": "2026-02-30"}, {"date": "tomorrow"}, {}],
)
def test_calendar_bad_dates(client, params):
    response = client.get(f"{BASE}/calendar/is-working-day", params)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_calendar_days_out_of_range(client):
    response = client.get(
        f"{BASE}/calendar/add-working-days", {"date": "2026-01-05", "days": 99999},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip

    assert response.status_code == 422
    assert response.json()["message"] == "days must be between -3650 and 3650."
