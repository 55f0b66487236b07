from __future__ import annotations

import pytest
from django.test import Client

from yiwang.regions.tests.factories import region_chain

pytestmark = pytest.mark.django_db

CHAIN = ["44", "4401", "440106", "440106001", "440106001001"]


@pytest.fixture
def tree() -> None:
    chain = region_chain(CHAIN, names=["广东省", "广州市", "天河区", "五山街道", "华工社区居委会"])
    chain[0].name_en = "Guangdong"
    chain[0].save()
    region_chain(["45"], names=["广西壮族自治区"])


def test_list_without_parent_gives_provinces_anonymously(client: Client, tree: None) -> None:
    response = client.get("/api/v1/regions")

    assert response.status_code == 200
    assert response.json() == [
        {
            "code": "44",
            "name": "广东省",
            "name_zh": "广东省",
            "name_en": "Guangdong",
            "level": 1,
            "parent": None,
            "has_children": True,
        },
        {
            "code": "45",
            "name": "广西壮族自治区",
            "name_zh": "广西壮族自治区",
            "name_en": "",
            "level": 1,
            "parent": None,
            "has_children": False,
        },
    ]


def test_list_in_english_uses_known_english_names_else_chinese(client: Client, tree: None) -> None:
    response = client.get("/api/v1/regions", HTTP_ACCEPT_LANGUAGE="en")

    assert [r["name"] for r in response.json()] == ["Guangdong", "广西壮族自治区"]


def test_list_children_of_a_parent(client: Client, tree: None) -> None:
    response = client.get("/api/v1/regions", {"parent": "4401"})

    assert response.status_code == 200
    assert [(r["code"], r["name"], r["parent"]) for r in response.json()] == [
        ("440106", "天河区", "4401")
    ]


def test_list_of_unknown_parent_is_404_in_the_standard_shape(client: Client, tree: None) -> None:
    response = client.get("/api/v1/regions", {"parent": "4402"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "Not found, or you may not see it.",
        "details": None,
    }


def test_list_with_malformed_parent_is_422(client: Client, tree: None) -> None:
    response = client.get("/api/v1/regions", {"parent": "44x"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 422
    assert response.json() == {
        "code": "region_code_not_digits",
        "message": "Some of the information you sent is not valid.",
        "details": {
            "code": [
                {
                    "code": "region_code_not_digits",
                    "message": "A division code contains only the digits 0–9.",
                }
            ]
        },
    }


def test_errors_are_translated_to_chinese(client: Client, tree: None) -> None:
    response = client.get("/api/v1/regions/441", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 422
    assert response.json()["details"] == {
        "code": [
            {"code": "region_code_length", "message": "区划代码应为 2、4、6、9 或 12 位数字。"}
        ]
    }


def test_detail(client: Client, tree: None) -> None:
    response = client.get("/api/v1/regions/440106")

    assert response.status_code == 200
    assert response.json() == {
        "code": "440106",
        "name": "天河区",
        "name_zh": "天河区",
        "name_en": "",
        "level": 3,
        "parent": "4401",
        "has_children": True,
    }


def test_detail_unknown_is_404(client: Client, tree: None) -> None:
    response = client.get("/api/v1/regions/440107")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_path_from_province_to_village(client: Client, tree: None) -> None:
    response = client.get("/api/v1/regions/440106001001/path", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert [(r["code"], r["name"]) for r in response.json()] == [
        ("44", "Guangdong"),
        ("4401", "广州市"),
        ("440106", "天河区"),
        ("440106001", "五山街道"),
        ("440106001001", "华工社区居委会"),
    ]


def test_path_of_unknown_region_is_404(client: Client, tree: None) -> None:
    response = client.get("/api/v1/regions/440106001002/path")

    assert response.status_code == 404
