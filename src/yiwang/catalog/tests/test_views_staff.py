# ruff: noqa: E501  (tables of cases read best one per line)
import pytest
from django.urls import reverse

from yiwang.accounts.tests.factories import StaffFactory, staff_client_login
from yiwang.catalog.models import ServiceItem, VersionStatus
from yiwang.catalog.tests.factories import published_item

pytestmark = pytest.mark.django_db
MARKET = "market_regulation"
NEW_ITEM = {
    "code": "SJ-0100", "item_type": "licensing", "department_kind": MARKET, "region_level": "3",
    "persona": "legal", "name_zh": "小餐饮登记", "name_en": "Small eatery registration",
    "description_zh": "小餐饮经营者登记。", "description_en": "Registration of small eateries.",
    "keywords_zh": "小吃店 开小饭馆",
}  # fmt: skip


def staff_client(client, roles, kind=MARKET):
    user = StaffFactory(roles=roles, department_kind=kind)
    return staff_client_login(client, user), user


def test_department_admin_adds_an_item_and_a_reviewer_publishes_it(client, django_user_model):
    from django.test import Client

    admin_client, _admin = staff_client(client, ["department_admin"])
    response = admin_client.post(reverse("catalog:manage_item_new"), NEW_ITEM)
    assert response.status_code == 302
    item = ServiceItem.objects.get(code="SJ-0100")
    draft = item.versions.get()
    admin_client.post(reverse("catalog:manage_submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == VersionStatus.IN_REVIEW

    reviewer_client, reviewer = staff_client(Client(), ["reviewer"])
    queue = reviewer_client.get(reverse("catalog:manage"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Small eatery registration" in queue.content.decode()
    reviewer_client.post(reverse("catalog:manage_publish", args=[draft.pk]))

    item.refresh_from_db()
    assert item.published_version_id == draft.pk
    assert item.published_version.published_by == reviewer


def test_editing_a_published_item_makes_a_new_draft(client):
    item, _impl = published_item(code="SJ-0200", name_zh="旧名称", kind=MARKET)
    admin_client, _admin = staff_client(client, ["department_admin"])
    data = {
        k: v
        for k, v in NEW_ITEM.items()
        if k not in ("code", "item_type", "department_kind", "region_level", "persona")
    }

    admin_client.post(
        reverse("catalog:manage_item", args=["SJ-0200"]), {**data, "name_zh": "新名称"}
    )

    item.refresh_from_db()
    assert item.published_version.name_zh == "旧名称"
    assert [(v.number, v.status, v.name_zh) for v in item.versions.order_by("number")] == [
        (1, "published", "旧名称"), (2, "draft", "新名称"),
    ]  # fmt: skip
    page = admin_client.get(
        reverse("catalog:manage_item", args=["SJ-0200"]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    changes = page.split('id="changes-title"')[1].split("</section>")[0]
    assert "本版本的改动" in page
    assert "<td>旧名称</td><td>新名称</td>" in changes


def test_bad_item_code_is_shown_on_the_form_and_nothing_saved(client):
    admin_client, _admin = staff_client(client, ["department_admin"])

    response = admin_client.post(
        reverse("catalog:manage_item_new"),
        {**NEW_ITEM, "code": "bad code"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert (
        "Use capital letters, digits and hyphens, for example SJ-0100." in response.content.decode()
    )
    assert not ServiceItem.objects.exists()


def test_a_clerk_cannot_add_items(client):
    clerk_client, _clerk = staff_client(client, ["clerk"])
    assert clerk_client.post(reverse("catalog:manage_item_new"), NEW_ITEM).status_code == 403
    assert not ServiceItem.objects.exists()


def test_another_departments_items_are_not_found(client):
    published_item(code="GA-0100", kind="public_security")
    admin_client, _admin = staff_client(client, ["department_admin"])

    assert admin_client.get(reverse("catalog:manage_item", args=["GA-0100"])).status_code == 404


def test_citizens_and_anonymous_users_are_sent_to_the_staff_login(client):
    response = client.get(reverse("catalog:manage"))

    assert response.status_code == 302
    assert reverse("accounts:staff_login") in response["Location"]


def test_export_downloads_and_import_with_broken_rows_imports_nothing(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    published_item(code="SJ-0300", name_zh="导出事项")
    admin_client, _admin = staff_client(client, ["department_admin"])

    exported = admin_client.get(reverse("catalog:manage_export_json"))
    assert exported["Content-Disposition"] == 'attachment; filename="catalogue.json"'
    assert "导出事项" in exported.content.decode()
    xlsx = admin_client.get(reverse("catalog:manage_export_xlsx"))
    assert xlsx.content[:2] == b"PK"

    broken = b'{"format": "yiwang-catalogue", "items": [{"code": "SJ-0301", "item_type": "licensing", "department_kind": "market_regulation", "region_level": 3, "persona": "legal", "name_zh": "x", "name_en": ""}]}'
    response = admin_client.post(
        reverse("catalog:manage_transfer"),
        {"file": SimpleUploadedFile("c.json", broken, "application/json")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "item 1 (SJ-0301): name_en: This field cannot be blank." in html
    assert not ServiceItem.objects.filter(code="SJ-0301").exists()


def test_import_of_a_good_file_sends_drafts_for_review(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin_client, _admin = staff_client(client, ["department_admin"])
    good = '{"format": "yiwang-catalogue", "items": [{"code": "SJ-0302", "item_type": "licensing", "department_kind": "market_regulation", "region_level": 3, "persona": "legal", "name_zh": "导入事项", "name_en": "Imported", "description_zh": "说明", "description_en": "About"}]}'.encode()

    response = admin_client.post(
        reverse("catalog:manage_transfer"), {"file": SimpleUploadedFile("c.json", good)}
    )

    assert response.status_code == 302
    assert ServiceItem.objects.get(code="SJ-0302").versions.get().status == VersionStatus.IN_REVIEW


def test_import_refuses_other_file_types(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin_client, _admin = staff_client(client, ["department_admin"])
    response = admin_client.post(
        reverse("catalog:manage_transfer"), {"file": SimpleUploadedFile("c.csv", b"a,b")},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip

    assert "Choose a .json or .xlsx file exported from this catalogue." in response.content.decode()


def test_importing_another_departments_items_is_forbidden(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin_client, _admin = staff_client(client, ["department_admin"])
    other = b'{"format": "yiwang-catalogue", "items": [{"code": "GA-0302", "item_type": "licensing", "department_kind": "public_security", "region_level": 3, "persona": "legal", "name_zh": "x", "name_en": "x"}]}'

    response = admin_client.post(
        reverse("catalog:manage_transfer"), {"file": SimpleUploadedFile("c.json", other)}
    )

    assert response.status_code == 403
    assert not ServiceItem.objects.exists()
