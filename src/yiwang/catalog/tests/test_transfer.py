# ruff: noqa: E501  (tables of cases read best one per line)
import io
import json

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from yiwang.accounts.tests.factories import chain_for
from yiwang.catalog.models import ServiceItem, VersionStatus
from yiwang.catalog.services.transfer import catalogue_export, catalogue_import, rows_from_json
from yiwang.catalog.services.transfer_xlsx import catalogue_export_xlsx, rows_from_xlsx
from yiwang.catalog.tests.factories import published_item

pytestmark = pytest.mark.django_db


def new_item(code="SJ-0500", **overrides):
    item = {
        "code": code, "item_type": "licensing", "department_kind": "market_regulation",
        "region_level": 3, "persona": "legal", "name_zh": "新事项", "name_en": "New item",
        "description_zh": "说明", "description_en": "About",
        "implementations": [{
            "region_code": "440106", "legal_limit_days": 10, "promised_limit_days": 5,
            "trips": 0, "channels": ["online"], "fee_free": True,
            "materials": [{"name_zh": "居民身份证", "name_en": "ID card", "form": "original"}],
        }],
    }  # fmt: skip
    item.update(overrides)
    return item


def doc(*items):
    return json.dumps({"format": "yiwang-catalogue", "items": list(items)}, ensure_ascii=False)


def test_exporting_and_importing_again_changes_nothing():
    published_item(code="SJ-0001", name_zh="个体工商户设立登记")
    exported = json.dumps(catalogue_export(), ensure_ascii=False)

    report = catalogue_import(rows=rows_from_json(exported), by=None)

    assert (report.items_created, report.items_changed) == (0, 0)
    assert (report.implementations_created, report.implementations_changed) == (0, 0)
    assert ServiceItem.objects.get(code="SJ-0001").versions.count() == 1


def test_import_creates_drafts_for_review():
    chain_for("440106")

    report = catalogue_import(rows=rows_from_json(doc(new_item())), by=None)

    item = ServiceItem.objects.get(code="SJ-0500")
    assert (report.items_created, report.implementations_created) == (1, 1)
    assert item.published_version is None
    assert item.versions.get().status == VersionStatus.IN_REVIEW
    assert item.implementations.get().versions.get().status == VersionStatus.IN_REVIEW


def test_operator_import_can_publish():
    chain_for("440106")

    catalogue_import(rows=rows_from_json(doc(new_item())), by=None, publish=True)

    item = ServiceItem.objects.get(code="SJ-0500")
    assert item.published_version.name_zh == "新事项"
    assert item.implementations.get().published_version is not None


def test_broken_rows_are_all_reported_and_nothing_is_imported():
    chain_for("440106")
    bad_impl = new_item("SJ-0502")
    bad_impl["implementations"][0]["channels"] = ["fax"]
    unknown_region = new_item("SJ-0503")
    unknown_region["implementations"][0]["region_code"] = "999999"
    rows = rows_from_json(
        doc(new_item("SJ-0501", name_en=""), bad_impl, new_item("SJ-0504"), unknown_region)
    )

    with pytest.raises(ValidationError) as caught:
        catalogue_import(rows=rows, by=None)

    assert caught.value.messages == [
        "item 1 (SJ-0501): name_en: This field cannot be blank.",
        "item 2 (SJ-0502), implementation 1: channels: Choose channels from the list, each at most once.",
        "item 4 (SJ-0503), implementation 1: Unknown region code 999999.",
    ]
    assert not ServiceItem.objects.exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            '{"format": "yiwang-catalogue",\n "items": [}',
            "The file is not valid JSON (line 2): Expecting value",
        ),
        (
            '{"items": []}',
            'This is not a catalogue file: expected {"format": "yiwang-catalogue", "items": [...]}.',
        ),
        (
            '{"format": "yiwang-catalogue", "items": [3]}',
            "item 1: expected an object with the item's fields.",
        ),
    ],
)
def test_files_that_are_not_catalogues_are_refused(raw, message):
    with pytest.raises(ValidationError) as caught:
        rows_from_json(raw)

    assert caught.value.messages == [message]


def test_empty_import_is_refused():
    with pytest.raises(ValidationError) as caught:
        catalogue_import(rows=rows_from_json(doc()), by=None)

    assert caught.value.messages == ["The file holds no items."]


def test_xlsx_round_trip_with_an_edit_makes_a_new_draft():
    published_item(code="SJ-0001", name_zh="个体工商户设立登记")
    workbook = load_workbook(io.BytesIO(catalogue_export_xlsx()))
    header = [c.value for c in workbook["items"][1]]
    workbook["items"].cell(row=2, column=header.index("name_zh") + 1, value="个体户登记（新）")
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)

    report = catalogue_import(rows=rows_from_xlsx(buffer), by=None)

    item = ServiceItem.objects.get(code="SJ-0001")
    assert (report.items_changed, report.implementations_changed) == (1, 0)
    assert [(v.number, v.status, v.name_zh) for v in item.versions.order_by("number")] == [
        (1, "published", "个体工商户设立登记"), (2, "in_review", "个体户登记（新）"),
    ]  # fmt: skip


def test_xlsx_with_bad_rows_names_sheet_and_row():
    published_item(code="SJ-0001")
    workbook = load_workbook(io.BytesIO(catalogue_export_xlsx()))
    sheet = workbook["implementations"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("channels") + 1, value="[online")
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)

    with pytest.raises(ValidationError) as caught:
        rows_from_xlsx(buffer)

    assert caught.value.messages == ["implementations row 2: column channels is not valid JSON."]


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(ValidationError) as caught:
        rows_from_xlsx(io.BytesIO(b"not a workbook"))

    assert caught.value.messages == ["The file is not an XLSX workbook."]
