"""The postal delivery journey (邮寄办) in a real browser: the demo citizen chooses to have
the result of an approved application posted to a new 石牌街道 address (region picker); the
demo clerk books the carrier; the parcel moves on (by hand and by the tracking job); the
citizen confirms receipt. axe-core checks every page; screenshots go to /tmp/shots-delivery."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest

from .axe import assert_accessible
from .test_halls_journey import citizen_login
from .test_journeys import CITIZEN_PHONE, CLERK, staff_login, visit

pytestmark = pytest.mark.browser
SHOTS = Path(tempfile.gettempdir()) / "shots-delivery"
DESKTOP = {"width": 1280, "height": 900}


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _approved_application() -> Any:
    from yiwang.accounts.models import CitizenProfile
    from yiwang.accounts.services.citizens import phone_index
    from yiwang.delivery.tests.factories import application_create, hall_serving

    citizen = CitizenProfile.objects.get(phone_index=phone_index(CITIZEN_PHONE)).user
    application = application_create(user=citizen, region_code="440106")
    hall_serving(application)
    return application


def _pick_region(page: Any, codes: list[str]) -> None:
    for depth, code in enumerate(codes, 1):
        select = page.locator(f"#region-region-picker-{depth}")
        select.wait_for()
        select.select_option(code)
        page.locator(f"#region-region-picker-{depth + 1}").wait_for()


def test_result_is_posted_tracked_and_confirmed(page: Any, browser: Any, live_server: Any) -> None:
    from yiwang.delivery.models import DeliveryOrder
    from yiwang.delivery.services import orders_track

    application = _approved_application()
    detail = f"/applications/{application.number}/"

    citizen_login(page)
    visit(page, f"/delivery/applications/{application.number}/choose/")
    page.set_viewport_size(DESKTOP)
    _shot(page, "citizen-choose-desktop-zh")
    page.set_viewport_size({"width": 390, "height": 844})
    visit(page, detail)
    panel = page.locator("#delivery-panel")
    panel.wait_for()
    assert_accessible(page)
    _shot(page, "citizen-choice-phone-zh")
    panel.locator("#delivery-method-post").check()
    panel.locator("#delivery-address-new").check()
    _pick_region(page, ["44", "4401", "440106", "440106006"])
    panel.locator("#delivery-street").fill("石牌东路88号5栋601房")
    panel.locator("#delivery-recipient_name").fill("李明")
    panel.locator("#delivery-recipient_phone").fill(CITIZEN_PHONE)
    assert not panel.locator("#delivery-hall").is_visible()  # only what "by post" needs
    _shot(page, "citizen-choice-filled-phone-zh")
    panel.locator("button[type=submit]").last.click()
    page.wait_for_url(f"**{detail}")
    page.locator("#delivery-panel").wait_for()
    assert "准备中" in page.locator("#delivery-panel").inner_text()
    assert_accessible(page)
    order = DeliveryOrder.objects.get(application=application)
    assert order.address.region_id == "440106006"

    staff = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=DESKTOP)
    clerk = staff.new_page()
    staff_login(clerk, CLERK)
    visit(clerk, "/delivery/staff/")
    _shot(clerk, "staff-list-desktop-zh")
    clerk.get_by_role("link", name=order.reference).click()
    clerk.wait_for_url(f"**/delivery/staff/{order.pk}/")
    assert_accessible(clerk)
    clerk.locator("form[action$='/ship/'] button[type=submit]").first.click()
    clerk.wait_for_url(f"**/delivery/staff/{order.pk}/")
    order.refresh_from_db()
    assert order.tracking_number.startswith("YW")
    assert order.tracking_number in clerk.locator("main").inner_text()
    assert_accessible(clerk)
    clerk.locator("#order-status").select_option("in_transit")
    clerk.locator("#order-location").fill("广州邮件处理中心")
    clerk.locator("form[action$='/status/'] button[type=submit]").click()
    clerk.wait_for_url(f"**/delivery/staff/{order.pk}/")
    assert "运输中" in clerk.locator("main").inner_text()
    assert_accessible(clerk)
    _shot(clerk, "staff-order-desktop-zh")
    clerk.get_by_role("button", name="English").click()
    clerk.wait_for_load_state()
    assert "Record where the parcel is" in clerk.locator("main").inner_text()
    assert_accessible(clerk)
    _shot(clerk, "staff-order-desktop-en")
    clerk.set_viewport_size({"width": 390, "height": 844})
    visit(clerk, "/delivery/staff/")
    _shot(clerk, "staff-list-phone-en")
    staff.close()

    assert order.shipped_at is not None
    assert orders_track(now=order.shipped_at + dt.timedelta(days=1, minutes=1)) == 1
    order.refresh_from_db()
    assert order.status == "delivered"

    visit(page, detail)
    panel = page.locator("#delivery-panel")
    panel.wait_for()
    assert order.tracking_number in panel.inner_text()
    assert_accessible(page)
    _shot(page, "citizen-delivered-phone-zh")
    panel.get_by_role("button", name="我已收到").click()
    page.wait_for_url(f"**{detail}")
    page.locator("#delivery-panel").wait_for()
    assert "您已确认签收" in page.locator("#delivery-panel").inner_text()
    order.refresh_from_db()
    assert order.received_confirmed_at is not None

    visit(page, "/delivery/my/")
    assert order.tracking_number in page.locator("main").inner_text()
    _shot(page, "citizen-my-phone-zh")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert re.search(r"My deliveries", page.locator("main").inner_text())
    _shot(page, "citizen-my-phone-en")


def test_returned_result_is_corrected_and_sent_again(
    page: Any, browser: Any, live_server: Any, settings: Any
) -> None:
    """The result comes back; the citizen is told and corrects the address; the clerk sees
    the correction and sends the result again as a new, linked parcel, which (no carrier
    connected: the manual carrier) they ship by typing the EMS number."""
    from yiwang.accounts.models import User
    from yiwang.delivery.models import DeliveryOrder
    from yiwang.delivery.services import order_ship, order_status_record
    from yiwang.delivery.tests.factories import posted

    application = _approved_application()
    returned = posted(application)
    order_ship(order=returned, by=User.objects.get(username=CLERK), book=True)
    order_status_record(order=returned, status="returned", source="carrier", note="查无此人")
    detail = f"/applications/{application.number}/"

    citizen_login(page)
    visit(page, detail)
    panel = page.locator("#delivery-panel")
    panel.wait_for()
    assert "退回" in panel.locator("#delivery-returned").inner_text()
    assert_accessible(page)
    _shot(page, "citizen-returned-phone-zh")
    panel.get_by_role("link", name="核对或修改邮寄地址").click()
    page.wait_for_url("**/choose/")
    page.locator("#delivery-address-new").check()
    _pick_region(page, ["44", "4401", "440106", "440106006"])
    page.locator("#delivery-street").fill("石牌东路88号华师社区5栋601房")
    page.locator("#delivery-recipient_name").fill("李明")
    page.locator("#delivery-recipient_phone").fill(CITIZEN_PHONE)
    page.locator("form.yw-delivery-form button[type=submit]").last.click()
    page.wait_for_url(f"**{detail}")
    page.locator("#delivery-panel").wait_for()
    assert "华师社区" in page.locator("#delivery-panel").inner_text()
    assert DeliveryOrder.objects.filter(application=application).count() == 1  # clerk resends

    staff = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=DESKTOP)
    clerk = staff.new_page()
    staff_login(clerk, CLERK)
    visit(clerk, f"/delivery/staff/{returned.pk}/")
    notice = clerk.locator("#order-resend")
    assert "地址已更正" in notice.inner_text()
    assert_accessible(clerk)
    _shot(clerk, "staff-returned-desktop-zh")
    notice.get_by_role("button", name="重新寄送办理结果").click()
    again = DeliveryOrder.objects.exclude(pk=returned.pk).get(application=application)
    clerk.wait_for_url(f"**/delivery/staff/{again.pk}/")
    assert again.resent_from_id == returned.pk and again.address.street.startswith("石牌东路88号")
    assert returned.reference in clerk.locator("#order-resent-from").inner_text()
    assert_accessible(clerk)
    _shot(clerk, "staff-resent-desktop-zh")
    clerk.get_by_role("button", name="English").click()
    clerk.wait_for_load_state()
    assert "sends the result again" in clerk.locator("main").inner_text()
    _shot(clerk, "staff-resent-desktop-en")
    visit(clerk, f"/delivery/staff/{returned.pk}/")
    assert again.reference in clerk.locator("#order-resend").inner_text()
    _shot(clerk, "staff-returned-desktop-en")
    settings.DELIVERY_CARRIER = "yiwang.delivery.carriers.ManualCarrier"
    visit(clerk, f"/delivery/staff/{again.pk}/")
    assert clerk.locator("input[name=book]").count() == 0
    clerk.locator("#order-carrier").select_option("ems")
    clerk.locator("#order-tracking_number").fill("EA123456785CN")
    assert_accessible(clerk)
    _shot(clerk, "staff-manual-ship-desktop-en")
    clerk.locator("form[action$='/ship/'] button[type=submit]").click()
    clerk.wait_for_url(f"**/delivery/staff/{again.pk}/")
    again.refresh_from_db()
    assert (again.carrier, again.tracking_number) == ("ems", "EA123456785CN")
    staff.close()

    visit(page, detail)
    panel = page.locator("#delivery-panel")
    panel.wait_for()
    assert page.locator("#delivery-returned").count() == 0
    assert "已重新寄送" in panel.inner_text() and "EA123456785CN" in panel.inner_text()
    assert_accessible(page)
    _shot(page, "citizen-resent-phone-zh")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    page.locator("#delivery-panel").wait_for()
    assert "It has been sent again." in page.locator("#delivery-panel").inner_text()
    _shot(page, "citizen-resent-phone-en")
