"""Resending a returned result (重新寄送): a new order to the applicant's current choice,
linked and audited; the applicant is asked to check the address and may correct it first."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from yiwang.accounts.tests.factories import staff_client_login
from yiwang.audit.models import AuditEntry
from yiwang.delivery.models import DeliveryOrder, DeliveryStatus, Direction
from yiwang.delivery.services import (
    delivery_choice_set,
    order_resend,
    order_ship,
    order_status_record,
)
from yiwang.delivery.services.orders import (
    MSG_RESEND_EXISTS,
    MSG_RESEND_NOT_RETURNED,
    MSG_RESEND_PICKUP,
    MSG_RESULT_NOT_READY,
)
from yiwang.notify.models import Message

from .factories import address_for, clerk, hall_serving, posted, shipped

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def returned(order: DeliveryOrder | None = None) -> DeliveryOrder:
    order = shipped(order)
    order, _ = order_status_record(order=order, status="returned", source="carrier")
    return order


def _results(order: DeliveryOrder) -> Any:
    return DeliveryOrder.objects.filter(
        application=order.application, direction=Direction.RESULT_OUT
    ).order_by("pk")


def test_resend_opens_a_linked_order_to_the_current_address_and_is_audited() -> None:
    old = returned()
    officer = clerk()
    new = order_resend(order=old, by=officer)
    assert new.pk != old.pk and new.resent_from_id == old.pk
    assert new.status == DeliveryStatus.CREATED and new.tracking_number == ""
    assert new.address_id == old.address_id
    entry = AuditEntry.objects.get(action="delivery.resend")
    assert entry.actor_id == officer.pk and entry.target_id == str(new.pk)
    assert entry.details["returned"] == old.pk and entry.details["same_address"] is True
    shipped_again = order_ship(order=new, by=officer, book=True)
    assert shipped_again.tracking_number and shipped_again.tracking_number != old.tracking_number


def test_the_applicant_is_told_to_check_the_address_when_the_result_returns(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        old = returned()
    notice = Message.objects.get(recipient=old.application.applicant, template="delivery_returned")
    assert old.application.number in notice.body and "核对地址" in notice.body


def test_a_corrected_address_waits_for_the_clerk_and_the_resend_uses_it() -> None:
    old = returned()
    applicant = old.application.applicant
    corrected = address_for(applicant, street="石牌东路99号")
    delivery_choice_set(user=applicant, application=old.application, result_method="post",
                        address_id=corrected.pk)  # fmt: skip
    assert _results(old).count() == 1  # nothing opened behind the clerk's back
    new = order_resend(order=old, by=clerk())
    assert new.address_id == corrected.pk
    assert AuditEntry.objects.get(action="delivery.resend").details["same_address"] is False
    # Until it ships the applicant can still correct it: the new order is re-addressed.
    again = address_for(applicant, street="石牌西路1号")
    delivery_choice_set(user=applicant, application=old.application, result_method="post",
                        address_id=again.pk)  # fmt: skip
    new.refresh_from_db()
    assert new.address_id == again.pk and _results(old).count() == 2


def test_resend_twice_or_of_a_parcel_not_returned_is_refused() -> None:
    old = returned()
    new = order_resend(order=old, by=clerk())
    with pytest.raises(ValidationError) as info:
        order_resend(order=old, by=clerk())
    assert info.value.messages == [str(MSG_RESEND_EXISTS) % {"reference": new.reference}]
    with pytest.raises(ValidationError) as info:
        order_resend(order=new, by=clerk())
    assert info.value.messages == [str(MSG_RESEND_NOT_RETURNED)]
    assert _results(old).count() == 2 and AuditEntry.objects.filter(
        action="delivery.resend").count() == 1  # fmt: skip


def test_resend_when_the_applicant_now_collects_at_a_hall_is_refused() -> None:
    old = returned()
    hall = hall_serving(old.application)
    delivery_choice_set(user=old.application.applicant, application=old.application,
                        result_method="pickup", hall_id=hall.pk)  # fmt: skip
    with pytest.raises(ValidationError) as info:
        order_resend(order=old, by=clerk())
    assert info.value.messages == [str(MSG_RESEND_PICKUP)]
    assert _results(old).count() == 1


def test_resend_of_a_materials_parcel_or_a_closed_application_is_refused() -> None:
    old = returned()
    old.application.status = "rejected"
    old.application.save(update_fields=["status"])
    with pytest.raises(ValidationError) as info:
        order_resend(order=old, by=clerk())
    assert info.value.messages == [str(MSG_RESULT_NOT_READY)]


def test_returned_twice_is_still_allowed_and_shown(client: Client) -> None:
    first = returned()
    second = returned(order_resend(order=first, by=clerk()))
    third = order_resend(order=second, by=clerk())
    assert third.resent_from_id == second.pk
    staff_client_login(client, clerk())
    text = client.get(f"/delivery/staff/{third.pk}/", **EN).content.decode()
    assert "Returned 2 times" in text and second.reference in text
    text = client.get(f"/delivery/staff/{second.pk}/", **EN).content.decode()
    assert "Returned 2 times" in text and third.reference in text
    assert "Send the result again" not in text  # already sent again


def test_clerk_page_offers_resend_in_both_languages_and_posts_it(client: Client) -> None:
    old = returned()
    staff_client_login(client, clerk())
    text = client.get(f"/delivery/staff/{old.pk}/", **EN).content.decode()
    assert "The result came back" in text and "Send the result again" in text
    assert "Returned 1 time" not in text
    assert "重新寄送" in client.get(f"/delivery/staff/{old.pk}/").content.decode()
    response = client.post(f"/delivery/staff/{old.pk}/resend/")
    new = _results(old).last()
    assert response.status_code == 302 and response["Location"] == f"/delivery/staff/{new.pk}/"
    response = client.post(f"/delivery/staff/{old.pk}/resend/", **EN)
    assert response.status_code == 422 and b"already being sent again" in response.content


def test_another_regions_clerk_cannot_resend(client: Client) -> None:
    old = returned()
    staff_client_login(client, clerk(region_code="440104"))
    assert client.post(f"/delivery/staff/{old.pk}/resend/").status_code == 404
    assert client.post(f"/api/v1/delivery/staff/orders/{old.pk}/resend").status_code == 404
    assert _results(old).count() == 1


def test_api_resend_links_the_orders(client: Client) -> None:
    old = returned()
    staff_client_login(client, clerk())
    response = client.post(f"/api/v1/delivery/staff/orders/{old.pk}/resend")
    assert response.status_code == 200 and response.json()["resent_from"] == old.pk
    response = client.post(f"/api/v1/delivery/staff/orders/{old.pk}/resend")
    assert response.status_code == 422


def test_applicant_panel_asks_to_check_the_address_in_both_languages(client: Client) -> None:
    old = returned()
    app = old.application
    client.force_login(app.applicant)
    text = client.get(f"/delivery/applications/{app.number}/", **EN).content.decode()
    assert "Your result came back to the department" in text
    assert f"/delivery/applications/{app.number}/choose/" in text
    assert "退回" in client.get(f"/delivery/applications/{app.number}/").content.decode()
    order_resend(order=old, by=clerk())
    text = client.get(f"/delivery/applications/{app.number}/", **EN).content.decode()
    assert "Your result came back to the department" not in text
    assert "It has been sent again." in text


def test_applicant_panel_shows_a_second_return_clearly(client: Client) -> None:
    second = returned(order_resend(order=returned(), by=clerk()))
    client.force_login(second.application.applicant)
    text = client.get(f"/delivery/applications/{second.application.number}/", **EN)
    assert "Returned 2 times" in text.content.decode()


def test_posted_order_without_a_return_offers_no_resend(client: Client) -> None:
    order = posted()
    staff_client_login(client, clerk())
    text = client.get(f"/delivery/staff/{order.pk}/", **EN).content.decode()
    assert "Send the result again" not in text and "came back" not in text


def test_staff_list_says_which_returned_results_wait_to_be_sent_again(client: Client) -> None:
    waiting, done = returned(), returned()
    order_resend(order=done, by=clerk())
    staff_client_login(client, clerk())
    text = client.get("/delivery/staff/?status=returned", **EN).content.decode()
    assert waiting.reference in text and done.reference in text
    assert text.count("To send again") == 1 and text.count("Sent again") == 1
    assert "待重新寄送" in client.get("/delivery/staff/?status=returned").content.decode()
