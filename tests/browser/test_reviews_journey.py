"""The 好差评 journey in a real browser: the demo citizen rates a finished application
不满意 from its page; clerk.tianhe (the responsible 天河区市场监管局) reads the reviewer's
contact for the callback, records the callback and the rectification result; the citizen
sees the result on the application page. axe-core checks every page visited; screenshots
of the pages (phone zh, desktop en) go to /tmp/shots-reviews/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .axe import assert_accessible
from .conftest import PHONE
from .test_halls_journey import citizen_login
from .test_journeys import DESKTOP, staff_login, visit

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-reviews")  # noqa: S108 - screenshots to look at, not data


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _finished_application() -> Any:
    from yiwang.applications.demo import demo_citizen
    from yiwang.reviews.tests.factories import finished_application

    citizen = demo_citizen()
    assert citizen is not None
    return finished_application(user=citizen, region_code="440106")


def test_citizen_rates_badly_and_sees_the_rectification_come_back(
    page: Any, browser: Any, live_server: Any
) -> None:
    from yiwang.accounts.models import User
    from yiwang.reviews.models import OrderStatus, RectificationOrder

    application = _finished_application()
    citizen_login(page)

    visit(page, f"/applications/{application.number}/")
    page.get_by_role("link", name="评价本次服务").click()
    page.wait_for_url(f"**/reviews/rate/application/{application.number}/")
    assert_accessible(page)
    assert "15" in page.locator("main .yw-hint").first.inner_text()
    shot(page, "rate-zh-phone")

    page.locator("main button[type=submit]").click()  # nothing chosen: errors, not a crash
    page.wait_for_load_state()
    assert page.locator(".yw-error-summary").count() == 1
    assert_accessible(page)
    shot(page, "rate-errors-zh-phone")

    page.get_by_label("不满意", exact=True).first.check()
    for fieldset in page.locator("main fieldset").all()[1:-1]:
        fieldset.get_by_label("不满意", exact=True).check()
    page.locator("#comment").fill("材料清单没写要带原件，让我跑了两趟。")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/thanks/")
    assert_accessible(page)
    shot(page, "thanks-zh-phone")

    order = RectificationOrder.objects.get(rating__subject_ref=application.number)
    assert order.department == application.implementation.department
    assert User.objects.get(username="clerk.tianhe").staff.department == order.department
    assert order.department.name in page.locator("main").inner_text()

    staff = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE)
    clerk = staff.new_page()
    staff_login(clerk, "clerk.tianhe")
    visit(clerk, "/reviews/staff/")
    shot(clerk, "staff-index-zh-phone")
    clerk.get_by_role("link", name=order.reference).click()
    clerk.wait_for_url(f"**/reviews/staff/orders/{order.pk}/")
    assert_accessible(clerk)
    clerk.get_by_role("button", name="查看联系方式").click()
    clerk.wait_for_url(f"**/reviews/staff/orders/{order.pk}/contact/")
    assert "13800138000" in clerk.locator("main").inner_text()
    assert_accessible(clerk)

    clerk.locator("#callback-reviewer_said").fill("评价人希望办事指南写明需带原件。")
    clerk.get_by_role("button", name="保存回访记录").click()
    clerk.wait_for_url(f"**/reviews/staff/orders/{order.pk}/")
    assert_accessible(clerk)
    clerk.locator("#result-result").fill(
        "已在办事指南中写明需携带原件，并对窗口人员开展一次性告知培训。"
    )
    clerk.locator("#result-public_summary").fill("评价人13800138000反映办事指南未写明需带原件")
    clerk.get_by_role("button", name="反馈整改结果并办结工单").click()
    clerk.wait_for_load_state()  # a phone number in the published text: refused at the field
    assert "请删除其中的手机号码" in clerk.locator("#result-public_summary-error").inner_text()
    assert_accessible(clerk)
    shot(clerk, "order-phone-refused-zh-phone")
    clerk.locator("#result-public_summary").fill("办事指南未写明需携带材料原件")
    clerk.get_by_role("button", name="反馈整改结果并办结工单").click()
    clerk.wait_for_url(f"**/reviews/staff/orders/{order.pk}/")
    assert_accessible(clerk)
    shot(clerk, "order-zh-phone")
    order.refresh_from_db()
    assert order.status == OrderStatus.RESOLVED
    visit(clerk, "/reviews/staff/statistics/")
    shot(clerk, "staff-statistics-zh-phone")
    staff.close()

    visit(page, f"/applications/{application.number}/")
    page.get_by_text("一次性告知培训").wait_for()
    assert_accessible(page)
    assert "已整改" in page.locator("main").inner_text()
    shot(page, "application-rated-zh-phone")

    # 回访: not satisfied with the result → the order opens again for one more round.
    page.get_by_label("不满意", exact=True).last.check()
    page.locator("main textarea[name=comment]").fill("指南改了，但窗口还是要求复印件。")
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_url("**/reviews/my/")
    assert_accessible(page)
    assert "不满意" in page.locator("main").inner_text()
    shot(page, "my-verdict-zh-phone")
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN and order.round == 2

    visit(page, "/reviews/rectifications/")
    assert "李明" not in page.locator("main").inner_text()
    shot(page, "rectifications-zh-phone")

    # The public figures: the province by default, then one city through the region picker.
    visit(page, "/reviews/satisfaction/")
    picker = page.locator("#region-region-picker select").first
    picker.wait_for()
    assert_accessible(page)
    page.locator("#region-region-picker select").nth(1).select_option("4401")
    page.locator("#region-region-picker select").nth(2).wait_for()
    page.get_by_role("button", name="查看统计").click()
    page.wait_for_url("**/reviews/satisfaction/?region=4401")
    assert "广州" in page.locator("#figures-title").inner_text()
    assert_accessible(page)
    shot(page, "satisfaction-region-zh-phone")
    response = page.goto("/reviews/satisfaction/?region=999999")  # not in the tree: 404 page
    assert response is not None and response.status == 404
    assert "没有代码为" in page.locator("main").inner_text()
    shot(page, "satisfaction-unknown-zh-phone")


def _first_round_not_satisfied(order: Any) -> None:
    from django.utils import timezone

    from yiwang.accounts.models import User
    from yiwang.reviews import services

    clerk = User.objects.get(username="clerk.tianhe")
    services.callback_record(
        order=order, by=clerk, called_at=timezone.now(), method="phone",
        reviewer_said="The reviewer waited two hours.",
    )  # fmt: skip
    services.order_result_record(
        order=order, by=clerk, result="A second counter opens at busy times.",
        public_summary="Long waits at the counter",
    )  # fmt: skip
    services.result_feedback_give(
        order=order, rater=order.rating.rater, satisfied=False, comment="Still long waits."
    )


def test_the_pages_in_english_on_a_desktop(page: Any, browser: Any, live_server: Any) -> None:
    from yiwang.reviews.tests.factories import rate

    application = _finished_application()
    rating = rate(user=application.applicant, subject=application, level=1)
    _first_round_not_satisfied(rating.order)
    page.set_viewport_size(DESKTOP)
    citizen_login(page)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    for path, name in [
        ("/reviews/my/", "my-en-desktop"),
        ("/reviews/satisfaction/", "satisfaction-en-desktop"),
        (f"/applications/{application.number}/", "application-en-desktop"),
    ]:
        visit(page, path)
        page.wait_for_load_state("networkidle")
        assert_accessible(page)
        shot(page, name)
    assert re.search(r"Dissatisfied|Very dissatisfied", page.locator("main").inner_text())

    staff = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=DESKTOP)
    staff.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    clerk = staff.new_page()
    staff_login(clerk, "clerk.tianhe")
    for path, name in [
        ("/reviews/staff/", "staff-index-en-desktop"),
        (f"/reviews/staff/orders/{rating.order.pk}/", "staff-order-en-desktop"),
        ("/reviews/staff/statistics/", "staff-statistics-en-desktop"),
    ]:
        visit(clerk, path)
        shot(clerk, name)
    staff.close()
