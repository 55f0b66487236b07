# ruff: noqa: E501  (tables of cases read best one per line)
import pytest
from django.test import Client
from django.urls import reverse

from yiwang.accounts.tests.factories import StaffFactory, staff_client_login
from yiwang.catalog.models import Implementation, ServiceItem, VersionStatus
from yiwang.catalog.search import catalog_search
from yiwang.catalog.tests.factories import published_item
from yiwang.catalog.tests.test_views_staff import NEW_ITEM

pytestmark = pytest.mark.django_db
MARKET = "market_regulation"
IMPL = {
    "conditions_zh": "持有营业执照。", "conditions_en": "Hold a business licence.",
    "steps": "网上申请 | Apply online\n审核 | Review",
    "legal_limit_days": "10", "promised_limit_days": "3", "fee_free": "on",
    "channels": ["online", "mobile"], "trips": "0", "halls_zh": "天河区政务服务中心",
    "halls_en": "Tianhe service centre", "form_schema": "", "process_ref": "standard-review",
    "m-TOTAL_FORMS": "2", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "0", "m-MAX_NUM_FORMS": "50",
    "m-0-name_zh": "营业执照", "m-0-name_en": "Business licence", "m-0-form": "electronic",
    "m-0-copies": "1", "m-0-requirement": "required", "m-0-reusable_certificate_type": "business_licence",
    # The untouched blank row, as a browser posts it.
    "m-1-form": "original", "m-1-copies": "1", "m-1-requirement": "required",
}  # fmt: skip


def login(roles):
    user = StaffFactory(roles=roles, department_kind=MARKET, region_code="440106")
    return staff_client_login(Client(), user), user


def test_a_department_admin_adds_an_item_with_its_guide_and_a_reviewer_publishes_both():
    admin, _ = login(["department_admin"])
    admin.post(reverse("catalog:manage_item_new"), NEW_ITEM)
    item = ServiceItem.objects.get(code="SJ-0100")
    admin.post(reverse("catalog:manage_submit", args=[item.versions.get().pk]))
    response = admin.post(reverse("catalog:manage_implementation_new", args=["SJ-0100"]), IMPL)
    implementation = Implementation.objects.get(item=item)
    assert response["Location"] == reverse(
        "catalog:manage_implementation", args=[implementation.pk]
    )
    draft = implementation.versions.get()
    assert (draft.procedure[1], draft.channels) == (
        {"title_zh": "审核", "title_en": "Review"},
        ["online", "mobile"],
    )
    assert [m.name_zh for m in draft.materials.all()] == ["营业执照"]
    admin.post(reverse("catalog:manage_implementation_submit", args=[draft.pk]))

    reviewer, _ = login(["reviewer"])
    reviewer.post(reverse("catalog:manage_publish", args=[item.versions.get().pk]))
    reviewer.post(reverse("catalog:manage_implementation_publish", args=[draft.pk]))

    implementation.refresh_from_db()
    assert implementation.published_version.status == VersionStatus.PUBLISHED
    hits = catalog_search(query="小吃店", language="zh", region_code="440106001").hits
    assert [(h.item.code, h.implementation.pk) for h in hits] == [("SJ-0100", implementation.pk)]
    guide = Client().get(reverse("catalog:guide", args=[implementation.pk]))
    assert "小餐饮登记" in guide.content.decode()


def test_bad_implementation_input_is_shown_and_nothing_saved():
    published_item(code="SJ-0400", kind=MARKET, region_code="4401")
    admin, _ = login(["department_admin"])
    bad = {**IMPL, "promised_limit_days": "30", "channels": ["online"], "form_schema": "{not json"}

    response = admin.post(
        reverse("catalog:manage_implementation_new", args=["SJ-0400"]),
        bad,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "The form schema is not valid JSON." in html
    bad["form_schema"] = ""
    response = admin.post(
        reverse("catalog:manage_implementation_new", args=["SJ-0400"]),
        bad,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert (
        "The promised time limit cannot be longer than the legal one." in response.content.decode()
    )
    assert Implementation.objects.filter(item__code="SJ-0400").count() == 1  # only the city's
    response = admin.post(
        reverse("catalog:manage_implementation_new", args=["SJ-0400"]),
        IMPL,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert Implementation.objects.filter(item__code="SJ-0400").count() == 2
    response = admin.post(
        reverse("catalog:manage_implementation_new", args=["SJ-0400"]),
        IMPL,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert (
        "This department already has an implementation of this item." in response.content.decode()
    )
    assert Implementation.objects.filter(item__code="SJ-0400").count() == 2


def test_editing_a_published_implementation_makes_a_new_draft():
    _item, implementation = published_item(code="SJ-0401", kind=MARKET, region_code="440106")
    admin, _ = login(["department_admin"])

    admin.post(
        reverse("catalog:manage_implementation", args=[implementation.pk]),
        {**IMPL, "promised_limit_days": "1"},
    )

    versions = list(implementation.versions.order_by("number"))
    assert [(v.status, v.promised_limit_days) for v in versions] == [("published", 5), ("draft", 1)]
    page = admin.get(
        reverse("catalog:manage_implementation", args=[implementation.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    changes = page.split('id="changes-title"')[1].split("</section>")[0]
    assert "<td>5</td><td>1</td>" in changes


def test_staff_of_another_district_cannot_see_the_implementation():
    _item, implementation = published_item(code="SJ-0402", kind=MARKET, region_code="440106")
    user = StaffFactory(roles=["department_admin"], department_kind=MARKET, region_code="440305")
    other = staff_client_login(Client(), user)

    assert (
        other.get(reverse("catalog:manage_implementation", args=[implementation.pk])).status_code
        == 404
    )
