"""Every 好差评 message renders in both languages (subject, body and SMS)."""

from __future__ import annotations

import pytest

from yiwang.notify.services import message_render

CONTEXT = {
    "recipient_name": "李明", "reference": "ZG00000001", "deadline": "2026-12-03",
    "department": "天河区市场监管局", "service_zh": "个体工商户设立登记",
    "service_en": "Sole trader registration", "result": "已修订办事指南", "upheld": True,
    "note": "证据充分", "satisfied": False, "reopened": True, "comment": "仍未解决",
    "subject_url": "/consult/my/ZX2026000001/",
}  # fmt: skip
TEMPLATES = [
    "reviews_order_opened", "reviews_result", "reviews_overdue_staff", "reviews_appeal_filed",
    "reviews_appeal_decided", "reviews_appeal_decided_staff", "reviews_feedback",
]  # fmt: skip


@pytest.mark.parametrize("template", TEMPLATES)
def test_each_message_renders_in_chinese_and_english(template: str) -> None:
    zh = message_render(template=template, context=CONTEXT, language="zh-hans")
    en = message_render(template=template, context=CONTEXT, language="en")

    for rendered in (zh, en):
        assert rendered.subject and rendered.body and rendered.sms
        assert "{%" not in rendered.body and "{{" not in rendered.sms
    assert zh.subject != en.subject
    assert zh.sms.startswith("【一网】") and en.sms.startswith("【一网】")


def test_the_result_message_links_back_to_the_question() -> None:
    zh = message_render(template="reviews_result", context=CONTEXT, language="zh-hans")
    en = message_render(template="reviews_result", context=CONTEXT, language="en")

    assert "/consult/my/ZX2026000001/" in zh.body and "/consult/my/ZX2026000001/" in en.body
    assert "Your question" in en.body and "Your question" not in zh.body


@pytest.mark.parametrize(
    ("satisfied", "reopened", "en_words"),
    [(True, False, "is satisfied"), (False, True, "open again"), (False, False, "stays closed")],
)
def test_the_verdict_message_says_what_happens(
    satisfied: bool, reopened: bool, en_words: str
) -> None:
    context = {**CONTEXT, "satisfied": satisfied, "reopened": reopened}
    en = message_render(template="reviews_feedback", context=context, language="en")

    assert en_words in en.body
