"""Production carriers: the manual carrier (no booking, nothing polled, callbacks still
work), an empty setting meaning manual, and the system check against the demo courier."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from yiwang.accounts.tests.factories import staff_client_login
from yiwang.delivery.carriers import MANUAL_CARRIER, FakeCarrier, ManualCarrier, carrier_get
from yiwang.delivery.checks import carrier_check
from yiwang.delivery.models import DeliveryOrder, DeliveryStatus
from yiwang.delivery.services import order_ship, order_status_record, orders_track
from yiwang.delivery.services.orders import MSG_BOOKING_UNAVAILABLE

from .factories import clerk, posted

FAKE = "yiwang.delivery.carriers.FakeCarrier"


@pytest.fixture
def manual(settings: Any) -> None:
    settings.DELIVERY_CARRIER = MANUAL_CARRIER


def test_an_empty_setting_means_the_manual_carrier(settings: Any) -> None:
    settings.DELIVERY_CARRIER = ""
    assert isinstance(carrier_get(), ManualCarrier)
    settings.DELIVERY_CARRIER = MANUAL_CARRIER
    assert carrier_get().can_book is False
    settings.DELIVERY_CARRIER = FAKE
    assert carrier_get().can_book is True


@pytest.mark.django_db
@pytest.mark.usefixtures("manual")
def test_manual_carrier_refuses_booking_and_changes_nothing() -> None:
    order = posted()
    with pytest.raises(ValidationError) as info:
        order_ship(order=order, by=clerk(), book=True)
    assert info.value.messages == [str(MSG_BOOKING_UNAVAILABLE)]
    order.refresh_from_db()
    assert order.tracking_number == "" and order.shipped_at is None
    assert list(order.events.values_list("kind", flat=True)) == ["status"]


@pytest.mark.django_db
@pytest.mark.usefixtures("manual")
def test_manual_carrier_ships_by_hand_and_the_tracking_job_does_nothing() -> None:
    order = order_ship(order=posted(), by=clerk(), carrier="ems", tracking_number="ea123456789cn")
    assert (order.carrier, order.tracking_number) == ("ems", "EA123456789CN")
    assert orders_track() == 0
    order.refresh_from_db()
    assert order.status == DeliveryStatus.CREATED
    order, changed = order_status_record(order=order, status="in_transit", source="clerk")
    assert changed and order.status == "in_transit"


@pytest.mark.django_db
@pytest.mark.usefixtures("manual")
def test_carrier_callback_still_works_with_the_manual_carrier(client: Client) -> None:
    order = order_ship(order=posted(), by=clerk(), carrier="sf", tracking_number="SF1234567890")
    event = {"tracking_number": "SF1234567890", "carrier": "sf", "status": "delivered",
             "occurred_at": "2026-11-20T10:00:00+08:00", "event_id": "e1"}  # fmt: skip
    raw = json.dumps(event).encode()
    signature = hmac.new(b"test-secret", raw, hashlib.sha256).hexdigest()
    response = client.post(
        "/api/v1/delivery/tracking-events", raw, content_type="application/json",
        HTTP_X_YIWANG_SIGNATURE=f"sha256={signature}",
    )  # fmt: skip
    assert response.status_code == 200 and response.json()["changed"] is True
    assert DeliveryOrder.objects.get(pk=order.pk).status == "delivered"


@pytest.mark.django_db
@pytest.mark.usefixtures("manual")
def test_the_parcel_page_has_no_booking_button_with_the_manual_carrier(
    client: Client, settings: Any
) -> None:
    order = posted()
    staff_client_login(client, clerk())
    text = client.get(f"/delivery/staff/{order.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Book with the carrier" not in text and 'name="book"' not in text
    assert "Enter the carrier and tracking number" in text
    assert "填写快递公司和运单号" in client.get(f"/delivery/staff/{order.pk}/").content.decode()
    response = client.post(f"/delivery/staff/{order.pk}/ship/", {"book": "1"},
                           HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert response.status_code == 422 and b"No carrier is connected" in response.content
    settings.DELIVERY_CARRIER = FAKE
    text = client.get(f"/delivery/staff/{order.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Book with the carrier" in text


def test_check_is_an_error_for_the_fake_carrier_in_production(settings: Any) -> None:
    settings.YIWANG_ENV = "production"
    settings.DELIVERY_CARRIER = FAKE
    errors = carrier_check()
    assert [e.id for e in errors] == ["delivery.E001"]
    assert MANUAL_CARRIER in (errors[0].hint or "")


def test_check_passes_for_manual_in_production_and_fake_elsewhere(settings: Any) -> None:
    settings.YIWANG_ENV = "production"
    settings.DELIVERY_CARRIER = MANUAL_CARRIER
    assert carrier_check() == []
    settings.DELIVERY_CARRIER = ""
    assert carrier_check() == []
    settings.YIWANG_ENV = "dev"
    settings.DELIVERY_CARRIER = FAKE
    assert carrier_check() == []


def test_check_catches_a_subclass_of_the_fake_carrier_and_a_bad_path(settings: Any) -> None:
    settings.YIWANG_ENV = "production"
    settings.DELIVERY_CARRIER = f"{__name__}.LoudFake"
    assert [e.id for e in carrier_check()] == ["delivery.E001"]
    settings.DELIVERY_CARRIER = "yiwang.delivery.carriers.NoSuchCarrier"
    assert [e.id for e in carrier_check()] == ["delivery.E002"]
    settings.DELIVERY_CARRIER = "yiwang.delivery.carriers.KNOWN_CARRIERS"
    assert [e.id for e in carrier_check()] == ["delivery.E002"]


def test_the_check_is_registered_and_stops_manage_py_check(settings: Any) -> None:
    settings.YIWANG_ENV = "production"
    settings.DELIVERY_CARRIER = FAKE
    with pytest.raises(SystemCheckError, match="delivery.E001"):
        call_command("check", tags=["delivery"])
    settings.DELIVERY_CARRIER = MANUAL_CARRIER
    call_command("check", tags=["delivery"])


class LoudFake(FakeCarrier):
    pass
