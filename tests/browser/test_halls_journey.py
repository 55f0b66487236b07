"""The appointments journey in a real browser: a citizen finds the nearest hall for a
service from its guide, books a time (one question per page) and sees the QR code; a clerk
checks the booking in at the desk and calls the number from a window; the hall's board
shows it. axe-core checks every page visited."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from .axe import assert_accessible
from .test_journeys import CITIZEN_PHONE, staff_login, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def opening_day() -> Iterator[dt.datetime]:
    """The next working day at 08:30 in Guangzhou, with the clock running from there, so
    today's slots are all still ahead whenever the suite runs."""
    from yiwang.core.workdays import working_days_add

    day = working_days_add(timezone.localdate() + dt.timedelta(days=1), 0)
    start = dt.datetime.combine(day, dt.time(8, 30), tzinfo=timezone.get_default_timezone())
    with time_machine.travel(start, tick=True):
        yield start


def citizen_login(page: Any) -> None:
    visit(page, "/accounts/login/")
    page.locator("#phone").fill(CITIZEN_PHONE)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url("**/accounts/login/code/")
    code = page.locator(".yw-notice strong").inner_text().strip()
    page.locator("#code").fill(code)
    page.locator("form[action='/accounts/login/code/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/accounts/(me|complete-profile)/.*"))


def test_citizen_books_at_the_nearest_hall_and_is_called(
    page: Any, browser: Any, live_server: Any, opening_day: dt.datetime
) -> None:
    from yiwang.catalog.demo.load import catalog_demo_load
    from yiwang.halls.demo import halls_demo_load
    from yiwang.halls.models import Booking, Hall

    catalog_demo_load()
    halls_demo_load()
    station = Hall.objects.get(name_zh="石牌街道便民服务站")
    implementation = station.windows.get(number=1).implementations.order_by("item__code").first()
    assert implementation is not None

    visit(page, "/halls/")
    assert "石牌街道便民服务站" in page.locator("main").inner_text()
    visit(page, f"/halls/{station.pk}/")
    assert "09:00–12:00" in page.locator("main").inner_text()

    citizen_login(page)
    visit(page, f"/services/guide/{implementation.pk}/")
    fragment = page.locator("#nearest-halls")
    fragment.wait_for()
    fragment.locator("select[name=region]").select_option("440106006")
    fragment.locator("button[type=submit]").click()
    page.locator("#nearest-halls ol li").first.wait_for()
    assert_accessible(page)
    assert "石牌街道便民服务站" in page.locator("#nearest-halls ol li").first.inner_text()
    page.locator("#nearest-halls ol li").first.locator("a").nth(1).click()

    page.wait_for_url(re.compile(r".*/halls/\d+/book/\d+/$"))
    assert_accessible(page)
    page.locator("input[name=date]").first.check()
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r".*date=.*"))
    assert_accessible(page)
    page.locator("input[name=slot]").first.check()
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/halls/my/")
    assert_accessible(page)
    assert page.locator("main figure svg").count() == 1

    booking = Booking.objects.get(hall=station)
    assert booking.slot.date == opening_day.date()

    staff = browser.new_context(base_url=live_server.url, locale="zh-CN")
    clerk = staff.new_page()
    staff_login(clerk, "clerk.tianhe")
    visit(clerk, f"/halls/staff/{station.pk}/")
    clerk.locator("#qr_token").fill(booking.qr_token)
    clerk.locator("main form button[type=submit]").click()
    clerk.wait_for_url(f"**/halls/staff/{station.pk}/")
    assert "A001" in clerk.locator("main").inner_text()
    assert_accessible(clerk)
    window = station.windows.get(number=1)
    visit(clerk, f"/halls/staff/windows/{window.pk}/")
    clerk.locator("main form button[type=submit]").click()
    clerk.wait_for_url(f"**/halls/staff/windows/{window.pk}/")
    assert "A001" in clerk.locator("main").inner_text()
    assert_accessible(clerk)
    staff.close()

    visit(page, f"/halls/{station.pk}/board/")
    assert "A001" in page.locator("main").inner_text()
