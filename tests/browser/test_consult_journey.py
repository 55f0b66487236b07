"""The consultation journey in a real browser: the demo citizen asks a question from a
service's guide, is shown matching published answers first (htmx as they type), sends the
question once none fits; clerk.tianhe answers it from the inbox; the citizen reads the
answer. axe-core checks every page visited.

Set ``YIWANG_SHOTS_DIR`` to also save screenshots of the pages (phone in Chinese, desktop in
English)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from .axe import assert_accessible
from .test_halls_journey import citizen_login
from .test_journeys import staff_login, visit

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("YIWANG_SHOTS_DIR", "")
DESKTOP = {"width": 1280, "height": 900}


def shoot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_citizen_asks_from_the_guide_and_reads_the_clerks_answer(
    page: Any, browser: Any, live_server: Any
) -> None:
    from yiwang.catalog.demo.load import catalog_demo_load
    from yiwang.catalog.models import Implementation
    from yiwang.consult.demo import consult_demo_load
    from yiwang.consult.models import Question, QuestionStatus

    catalog_demo_load()
    consult_demo_load()
    food = Implementation.objects.get(item__code="SJ-0003", region_id="440106")

    visit(page, "/consult/?q=开饭店")
    assert "开饭店需要办理食品经营许可证吗？" in page.locator("main").inner_text()
    shoot(page, "kb-search-zh-phone")

    citizen_login(page)
    visit(page, f"/services/guide/{food.pk}/")
    page.locator(f"a[href='/consult/ask/?item={food.item.code}']").click()
    page.wait_for_url(re.compile(r".*/consult/ask/\?item=SJ-0003$"))
    assert_accessible(page)

    page.locator("#id_title").press_sequentially("食品经营许可要什么材料", delay=20)
    matches = page.locator("#matches section")
    matches.wait_for()
    assert "食品经营许可证办理需要哪些材料？" in matches.inner_text()
    assert_accessible(page)
    shoot(page, "ask-matches-zh-phone")
    page.locator("#matches a.yw-button").click()

    page.wait_for_url(re.compile(r".*/consult/ask/\?title=.*"))
    assert_accessible(page)
    page.locator("#id_body").fill("除了这些材料，从业人员的健康证明要提前办好吗？")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/consult/ask/$"))  # refused: say none of them fits
    assert page.locator(".yw-error-summary").count() == 1
    assert_accessible(page)
    shoot(page, "ask-error-zh-phone")
    page.locator("#id_none_answered").check()
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/consult/my/ZX\d+/$"))
    assert_accessible(page)
    question = Question.objects.get(title="食品经营许可要什么材料")
    assert question.department_id == food.department_id

    staff = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="en-GB")
    clerk = staff.new_page()
    staff_login(clerk, "clerk.tianhe")
    visit(clerk, "/consult/staff/")
    shoot(clerk, "staff-inbox-en-desktop")
    clerk.locator(f"a[href='/consult/staff/q/{question.number}/']").click()
    clerk.wait_for_url(f"**/consult/staff/q/{question.number}/")
    assert_accessible(clerk)
    shoot(clerk, "staff-question-en-desktop")
    clerk.locator("#id_body").fill("健康证明需在上岗前取得，可与许可申请同时办理。")
    clerk.locator(f"form[action='/consult/staff/q/{question.number}/answer/'] button").click()
    clerk.wait_for_url(f"**/consult/staff/q/{question.number}/")
    assert_accessible(clerk)
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    if SHOTS:
        visit(clerk, "/consult/staff/kb/")
        shoot(clerk, "staff-kb-en-desktop")
        clerk.set_viewport_size({"width": 390, "height": 844})
        clerk.get_by_role("button", name="中文").click()
        clerk.wait_for_load_state()
        for path, name in (
            (f"/consult/staff/q/{question.number}/", "staff-question-answered"),
            ("/consult/staff/?view=answered", "staff-inbox"),
        ):
            visit(clerk, path)
            shoot(clerk, f"{name}-zh-phone")
        clerk.set_viewport_size(DESKTOP)
        staff_login(clerk, "hotline.guangzhou")
        visit(clerk, "/consult/staff/hotline/")
        shoot(clerk, "staff-hotline-en-desktop")
    staff.close()

    visit(page, f"/consult/my/{question.number}/")
    assert "健康证明需在上岗前取得" in page.locator("main").inner_text()
    shoot(page, "question-answered-zh-phone")
    if SHOTS:
        page.set_viewport_size(DESKTOP)
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
        for path, name in (
            (f"/consult/my/{question.number}/", "question-answered"),
            ("/consult/my/", "my-questions"),
            ("/consult/?q=food", "kb-search"),
            ("/consult/ask/?item=SJ-0003&title=food+licence", "ask-step2"),
        ):
            visit(page, path)
            shoot(page, f"{name}-en-desktop")
