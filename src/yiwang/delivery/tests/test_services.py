"""Services: addresses, the choice, shipping, status changes, receipt, the tracking job."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404

from yiwang.audit.models import AuditEntry
from yiwang.delivery.carriers import FakeCarrier
from yiwang.delivery.models import (
    DeliveryChoice,
    DeliveryEvent,
    DeliveryOrder,
    DeliveryStatus,
    Direction,
    PostalAddress,
)
from yiwang.delivery.services import (
    address_create,
    delivery_choice_set,
    order_confirm_received,
    order_ship,
    order_status_record,
    orders_track,
)
from yiwang.delivery.services.addresses import MSG_REGION_TOO_BROAD, MSG_REGION_UNKNOWN
from yiwang.delivery.services.choices import MSG_MATERIALS_TOO_LATE, MSG_RESULT_SHIPPED
from yiwang.delivery.services.orders import MSG_NOT_DELIVERED, MSG_RESULT_NOT_READY
from yiwang.notify.models import Message

from .factories import (
    SHIPAI,
    address_for,
    application_create,
    citizen,
    clerk,
    hall_serving,
    posted,
    shipped,
)

pytestmark = pytest.mark.django_db


def _good(**over: str) -> dict[str, str]:
    return {"region_code": SHIPAI, "street": "石牌路1号", "recipient_name": "李明",
            "recipient_phone": "13800138000"} | over  # fmt: skip


def test_address_is_encrypted_at_rest_and_masked() -> None:
    user = citizen()
    address = address_for(user, recipient_phone="138 0013 8000")
    assert address.recipient_phone == "13800138000"
    assert address.masked_phone == "138****8000" and address.masked_name == "李*"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT street, recipient_name, recipient_phone FROM delivery_postaladdress "
            "WHERE id = %s",
            [address.pk],
        )
        row = cursor.fetchone()
    assert all("石牌" not in v and "李明" not in v and "13800138000" not in v for v in row)


@pytest.mark.parametrize(
    ("code", "message", "error_code"),
    [
        ("999999999", MSG_REGION_UNKNOWN, "region_unknown"),  # not in the tree
        ("abc", MSG_REGION_UNKNOWN, "region_unknown"),
        ("", MSG_REGION_UNKNOWN, "region_unknown"),
        ("440106", MSG_REGION_TOO_BROAD, "region_too_broad"),  # a district is not enough
    ],
)
def test_address_outside_the_tree_or_too_broad_is_refused(
    code: str, message: str, error_code: str
) -> None:
    from yiwang.accounts.tests.factories import chain_for

    chain_for("440106006002")
    user = citizen()
    with pytest.raises(ValidationError) as exc:
        address_create(owner=user, **_good(region_code=code))
    error = exc.value.error_dict["region"][0]
    assert error.code == error_code and error.message == message
    assert not PostalAddress.objects.filter(owner=user).exists()


def test_address_reports_every_bad_field_at_once() -> None:
    user = citizen()
    with pytest.raises(ValidationError) as exc:
        address_create(
            owner=user, region_code="x", street=" ", recipient_name="", recipient_phone="12345"
        )
    assert set(exc.value.error_dict) == {"region", "street", "recipient_name", "recipient_phone"}
    assert exc.value.error_dict["recipient_phone"][0].code == "phone_format"


def test_choosing_post_opens_a_result_order_with_history() -> None:
    order = posted()
    assert order.status == DeliveryStatus.CREATED and order.region_code == "440106"
    assert order.department_id == order.application.implementation.department_id
    assert list(order.events.values_list("status", "source")) == [("created", "applicant")]


def test_changing_to_pickup_before_shipping_cancels_the_order() -> None:
    order = posted()
    hall = hall_serving(order.application)
    choice = delivery_choice_set(
        user=order.application.applicant, application=order.application,
        result_method="pickup", hall_id=hall.pk,
    )  # fmt: skip
    assert choice.pickup_hall == hall and choice.address is None
    order.refresh_from_db()
    assert order.status == DeliveryStatus.CANCELLED


def test_pickup_at_a_hall_that_does_not_serve_the_item_is_refused() -> None:
    app = application_create()
    other = hall_serving(application_create())
    with pytest.raises(ValidationError) as exc:
        delivery_choice_set(
            user=app.applicant, application=app, result_method="pickup", hall_id=other.pk
        )
    assert exc.value.error_dict["hall"][0].code == "hall_not_serving"
    assert not DeliveryChoice.objects.filter(application=app).exists()


def test_someone_elses_application_or_address_is_not_found() -> None:
    app = application_create()
    stranger = citizen()
    with pytest.raises(Http404):
        delivery_choice_set(user=stranger, application=app, result_method="post",
                            address_id=address_for(stranger).pk)  # fmt: skip
    with pytest.raises(Http404):
        delivery_choice_set(user=app.applicant, application=app, result_method="post",
                            address_id=address_for(stranger).pk)  # fmt: skip
    assert not DeliveryOrder.objects.exists()


def test_new_address_with_a_bad_region_saves_nothing() -> None:
    app = application_create()
    with pytest.raises(ValidationError) as exc:
        delivery_choice_set(user=app.applicant, application=app, result_method="post",
                            new_address=_good(region_code="4401"))  # fmt: skip
    assert exc.value.error_dict["region"][0].code == "region_too_broad"
    assert not PostalAddress.objects.exists() and not DeliveryChoice.objects.exists()


def test_changing_the_choice_after_the_result_shipped_is_refused() -> None:
    order = shipped()
    app = order.application
    hall = hall_serving(app)
    with pytest.raises(ValidationError) as exc:
        delivery_choice_set(user=app.applicant, application=app, result_method="pickup",
                            hall_id=hall.pk)  # fmt: skip
    assert exc.value.code == "result_shipped" and exc.value.message == MSG_RESULT_SHIPPED
    assert DeliveryChoice.objects.get(application=app).result_method == "post"


def test_materials_by_post_before_acceptance_only() -> None:
    app = application_create(status="submitted")
    address = address_for(app.applicant)
    delivery_choice_set(user=app.applicant, application=app, result_method="post",
                        address_id=address.pk, materials_by_post=True)  # fmt: skip
    materials = DeliveryOrder.objects.get(application=app, direction=Direction.MATERIALS_IN)
    assert materials.address == address

    accepted = application_create(status="accepted")
    with pytest.raises(ValidationError) as exc:
        delivery_choice_set(user=accepted.applicant, application=accepted, result_method="post",
                            address_id=address_for(accepted.applicant).pk,
                            materials_by_post=True)  # fmt: skip
    assert exc.value.message == MSG_MATERIALS_TOO_LATE
    assert not DeliveryOrder.objects.filter(application=accepted).exists()


def test_result_order_ships_only_after_approval() -> None:
    order = posted(status="under_review")
    with pytest.raises(ValidationError) as exc:
        order_ship(order=order, by=clerk(), book=True)
    assert exc.value.code == "result_not_ready" and exc.value.message == MSG_RESULT_NOT_READY
    order.refresh_from_db()
    assert order.tracking_number == ""


def test_ship_by_booking_the_fake_carrier_notifies_and_audits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    order = posted()
    officer = clerk()
    with django_capture_on_commit_callbacks(execute=True):
        order = order_ship(order=order, by=officer, book=True)
    assert order.carrier == "fake" and order.tracking_number.startswith("YW")
    assert order.tracking_number == FakeCarrier().book(order=order)  # deterministic
    assert AuditEntry.objects.filter(action="delivery.ship", target_id=str(order.pk)).exists()
    note = Message.objects.get(recipient=order.application.applicant)
    assert order.tracking_number in note.body


def test_ship_by_hand_checks_carrier_and_number() -> None:
    order = posted()
    with pytest.raises(ValidationError) as exc:
        order_ship(order=order, by=clerk(), carrier="nobody", tracking_number="12")
    assert set(exc.value.error_dict) == {"carrier", "tracking_number"}
    order = order_ship(order=order, by=clerk(), carrier="ems", tracking_number="ea123456789cn")
    assert order.tracking_number == "EA123456789CN"


def test_double_ship_and_a_taken_tracking_number_are_refused() -> None:
    order = shipped()
    with pytest.raises(ValidationError) as exc:
        order_ship(order=order, by=clerk(), carrier="ems", tracking_number="EA000000001CN")
    assert exc.value.code == "already_shipped"
    other = posted()
    order_ship(order=other, by=clerk(), carrier="sf", tracking_number="SF1234567890")
    third = posted()
    with pytest.raises(ValidationError) as exc:
        order_ship(order=third, by=clerk(), carrier="sf", tracking_number="SF1234567890")
    assert exc.value.error_dict["tracking_number"][0].code == "tracking_taken"
    third.refresh_from_db()
    assert third.tracking_number == "" and not third.events.filter(kind="shipped").exists()


def test_status_moves_forward_repeats_are_no_ops_backwards_is_refused() -> None:
    order = shipped()
    order, changed = order_status_record(order=order, status="in_transit", source="clerk")
    assert changed and order.status == "in_transit"
    order, changed = order_status_record(order=order, status="in_transit", source="carrier")
    assert not changed
    with pytest.raises(ValidationError) as exc:
        order_status_record(order=order, status="picked_up", source="carrier")
    assert exc.value.code == "status_backwards"
    with pytest.raises(ValidationError) as exc:
        order_status_record(order=order, status="created", source="clerk")
    assert exc.value.error_dict["status"][0].code == "status_unknown"
    order, _ = order_status_record(order=order, status="delivered", source="carrier")
    with pytest.raises(ValidationError) as exc:
        order_status_record(order=order, status="returned", source="carrier")
    assert exc.value.code == "status_final"
    assert list(order.events.filter(kind="status").values_list("status", flat=True)) == [
        "created", "in_transit", "delivered",
    ]  # fmt: skip


def test_status_before_shipping_is_refused() -> None:
    order = posted()
    with pytest.raises(ValidationError) as exc:
        order_status_record(order=order, status="picked_up", source="clerk")
    assert exc.value.code == "not_shipped"


def test_confirm_received_only_after_delivery_and_only_by_the_applicant() -> None:
    order = shipped()
    applicant = order.application.applicant
    with pytest.raises(ValidationError) as exc:
        order_confirm_received(user=applicant, order=order)
    assert exc.value.code == "not_delivered" and exc.value.message == MSG_NOT_DELIVERED
    order_status_record(order=order, status="delivered", source="carrier")
    with pytest.raises(Http404):
        order_confirm_received(user=citizen(), order=order)
    order = order_confirm_received(user=applicant, order=order)
    first = order.received_confirmed_at
    assert first is not None
    order = order_confirm_received(user=applicant, order=order)  # twice: no change
    assert order.received_confirmed_at == first
    assert order.events.filter(kind="received").count() == 1


def test_tracking_job_advances_with_time_and_is_idempotent(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        order = shipped()
    assert order.shipped_at is not None
    assert orders_track(now=order.shipped_at + dt.timedelta(minutes=5)) == 0
    assert orders_track(now=order.shipped_at + dt.timedelta(hours=3)) == 2
    order.refresh_from_db()
    assert order.status == "in_transit"
    assert orders_track(now=order.shipped_at + dt.timedelta(hours=3)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert orders_track(now=order.shipped_at + dt.timedelta(days=2)) == 1
    order.refresh_from_db()
    assert order.status == "delivered" and order.delivered_at is not None
    assert DeliveryEvent.objects.filter(order=order, source="carrier").count() == 3
    templates = set(Message.objects.values_list("template", flat=True))
    assert {"delivery_shipped", "delivery_delivered"} <= templates


def test_materials_picked_up_notifies_the_applicant(
    django_capture_on_commit_callbacks: Any,
) -> None:
    app = application_create(status="submitted")
    address = address_for(app.applicant)
    delivery_choice_set(user=app.applicant, application=app, result_method="post",
                        address_id=address.pk, materials_by_post=True)  # fmt: skip
    order = DeliveryOrder.objects.get(application=app, direction=Direction.MATERIALS_IN)
    order = order_ship(order=order, by=clerk(), book=True)
    with django_capture_on_commit_callbacks(execute=True):
        order_status_record(order=order, status="picked_up", source="carrier")
    assert Message.objects.filter(template="delivery_materials_picked_up").exists()


def test_returned_parcel_lets_the_applicant_choose_again(
    django_capture_on_commit_callbacks: Any,
) -> None:
    order = shipped()
    with django_capture_on_commit_callbacks(execute=True):
        order_status_record(order=order, status="returned", source="carrier")
    app = order.application
    hall = hall_serving(app)
    delivery_choice_set(user=app.applicant, application=app, result_method="pickup",
                        hall_id=hall.pk)  # fmt: skip
    assert Message.objects.filter(template="delivery_returned").exists()


def test_events_are_append_only() -> None:
    event = posted().events.get()
    event.note = "changed"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "template",
    ["delivery_shipped", "delivery_delivered", "delivery_returned", "delivery_materials_picked_up"],
)
def test_notification_templates_render_in_both_languages(template: str, language: str) -> None:
    from yiwang.notify.rendering import message_render

    context = {"number": "2026001", "service_zh": "社会保险参保证明打印",
               "service_en": "Social insurance record", "carrier_zh": "演示快递",
               "carrier_en": "Demo courier", "tracking_number": "YW0000000011CN",
               "recipient_name": "李明"}  # fmt: skip
    rendered = message_render(template=template, context=context, language=language)
    text = f"{rendered.subject} {rendered.body} {rendered.sms}"
    assert "2026001" in text and "YW0000000011CN" in text
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in rendered.subject)
    assert chinese == (language == "zh-hans")


def test_materials_of_a_draft_are_not_collected_until_it_is_submitted() -> None:
    from yiwang.delivery.selectors import orders_for_staff

    app = application_create(status="draft")
    address = address_for(app.applicant)
    delivery_choice_set(user=app.applicant, application=app, result_method="post",
                        address_id=address.pk, materials_by_post=True)  # fmt: skip
    order = DeliveryOrder.objects.get(application=app, direction=Direction.MATERIALS_IN)
    officer = clerk()
    assert order not in orders_for_staff(user=officer)
    with pytest.raises(ValidationError) as exc:
        order_ship(order=order, by=officer, book=True)
    assert exc.value.code == "materials_not_open"
    app.status = "submitted"
    app.save(update_fields=["status"])
    assert order in orders_for_staff(user=officer)
    assert order_ship(order=order, by=officer, book=True).tracking_number
