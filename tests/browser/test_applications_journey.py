"""The online application journeys in a real browser, axe-core on every page visited:

- 补正: the demo citizen applies for 个体工商户设立登记 from its guide; the demo clerk leaves
  an internal note and asks for a supplement; the citizen supplies it; the clerk accepts and
  approves; the citizen sees the decision and the business licence in the wallet, then
  applies for 食品经营许可 offering that licence instead of an upload (免提交), and the clerk
  sees it as a verified e-certificate.
- 即办: 社会保险参保证明 is approved by the rules at once and lands in the wallet.
- Parallel: the demo's 食品经营许可 waiting at 现场核查 is finished by inspector.tianhe, then
  approved by clerk.tianhe, and the food licence lands in the wallet."""

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


def _note(clerk: Any, number: str, text: str) -> None:
    visit(clerk, f"/applications/staff/?view=pool&number={number}")
    clerk.get_by_role("link", name=number).click()
    clerk.wait_for_url(re.compile(r".*/applications/staff/tasks/\d+/$"))
    clerk.locator("#comment").fill(text)
    clerk.locator("form[action$='/comment/'] button[type=submit]").click()
    clerk.wait_for_url(re.compile(r".*/applications/staff/tasks/\d+/#timeline$"))
    assert_accessible(clerk)
    assert text in clerk.locator("#timeline + ol").inner_text()


def test_citizen_applies_supplements_and_is_approved(
    page: Any, browser: Any, live_server: Any
) -> None:
    from yiwang.applications.models import Application, Status
    from yiwang.catalog.models import Implementation

    _demo()
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
    page.locator("input[name=business_name]").fill("天河区李明小吃店")
    page.locator("input[name=business_scope]").fill("小吃服务")
    page.locator("input[name=premises_address]").fill("广州市天河区华师路12号")
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
    _note(clerk, application.number, "场所证明需核对原件")
    _take_and_act(clerk, application.number, "supplement", checklist="经营场所使用证明")

    visit(page, f"/applications/{application.number}/")
    assert "经营场所使用证明" in page.locator("main").inner_text()
    assert "场所证明需核对原件" not in page.locator("main").inner_text()
    page.locator(f"a[href='/applications/{application.number}/supplement/']").click()
    page.wait_for_url("**/supplement/")
    assert_accessible(page)
    page.locator("input[name=contact_phone]").fill("13900139000")
    page.locator("main form:not([enctype]) button[type=submit]").click()
    page.wait_for_url(f"**/applications/{application.number}/")

    _take_and_act(clerk, application.number, "accept")
    _take_and_act(clerk, application.number, "approve")

    visit(page, f"/applications/{application.number}/")
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert application.form_data["contact_phone"] == "13900139000"
    assert "准予办理" in page.locator("main").inner_text()
    licence = application.result_certificate
    assert licence is not None
    page.locator(f"main dd a[href='/certificates/{licence.number}/']").click()
    page.wait_for_url(f"**/certificates/{licence.number}/")
    assert_accessible(page)
    assert "天河区李明小吃店" in page.locator("main").inner_text()

    # 免提交: a later application offers the licence instead of uploading it.
    food = Implementation.objects.get(item__code="SJ-0003", region_id="440106")
    visit(page, f"/applications/apply/{food.pk}/")
    page.locator("input[name=contact_phone]").fill("13800138000")
    page.locator("input[name=delivery][value=electronic]").check()
    page.locator("input[name=main_business][value=餐饮服务经营者]").check()
    page.locator("input[name=food_items]").fill("热食类食品制售")
    page.locator("input[name=premises_address]").fill("广州市天河区华师路12号")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/edit/$"))
    pick = page.locator("form[action$='/certificate/']")
    assert licence.number in pick.inner_text()
    assert_accessible(page)
    pick.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/edit/$"))
    assert_accessible(page)
    assert "电子证照" in page.locator("main table").inner_text()
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/$"))
    food_application = Application.objects.get(implementation=food)
    visit(clerk, "/applications/staff/?view=pool")
    clerk.get_by_role("link", name=food_application.number).click()
    clerk.wait_for_url(re.compile(r".*/applications/staff/tasks/\d+/$"))
    assert_accessible(clerk)
    assert "电子证照，已核验" in clerk.locator("main").inner_text()
    assert licence.number in clerk.locator("main").inner_text()
    staff.close()


def _demo(with_cases: bool = False) -> Any:
    from yiwang.accounts.models import User
    from yiwang.applications.demo import (
        applications_demo_cases,
        applications_demo_load,
        demo_citizen,
    )
    from yiwang.catalog.demo.load import catalog_demo_load
    from yiwang.certificates.demo import demo_certificates_load

    catalog_demo_load()
    demo_certificates_load()
    applications_demo_load(admin=User.objects.get(username="admin"))
    if with_cases:
        citizen = demo_citizen()
        assert citizen is not None
        return applications_demo_cases(citizen=citizen, clerk=User.objects.get(username=CLERK))
    return None


def test_instant_item_ends_with_the_certificate_in_the_wallet(page: Any) -> None:
    from yiwang.applications.demo import _implementation_for
    from yiwang.applications.models import Application, Status

    _demo()
    implementation = _implementation_for("RS-0001")
    assert implementation is not None
    citizen_login(page)
    visit(page, f"/applications/apply/{implementation.pk}/")
    page.locator("input[name=contact_phone]").fill("13800138000")
    page.locator("input[name=delivery][value=electronic]").check()
    page.locator("input[name=insurance_types][value='养老、医疗、失业、工伤、生育']").check()
    page.locator("input[name=insured_since]").fill("2015-07")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/edit/$"))
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/$"))
    assert_accessible(page)
    application = Application.objects.get()
    assert application.status == Status.APPROVED
    main = page.locator("main").inner_text()
    assert "您已完成实名认证" in main  # the rule's reason
    assert "电子证照已发放至“我的证照”" in main
    visit(page, "/certificates/")
    page.get_by_role("link", name="社会保险参保证明").click()
    assert application.result_certificate is not None
    page.wait_for_url(f"**/certificates/{application.result_certificate.number}/")
    assert_accessible(page)


def test_parallel_item_is_finished_by_the_inspector_and_the_clerk(
    page: Any, browser: Any, live_server: Any
) -> None:
    from yiwang.applications.models import Application, Status

    number = _demo(with_cases=True)["food"]
    staff = browser.new_context(base_url=live_server.url, locale="zh-CN")
    inspector = staff.new_page()
    staff_login(inspector, "inspector.tianhe")
    _take_and_act(inspector, number, "complete")
    staff.close()
    staff = browser.new_context(base_url=live_server.url, locale="zh-CN")
    clerk = staff.new_page()
    staff_login(clerk, CLERK)
    _take_and_act(clerk, number, "approve")
    staff.close()
    application = Application.objects.get(number=number)
    assert application.status == Status.APPROVED
    assert application.result_certificate is not None
    assert application.result_certificate.certificate_type.code == "food_business_licence"
    citizen_login(page)
    visit(page, "/certificates/")
    assert "食品经营许可证" in page.locator("main").inner_text()
