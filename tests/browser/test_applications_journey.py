"""The online application journey with 补正 in a real browser: the demo citizen applies for
个体工商户设立登记 from its guide; the demo clerk asks for a supplement; the citizen
supplies it; the clerk accepts and approves; the citizen sees the decision. axe-core checks
every page visited."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .axe import assert_accessible
from .test_halls_journey import citizen_login
from .test_journeys import CLERK, staff_login, visit

pytestmark = pytest.mark.browser


def _take_and_act(clerk: Any, number: str, action: str, **fields: str) -> None:
    visit(clerk, "/applications/staff/?view=pool")
    clerk.get_by_role("link", name=number).click()
    clerk.wait_for_url(re.compile(r".*/applications/staff/tasks/\d+/$"))
    assert_accessible(clerk)
    clerk.locator("form[action$='/claim/'] button[type=submit]").click()
    clerk.wait_for_url(re.compile(r".*/applications/staff/tasks/\d+/$"))
    clerk.locator(f"#action-{action}").check()
    for name, value in fields.items():
        clerk.locator(f"#{name}").fill(value)
    assert_accessible(clerk)
    clerk.locator("form[action$='/act/'] button[type=submit]").click()
    clerk.wait_for_url("**/applications/staff/")


def test_citizen_applies_supplements_and_is_approved(
    page: Any, browser: Any, live_server: Any
) -> None:
    from yiwang.accounts.models import User
    from yiwang.applications.demo import applications_demo_load
    from yiwang.applications.models import Application, Status
    from yiwang.catalog.demo.load import catalog_demo_load
    from yiwang.catalog.models import Implementation

    catalog_demo_load()
    applications_demo_load(admin=User.objects.get(username="admin"))
    implementation = Implementation.objects.get(item__code="SJ-0001", region_id="440106")

    citizen_login(page)
    visit(page, f"/services/guide/{implementation.pk}/")
    apply_link = page.locator(f"a[href='/applications/apply/{implementation.pk}/']")
    apply_link.wait_for()
    assert_accessible(page)
    apply_link.click()
    page.wait_for_url(f"**/applications/apply/{implementation.pk}/")
    assert_accessible(page)
    page.locator("input[name=contact_phone]").fill("13800138000")
    page.locator("input[name=delivery][value=electronic]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/edit/$"))
    assert_accessible(page)
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/$"))
    assert_accessible(page)
    application = Application.objects.get()
    assert application.status == Status.SUBMITTED

    staff = browser.new_context(base_url=live_server.url, locale="zh-CN")
    clerk = staff.new_page()
    staff_login(clerk, CLERK)
    _take_and_act(clerk, application.number, "supplement", checklist="经营场所使用证明")

    visit(page, f"/applications/{application.number}/")
    assert "经营场所使用证明" in page.locator("main").inner_text()
    page.locator(f"a[href='/applications/{application.number}/supplement/']").click()
    page.wait_for_url("**/supplement/")
    assert_accessible(page)
    page.locator("input[name=contact_phone]").fill("13900139000")
    page.locator("main form:not([enctype]) button[type=submit]").click()
    page.wait_for_url(f"**/applications/{application.number}/")

    _take_and_act(clerk, application.number, "accept")
    _take_and_act(clerk, application.number, "approve")
    staff.close()

    visit(page, f"/applications/{application.number}/")
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert application.form_data["contact_phone"] == "13900139000"
    assert "准予办理" in page.locator("main").inner_text()
