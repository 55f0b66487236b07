"""Use cases of 咨询办 (see the modules: routing, questions, knowledge)."""

from yiwang.consult.services.knowledge import (
    answer_publish,
    entry_set_published,
    faq_save,
)
from yiwang.consult.services.questions import (
    hotline_record,
    question_answer,
    question_ask,
    question_close,
    question_follow_up,
    question_transfer,
    questions_escalate_overdue,
)
from yiwang.consult.services.routing import question_route

__all__ = [
    "answer_publish",
    "entry_set_published",
    "faq_save",
    "hotline_record",
    "question_answer",
    "question_ask",
    "question_close",
    "question_follow_up",
    "question_route",
    "question_transfer",
    "questions_escalate_overdue",
]
