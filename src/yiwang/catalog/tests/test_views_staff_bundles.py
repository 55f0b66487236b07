import pytest
from django.test import Client
from django.urls import reverse

from yiwang.accounts.tests.factories import StaffFactory, staff_client_login
from yiwang.catalog.models import Bundle
from yiwang.catalog.search import catalog_search
from yiwang.catalog.tests.factories import published_item

pytestmark = pytest.mark.django_db
BUNDLE = {
    "code": "open-shop", "name_zh": "开小店", "name_en": "Opening a small shop",
    "description_zh": "开店一次办。", "description_en": "Open a shop in one go.",
    "keywords_zh": "开店", "persona": "legal", "item_codes": "SJ-0001\nSW-0002",
    "is_published": "on",
}  # fmt: skip


def login(roles, kind="government"):
    return staff_client_login(Client(), StaffFactory(roles=roles, department_kind=kind))


def test_a_coordinating_reviewer_creates_a_life_event_that_search_finds():
    published_item(code="SJ-0001", region_code="440106")
    published_item(code="SW-0002", kind="taxation", region_code="440106")
    client = login(["reviewer"])

    response = client.post(reverse("catalog:manage_bundle_new"), BUNDLE)

    assert response["Location"] == reverse("catalog:manage_bundle", args=["open-shop"])
    bundle = Bundle.objects.get(code="open-shop")
    assert [s.item.code for s in bundle.steps.order_by("position")] == ["SJ-0001", "SW-0002"]
    hits = catalog_search(query="开小店", language="zh", region_code="440106").hits
    assert hits[0].bundle == bundle


def test_unknown_item_codes_are_shown_and_nothing_saved():
    published_item(code="SJ-0001")
    client = login(["reviewer"])

    response = client.post(
        reverse("catalog:manage_bundle_new"), {**BUNDLE, "item_codes": "SJ-0001\nNOPE"},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip

    assert "These item codes are unknown or not published: NOPE." in response.content.decode()
    assert not Bundle.objects.exists()


def test_a_line_department_cannot_change_life_events():
    published_item(code="SJ-0001")
    published_item(code="SJ-0002")
    client = login(["reviewer"], kind="market_regulation")

    response = client.post(
        reverse("catalog:manage_bundle_new"), {**BUNDLE, "item_codes": "SJ-0001\nSJ-0002"}
    )

    assert response.status_code == 403
    assert not Bundle.objects.exists()
