"""Pages: the application's delivery fragment, the choice page, my deliveries, the staff
list and parcel page (scoped), the audited address and PDF labels, in both languages."""

from __future__ import annotations

import pytest
from django.test import Client

from yiwang.accounts.tests.factories import chain_for, staff_client_login
from yiwang.audit.models import AuditEntry
from yiwang.delivery.models import DeliveryChoice, DeliveryOrder
from yiwang.delivery.services import order_status_record

from .factories import (
    SHIPAI,
    application_create,
    citizen,
    clerk,
    hall_serving,
    posted,
    shipped,
)

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_fragment_offers_the_choice_form_in_chinese_by_default(client: Client) -> None:
    app = application_create()
    hall_serving(app)
    client.force_login(app.applicant)
    response = client.get(f"/delivery/applications/{app.number}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "领取方式" in text or "邮寄" in text
    english = client.get(f"/delivery/applications/{app.number}/", **EN).content.decode()
    assert "How do you want to receive the result?" in english
    assert 'name="region"' in english  # the region picker for a new address


def test_fragment_of_someone_elses_application_is_404(client: Client) -> None:
    app = application_create()
    client.force_login(citizen())
    assert client.get(f"/delivery/applications/{app.number}/").status_code == 404
    client.logout()
    assert client.get(f"/delivery/applications/{app.number}/").status_code == 404


def test_choose_page_posts_to_a_new_address_and_shows_field_errors(client: Client) -> None:
    app = application_create()
    chain_for("440106006002")
    client.force_login(app.applicant)
    url = f"/delivery/applications/{app.number}/choose/"
    bad = {"result_method": "post", "address": "new", "region": "440106", "street": "",
           "recipient_name": "李明", "recipient_phone": "123"}  # fmt: skip
    response = client.post(url, bad, **EN)
    assert response.status_code == 422
    text = response.content.decode()
    assert "down to the township or street" in text and "11-digit mainland mobile" in text
    assert "yw-error-summary" in text
    good = bad | {"region": SHIPAI, "street": "石牌路1号", "recipient_phone": "13800138000"}
    response = client.post(url, good)
    assert response.status_code == 302 and response.url == f"/applications/{app.number}/"
    assert DeliveryChoice.objects.get(application=app).address.street == "石牌路1号"


def test_fragment_shows_history_and_the_received_button_once_delivered(client: Client) -> None:
    order = shipped()
    order_status_record(order=order, status="delivered", source="carrier")
    client.force_login(order.application.applicant)
    text = client.get(f"/delivery/applications/{order.application.number}/", **EN).content
    assert b"I have received it" in text and order.tracking_number.encode() in text
    response = client.post(f"/delivery/orders/{order.pk}/received/")
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.received_confirmed_at is not None


def test_changing_after_shipping_shows_a_clear_error(client: Client) -> None:
    order = shipped()
    app = order.application
    hall = hall_serving(app)
    client.force_login(app.applicant)
    response = client.post(
        f"/delivery/applications/{app.number}/choose/",
        {"result_method": "pickup", "hall": hall.pk}, **EN,
    )  # fmt: skip
    assert response.status_code == 422
    assert b"already been sent" in response.content


def test_my_deliveries_and_address_removal(client: Client) -> None:
    order = posted()
    user = order.application.applicant
    client.force_login(user)
    text = client.get("/delivery/my/", **EN).content.decode()
    assert order.application.number in text and "138****8000" in text
    response = client.post(f"/delivery/addresses/{order.address_id}/remove/")
    assert response.status_code == 302
    order.address.refresh_from_db()
    assert order.address.is_active is False
    assert client.post(f"/delivery/addresses/{order.address_id}/remove/").status_code == 404


def test_staff_list_is_scoped_filtered_and_masked(client: Client) -> None:
    order = posted()
    waiting = posted(status="under_review")  # not approved yet: not listed
    staff_client_login(client, clerk())
    response = client.get("/delivery/staff/", **EN)
    text = response.content.decode()
    assert response.status_code == 200 and order.reference in text
    assert waiting.reference not in text and "13800138000" not in text and "李*" in text
    assert order.reference not in client.get("/delivery/staff/?status=delivered").content.decode()
    assert "待寄出" in client.get("/delivery/staff/").content.decode()


def test_another_regions_clerk_gets_404_on_the_order_page(client: Client) -> None:
    order = posted()
    staff_client_login(client, clerk(region_code="440104"))
    assert client.get(f"/delivery/staff/{order.pk}/").status_code == 404
    staff_client_login(client, clerk(kind="health"))  # same region, other department line
    assert client.get(f"/delivery/staff/{order.pk}/").status_code == 404


def test_staff_ships_by_hand_and_records_status(client: Client) -> None:
    order = posted()
    staff_client_login(client, clerk())
    response = client.post(f"/delivery/staff/{order.pk}/ship/",
                           {"carrier": "ems", "tracking_number": "x"}, **EN)  # fmt: skip
    assert response.status_code == 422 and b"6 to 30 letters" in response.content
    response = client.post(f"/delivery/staff/{order.pk}/ship/",
                           {"carrier": "ems", "tracking_number": "EA123456789CN"})  # fmt: skip
    assert response.status_code == 302
    response = client.post(f"/delivery/staff/{order.pk}/status/", {"status": "in_transit"})
    assert response.status_code == 302
    response = client.post(f"/delivery/staff/{order.pk}/status/", {"status": "picked_up"}, **EN)
    assert response.status_code == 422 and b"cannot go back" in response.content
    assert DeliveryOrder.objects.get(pk=order.pk).status == "in_transit"


def test_full_address_is_an_audited_read_with_its_purpose(client: Client) -> None:
    order = posted()
    officer = clerk()
    staff_client_login(client, officer)
    page = client.get(f"/delivery/staff/{order.pk}/").content.decode()
    assert "13800138000" not in page
    response = client.post(f"/delivery/staff/{order.pk}/", {"purpose": " "}, **EN)
    assert response.status_code == 422
    response = client.post(f"/delivery/staff/{order.pk}/", {"purpose": "Pack the parcel"})
    assert "13800138000" in response.content.decode()
    entry = AuditEntry.objects.get(action="personal_data.read", target_id=str(order.pk))
    assert entry.purpose == "Pack the parcel" and entry.subject_id == order.application.applicant_id


def test_labels_pdf_for_several_orders_is_audited(client: Client) -> None:
    first, second = shipped(), posted()
    staff_client_login(client, clerk())
    response = client.post("/delivery/staff/labels/", {"order": [first.pk, second.pk]})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="delivery.labels").count() == 1
    assert AuditEntry.objects.filter(action="personal_data.read").count() == 2


def test_labels_of_an_order_outside_scope_are_404(client: Client) -> None:
    mine, theirs = posted(), posted(region_code="440104")
    staff_client_login(client, clerk())
    response = client.post("/delivery/staff/labels/", {"order": [mine.pk, theirs.pk]})
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="delivery.labels").exists()


def test_citizen_pages_need_a_login(client: Client) -> None:
    assert client.get("/delivery/my/").status_code == 302
    assert client.get("/delivery/staff/").status_code == 302


def test_someone_elses_parcel_cannot_be_confirmed(client: Client) -> None:
    order = shipped()
    order_status_record(order=order, status="delivered", source="carrier")
    client.force_login(citizen())
    assert client.post(f"/delivery/orders/{order.pk}/received/").status_code == 404
    assert client.post(f"/api/v1/delivery/orders/{order.pk}/received").status_code == 404
    order.refresh_from_db()
    assert order.received_confirmed_at is None


def test_fragment_shows_a_pickup_choice_with_a_change_link(client: Client) -> None:
    app = application_create()
    hall = hall_serving(app)
    client.force_login(app.applicant)
    response = client.post(
        f"/delivery/applications/{app.number}/choose/",
        {"result_method": "pickup", "hall": hall.pk},
    )
    assert response.status_code == 302
    text = client.get(f"/delivery/applications/{app.number}/", **EN).content.decode()
    assert hall.name_en in text and f"/delivery/applications/{app.number}/choose/" in text
    assert not DeliveryOrder.objects.filter(application=app).exists()
