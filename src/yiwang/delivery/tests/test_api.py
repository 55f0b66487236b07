"""API: the applicant's parcels and choice, staff shipping, the signed carrier callback."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest
from django.test import Client

from yiwang.accounts.tests.factories import staff_client_login
from yiwang.delivery.models import DeliveryOrder

from .factories import SHIPAI, address_for, application_create, citizen, clerk, posted, shipped

pytestmark = pytest.mark.django_db
URL = "/api/v1/delivery"


def _signed(client: Client, body: bytes | dict[str, Any], secret: str = "test-secret") -> Any:  # noqa: S107
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    signature = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return client.post(
        f"{URL}/tracking-events", raw, content_type="application/json",
        HTTP_X_YIWANG_SIGNATURE=f"sha256={signature}",
    )  # fmt: skip


def test_citizen_sets_the_choice_with_a_new_address_and_lists_orders(client: Client) -> None:
    app = application_create()
    client.force_login(app.applicant)
    address = {"region_code": SHIPAI, "street": "石牌路1号", "recipient_name": "李明",
               "recipient_phone": "13800138000"}  # fmt: skip
    address_for(citizen())  # the regions exist
    response = client.post(
        f"{URL}/applications/{app.number}/choice",
        {"result_method": "post", "new_address": address}, content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["result_method"] == "post"
    orders = client.get(f"{URL}/orders").json()
    assert [o["direction"] for o in orders] == ["result_out"]
    assert orders[0]["events"][0]["status"] == "created"


def test_choice_errors_use_the_error_shape(client: Client) -> None:
    app = application_create()
    client.force_login(app.applicant)
    bad = {"region_code": "4401", "street": "x", "recipient_name": "李明",
           "recipient_phone": "13800138000"}  # fmt: skip
    address_for(citizen())
    response = client.post(
        f"{URL}/applications/{app.number}/choice",
        {"result_method": "post", "new_address": bad}, content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["details"]["region"][0]["code"] == "region_too_broad"
    other = application_create()
    response = client.post(
        f"{URL}/applications/{other.number}/choice", {"result_method": "post"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_confirm_before_delivery_is_422(client: Client) -> None:
    order = shipped()
    client.force_login(order.application.applicant)
    response = client.post(f"{URL}/orders/{order.pk}/received")
    assert response.status_code == 422 and response.json()["code"] == "not_delivered"


def test_staff_list_ship_and_status(client: Client) -> None:
    order = posted()
    officer = clerk()
    staff_client_login(client, officer)
    listed = client.get(f"{URL}/staff/orders").json()
    assert [o["id"] for o in listed] == [order.pk] and listed[0]["phone"] == "138****8000"
    response = client.post(f"{URL}/staff/orders/{order.pk}/ship", {"book": True},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 200 and response.json()["tracking_number"].startswith("YW")
    again = client.post(f"{URL}/staff/orders/{order.pk}/ship", {"book": True},
                        content_type="application/json")  # fmt: skip
    assert again.status_code == 422 and again.json()["code"] == "already_shipped"
    response = client.post(f"{URL}/staff/orders/{order.pk}/status", {"status": "in_transit"},
                           content_type="application/json")  # fmt: skip
    assert response.json()["status"] == "in_transit"


def test_another_regions_clerk_gets_404(client: Client) -> None:
    order = posted()
    staff_client_login(client, clerk(region_code="440104"))
    assert client.get(f"{URL}/staff/orders").json() == []
    response = client.post(f"{URL}/staff/orders/{order.pk}/ship", {"book": True},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 404


def test_signed_callback_advances_the_order_and_repeats_are_no_ops(client: Client) -> None:
    order = shipped()
    event = {"tracking_number": order.tracking_number, "status": "in_transit",
             "event_id": "e1", "location": "广州"}  # fmt: skip
    response = _signed(client, event)
    assert response.status_code == 200 and response.json()["changed"] is True
    assert _signed(client, event).json()["changed"] is False
    back = _signed(client, event | {"status": "picked_up", "event_id": "e2"})
    assert back.status_code == 422 and back.json()["code"] == "status_backwards"
    order.refresh_from_db()
    assert order.status == "in_transit" and order.events.filter(source="carrier").count() == 1


def test_callback_for_an_unknown_tracking_number_is_404(client: Client) -> None:
    response = _signed(client, {"tracking_number": "YW000000000CN", "status": "delivered"})
    assert response.status_code == 404 and response.json()["code"] == "tracking_unknown"


@pytest.mark.parametrize("header", ["", "sha256=00", "sha256=" + "0" * 64])
def test_unsigned_or_badly_signed_callback_is_refused(client: Client, header: str) -> None:
    order = shipped()
    response = client.post(
        f"{URL}/tracking-events",
        {"tracking_number": order.tracking_number, "status": "delivered"},
        content_type="application/json", HTTP_X_YIWANG_SIGNATURE=header,
    )  # fmt: skip
    assert response.status_code == 401 and response.json()["code"] == "bad_signature"
    order.refresh_from_db()
    assert order.status == "created"


def test_malformed_callbacks_change_nothing(client: Client) -> None:
    order = shipped()
    assert _signed(client, b"{not json").json()["code"] == "malformed_json"
    response = _signed(client, {"tracking_number": order.tracking_number, "status": "lost"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
    assert DeliveryOrder.objects.get(pk=order.pk).status == "created"


def test_callbacks_refused_when_no_secret_is_configured(client: Client, settings: Any) -> None:
    settings.DELIVERY_CALLBACK_SECRET = ""
    order = shipped()
    response = _signed(client, {"tracking_number": order.tracking_number, "status": "delivered"},
                       secret="")  # fmt: skip
    assert response.status_code == 403 and response.json()["code"] == "callback_disabled"


def test_callback_message_in_chinese_by_default(client: Client) -> None:
    response = _signed(client, {"tracking_number": "NOPE123456", "status": "delivered"})
    assert response.json()["message"] == "没有找到该运单号对应的邮件。"
