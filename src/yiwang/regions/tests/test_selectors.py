from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from yiwang.regions import selectors
from yiwang.regions.codes import MSG_CODE_LENGTH, MSG_CODE_NOT_DIGITS
from yiwang.regions.tests.factories import RegionFactory, region_chain

pytestmark = pytest.mark.django_db

CHAIN = ["44", "4401", "440106", "440106001", "440106001001"]


def test_region_get_returns_the_region_with_has_children() -> None:
    region_chain(CHAIN)

    county = selectors.region_get(code="440106")
    village = selectors.region_get(code="440106001001")

    assert (county.name, county.level, county.parent_id, county.has_children) == (
        "测试区划440106",
        3,
        "4401",
        True,
    )
    assert village.has_children is False


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("44a1", MSG_CODE_NOT_DIGITS),
        ("", MSG_CODE_NOT_DIGITS),
        ("٤٤", MSG_CODE_NOT_DIGITS),
        ("441", MSG_CODE_LENGTH),
        ("4401060010011", MSG_CODE_LENGTH),
    ],
)
def test_region_get_rejects_malformed_codes(code: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        selectors.region_get(code=code)

    assert exc.value.message_dict == {"code": [str(message)]}


def test_region_get_unknown_code_is_404() -> None:
    region_chain(CHAIN[:2])

    with pytest.raises(Http404):
        selectors.region_get(code="4402")


def test_region_children_of_root_are_the_provinces_in_code_order() -> None:
    region_chain(["45"])
    region_chain(["44", "4401"])

    assert [r.code for r in selectors.region_children(code="")] == ["44", "45"]
    assert [r.code for r in selectors.region_children()] == ["44", "45"]


def test_region_children_lists_direct_children_only() -> None:
    region_chain(CHAIN)
    region_chain(["44", "4403"])

    assert [r.code for r in selectors.region_children(code="44")] == ["4401", "4403"]
    assert [r.code for r in selectors.region_children(code="440106001001")] == []


def test_region_children_of_unknown_or_bad_code() -> None:
    with pytest.raises(Http404):
        selectors.region_children(code="99")
    with pytest.raises(ValidationError):
        selectors.region_children(code="9x")


def test_region_path_runs_from_province_to_node() -> None:
    region_chain(CHAIN)

    assert [r.code for r in selectors.region_path(code="440106001001")] == CHAIN
    assert [r.code for r in selectors.region_path(code="44")] == ["44"]


def test_region_path_with_a_missing_ancestor_or_node_is_404() -> None:
    region_chain(CHAIN[:3])

    with pytest.raises(Http404):
        selectors.region_path(code="440106001")
    with pytest.raises(Http404):
        selectors.region_path(code="4402")


def test_region_subtree_includes_the_node_and_everything_below() -> None:
    region_chain(CHAIN)
    region_chain(["44", "4403", "440304"])
    region_chain(["45", "4501"])

    assert [r.code for r in selectors.region_subtree(code="4401")] == CHAIN[1:]
    assert selectors.region_subtree(code="44").count() == 7
    with pytest.raises(Http404):
        selectors.region_subtree(code="4402")


def test_region_is_within() -> None:
    assert selectors.region_is_within(code="440106001001", ancestor_code="4401") is True
    assert selectors.region_is_within(code="4401", ancestor_code="4401") is True
    assert selectors.region_is_within(code="4401", ancestor_code="440106") is False
    assert selectors.region_is_within(code="4501", ancestor_code="44") is False


def test_region_is_within_names_the_bad_argument() -> None:
    with pytest.raises(ValidationError) as exc:
        selectors.region_is_within(code="4401", ancestor_code="4-")

    assert exc.value.message_dict == {"ancestor_code": [str(MSG_CODE_NOT_DIGITS)]}


def test_region_factory_builds_consistent_children() -> None:
    province = RegionFactory()
    city = RegionFactory(parent=province)
    county = RegionFactory(parent=city)
    township = RegionFactory(parent=county)
    village = RegionFactory(parent=township)

    assert [len(r.code) for r in (province, city, county, township, village)] == [2, 4, 6, 9, 12]
    assert [r.level for r in (province, city, county, township, village)] == [1, 2, 3, 4, 5]
    assert village.code.startswith(township.code) and township.code.startswith(county.code)


def test_region_chain_rejects_inconsistent_codes() -> None:
    with pytest.raises(ValueError, match="cannot be level 2"):
        region_chain(["44", "4501"])


def test_subtree_and_children_queries_use_indexes_on_postgresql() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("index plans are checked on PostgreSQL")
    region_chain(CHAIN)
    with connection.cursor() as cursor:
        # Tiny tables are cheaper to scan: make the planner show whether an index *can* be used.
        cursor.execute("SET LOCAL enable_seqscan = off")
        subtree = selectors.region_subtree(code="4401").explain()
        children = selectors.region_children(code="4401").explain()

    assert "regions_region_code_" in subtree and "_like" in subtree
    assert "regions_parent_code_idx" in children
