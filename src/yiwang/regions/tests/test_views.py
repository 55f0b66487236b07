from __future__ import annotations

import re

import pytest
from django.test import Client

from yiwang.regions.tests.factories import region_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> None:
    region_chain(
        ["44", "4401", "440106", "440106001", "440106001001"],
        names=["广东省", "广州市", "天河区", "五山街道", "华工社区居委会"],
    )
    region_chain(["44", "4403"], names=["广东省", "深圳市"])
    region_chain(["45"], names=["广西壮族自治区"])


def _selects(html: str) -> list[tuple[str, str]]:
    """(label text, selected option value) of each select in order."""
    labels = re.findall(r'<label class="yw-label" for="([^"]+)">([^<]+)</label>', html)
    result = []
    for select_id, text in labels:
        select = re.search(rf'<select[^>]*id="{select_id}".*?</select>', html, re.S)
        assert select is not None
        chosen = re.search(r'<option value="([^"]*)" selected>', select.group(0))
        result.append((text, chosen.group(1) if chosen else ""))
    return result


def test_picker_without_code_offers_the_provinces(client: Client, tree: None) -> None:
    response = client.get("/regions/picker", {"name": "region"}, HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.status_code == 200
    assert _selects(html) == [("Province", "")]
    assert '<input type="hidden" name="region" value="">' in html
    assert (
        '<option value="44">广东省</option>' in html
        and '<option value="45">广西壮族自治区</option>' in html
    )
    assert 'name="region__region"' in html
    assert 'hx-get="/regions/picker?name=region"' in html


def test_picker_with_a_county_shows_the_path_and_the_next_level(client: Client, tree: None) -> None:
    response = client.get(
        "/regions/picker", {"name": "home", "code": "440106"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    html = response.content.decode()
    # The township select has "Choose…" selected, whose value is the county itself.
    assert _selects(html) == [
        ("Province", "44"),
        ("City", "4401"),
        ("County", "440106"),
        ("Township", "440106"),
    ]
    assert '<input type="hidden" name="home" value="440106">' in html
    assert '<option value="440106001">五山街道</option>' in html


def test_picker_reads_the_changed_select_and_stops_at_a_village(client: Client, tree: None) -> None:
    response = client.get("/regions/picker", {"name": "home", "home__region": "440106001001"})

    html = response.content.decode()
    assert [value for _, value in _selects(html)] == [
        "44",
        "4401",
        "440106",
        "440106001",
        "440106001001",
    ]
    assert '<input type="hidden" name="home" value="440106001001">' in html


def test_picker_labels_in_chinese_by_default(client: Client, tree: None) -> None:
    response = client.get("/regions/picker", {"name": "region", "code": "44", "label": "户籍地"})

    html = response.content.decode()
    assert [text for text, _ in _selects(html)] == ["省份", "城市"]
    assert '<legend class="yw-fieldset__legend">户籍地</legend>' in html
    assert "— 请选择 —" in html


@pytest.mark.parametrize("name", ["", "1abc", "a b", 'x"><script>'])
def test_picker_rejects_bad_field_names(client: Client, tree: None, name: str) -> None:
    response = client.get("/regions/picker", {"name": name}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.content.decode().strip() == (
        '<p class="yw-error-message" role="alert">The form field name is not valid.</p>'
    )


def test_picker_rejects_malformed_code(client: Client, tree: None) -> None:
    response = client.get(
        "/regions/picker", {"name": "region", "code": "44-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert "A division code contains only the digits 0–9." in response.content.decode()


def test_picker_unknown_code_is_404(client: Client, tree: None) -> None:
    response = client.get(
        "/regions/picker", {"name": "region", "code": "4402"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 404
    assert "There is no region with this code." in response.content.decode()


def test_picker_only_answers_get(client: Client, tree: None) -> None:
    assert client.post("/regions/picker", {"name": "region"}).status_code == 405


def _render(source: str, **context: object) -> str:
    from django.template import Context, Template

    return Template("{% load regions_tags %}" + source).render(Context(context))


def test_region_picker_tag_renders_the_chosen_path(tree: None) -> None:
    html = _render('{% region_picker "home" code=code label="户籍地" %}', code="4401")

    assert [value for _, value in _selects(html)] == ["44", "4401", "4401"]
    assert '<input type="hidden" name="home" value="4401">' in html
    assert 'id="home-region-picker"' in html


@pytest.mark.parametrize("code", ["44x", "4402", None])
def test_region_picker_tag_starts_over_on_a_bad_or_missing_code(
    tree: None, code: str | None
) -> None:
    html = _render('{% region_picker "home" code=code %}', code=code)

    assert [value for _, value in _selects(html)] == [""]
    assert '<input type="hidden" name="home" value="">' in html
