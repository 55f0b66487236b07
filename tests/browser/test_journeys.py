"""The foundation journeys in a real browser: a citizen logs in with a phone code, switches
to English and reads the inbox; a county clerk logs in with password + TOTP and lands on the
workbench scoped to their region. axe-core checks every page visited."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .axe import assert_accessible

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
CITIZEN_PHONE = "13800138000"
CLERK = "clerk.tianhe"

pytestmark = pytest.mark.browser


def visit(page: Any, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    assert_accessible(page)


def test_home_and_design_pages_are_accessible_in_both_languages_and_widths(page: Any) -> None:
    visit(page, "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)
    visit(page, "/design/")
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert_accessible(page)


def test_keyboard_users_can_skip_to_the_main_content(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert "yw-skip-link" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_citizen_logs_in_with_a_phone_code_switches_to_english_and_reads_the_inbox(
    page: Any,
) -> None:
    visit(page, "/accounts/login/")
    page.locator("#phone").fill(CITIZEN_PHONE)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url("**/accounts/login/code/")
    assert_accessible(page)
    code = page.locator(".yw-notice strong").inner_text().strip()
    assert re.fullmatch(r"\d{6}", code), code

    # The development SMS inbox shows the same code as the "text message" sent.
    inbox = page.context.new_page()
    inbox.goto("/messages/dev-sms/")
    assert code in inbox.locator("main").inner_text()
    assert_accessible(inbox)
    inbox.close()

    page.locator("#code").fill(code)
    page.locator("form[action='/accounts/login/code/'] button[type=submit]").click()
    page.wait_for_url("**/accounts/me/")
    assert_accessible(page)
    assert "3800" not in page.locator("main").inner_text().replace("138****8000", "")

    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/accounts/me/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)

    visit(page, "/messages/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").first.is_visible()

    visit(page, "/audit/my-data-reads/")
    page.set_viewport_size(DESKTOP)
    visit(page, "/accounts/me/")


def staff_login(page: Any, username: str) -> None:
    """Password, then the TOTP code the staff member's authenticator would show now."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from yiwang.accounts.demo import DEMO_PASSWORD

    visit(page, "/accounts/staff/login/")
    page.locator("#username").fill(username)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("form[action='/accounts/staff/login/'] button[type=submit]").click()
    page.wait_for_url("**/accounts/staff/login/totp/")
    assert_accessible(page)
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.locator("#token").fill(f"{totp.token():0{device.digits}d}")
    page.locator("form[action='/accounts/staff/login/totp/'] button[type=submit]").click()
    page.wait_for_url("**/accounts/workbench/")
    assert_accessible(page)


def test_staff_logs_in_with_password_and_totp_and_sees_their_region(page: Any) -> None:
    page.set_viewport_size(DESKTOP)
    staff_login(page, CLERK)
    main = page.locator("main").inner_text()
    assert "天河区" in main
    assert "440106" in main
    page.set_viewport_size(PHONE)
    visit(page, "/accounts/workbench/")
    # A clerk may not read the audit log: refused, not shown.
    assert page.goto("/audit/").status == 403


def test_city_supervisor_reads_the_audit_log_of_their_region(page: Any) -> None:
    page.set_viewport_size(DESKTOP)
    staff_login(page, "supervisor.guangzhou")
    assert "4401" in page.locator("main").inner_text()
    visit(page, "/audit/")


def test_wrong_totp_code_is_refused_in_the_users_language(page: Any) -> None:
    from yiwang.accounts.demo import DEMO_PASSWORD

    visit(page, "/accounts/staff/login/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    page.locator("#username").fill(CLERK)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("form[action='/accounts/staff/login/'] button[type=submit]").click()
    page.wait_for_url("**/accounts/staff/login/totp/")
    page.locator("#token").fill("000000")
    page.locator("form[action='/accounts/staff/login/totp/'] button[type=submit]").click()
    summary = page.locator(".yw-error-summary")
    summary.wait_for()
    assert page.title().startswith("Error:")
    assert_accessible(page)
    assert "/accounts/workbench/" not in page.url


def test_the_axe_check_catches_a_violation(browser: Any) -> None:
    """The harness itself: an image without alternative text is a critical violation."""
    from .axe import axe_violations

    context = browser.new_context()
    try:
        bare = context.new_page()
        bare.set_content('<html lang="en"><title>t</title><main><img src="x.png"></main></html>')
        assert [v["id"] for v in axe_violations(bare)] == ["image-alt"]
        with pytest.raises(pytest.fail.Exception, match="image-alt"):
            assert_accessible(bare)
    finally:
        context.close()
