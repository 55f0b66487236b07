"""Staff are told in the app (and by e-mail), citizens by SMS; answers link back to the
question; the reviewer's verdict on the result (回访) re-opens the order once; published texts
hold no phone or ID number."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from yiwang.accounts.tests.factories import StaffFactory, valid_resident_id
from yiwang.audit.models import AuditEntry
from yiwang.notify.models import Delivery
from yiwang.reviews import services
from yiwang.reviews.models import OrderStatus, ResultFeedback
from yiwang.reviews.privacy import personal_data_mask
from yiwang.reviews.subjects import subject_links
from yiwang.reviews.tests.factories import bad_order, citizen, scores

TZ = dt.timezone(dt.timedelta(hours=8))
pytestmark = pytest.mark.django_db


def _channels(**filters: Any) -> set[str]:
    return set(Delivery.objects.filter(**filters).values_list("channel", flat=True))


def _resolved(order: Any, clerk: Any, result: str = "已修订办事指南") -> Any:
    if order.rating.is_named and not order.callbacks.exists():
        services.callback_record(
            order=order, by=clerk, called_at=timezone.now(), method="phone", reviewer_said="好"
        )
    return services.order_result_record(
        order=order, by=clerk, result=result, public_summary="办事指南不清晰"
    )


# --- 1. who is told how


def test_staff_are_told_in_the_app_and_by_email_never_by_sms() -> None:
    with_mail = StaffFactory(region_code="440106", email="clerk@example.gov.cn")
    without = StaffFactory(region_code="440106")
    supervisor = StaffFactory(region_code="440106", roles=["supervisor"])

    order = bad_order()
    services.appeal_file(order=order, by=without, reason="恶意", evidence="录音")

    sent = {"template": "reviews_order_opened"}
    assert _channels(recipient=with_mail, **sent) == {"inapp", "email"}
    assert _channels(recipient=without, **sent) == {"inapp"}
    assert _channels(recipient=supervisor, template="reviews_appeal_filed") == {"inapp"}
    assert not Delivery.objects.filter(channel="sms", recipient__kind="staff").exists()


def test_overdue_notices_to_supervisors_are_not_sms() -> None:
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=TZ), tick=False):
        bad_order()
    supervisor = StaffFactory(region_code="440106", roles=["supervisor"])
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, 0, tzinfo=TZ), tick=False):
        services.orders_escalate_overdue()

    assert _channels(recipient=supervisor, template="reviews_overdue_staff") == {"inapp"}


def test_the_reviewer_still_gets_the_result_by_sms() -> None:
    clerk = StaffFactory(region_code="440106")
    order = _resolved(bad_order(), clerk)

    assert _channels(recipient=order.rating.rater, template="reviews_result") == {"inapp", "sms"}


# --- 2. answers link back to the question


def _question(*, asker: Any) -> Any:
    from yiwang.catalog.tests.factories import department_for
    from yiwang.consult.models import Question

    return Question.objects.create(
        number=f"ZX{Question.objects.count() + 1:08d}", asker=asker,
        department=department_for("440106"), region_code="440106006002",
        routing_reason="general", title="开饭店要办什么证", body="……",
        deadline=timezone.localdate(), status="answered", answered_at=timezone.now(),
    )  # fmt: skip


def _rate_answer(level: int = 2) -> Any:
    user = citizen()
    question = _question(asker=user)
    rating = services.rating_submit(
        rater=user, kind="answer", ref=str(question.pk), level=level,
        scores=scores("online", level), comment="答复没有说清楚",
    )  # fmt: skip
    return question, rating


def test_a_rated_answer_links_to_the_citizens_and_the_staff_question_page() -> None:
    clerk = StaffFactory(region_code="440106")
    question, rating = _rate_answer()

    links = subject_links(kind="answer", ref=str(question.pk))
    assert links.citizen == f"/consult/my/{question.number}/"
    assert links.staff == f"/consult/staff/q/{question.number}/"
    assert rating.links == links
    opened = Delivery.objects.get(recipient=clerk, template="reviews_order_opened")
    assert links.staff in opened.body
    assert opened.link_url == f"/reviews/staff/orders/{rating.order.pk}/"

    _resolved(rating.order, clerk)
    told = Delivery.objects.get(recipient=rating.rater, template="reviews_result", channel="inapp")
    assert links.citizen in told.body


def test_an_unknown_answer_or_an_application_has_no_question_link() -> None:
    assert subject_links(kind="answer", ref="999999").citizen == ""
    assert subject_links(kind="answer", ref="x").staff == ""
    assert subject_links(kind="application", ref="TEST1").citizen == ""


# --- 4. the reviewer's verdict on the result


def test_a_satisfied_verdict_is_recorded_once_and_the_department_told() -> None:
    clerk = StaffFactory(region_code="440106")
    order = _resolved(bad_order(), clerk)
    rater = order.rating.rater

    feedback = services.result_feedback_give(order=order, rater=rater, satisfied=True)

    order.refresh_from_db()
    assert order.status == OrderStatus.RESOLVED and order.round == 1
    assert feedback.satisfied and feedback.result == "已修订办事指南"
    assert _channels(recipient=clerk, template="reviews_feedback") == {"inapp"}
    assert AuditEntry.objects.filter(action="reviews.feedback", actor_id=rater.pk).count() == 1
    with pytest.raises(ValidationError) as exc:
        services.result_feedback_give(order=order, rater=rater, satisfied=False)
    assert exc.value.messages[0] == str(services.MSG_FEEDBACK_GIVEN)
    assert ResultFeedback.objects.count() == 1


def test_an_unsatisfied_verdict_reopens_the_order_once_with_a_new_working_day_deadline() -> None:
    clerk = StaffFactory(region_code="440106")
    with time_machine.travel(dt.datetime(2026, 9, 28, 10, 0, tzinfo=TZ), tick=False):
        order = _resolved(bad_order(), clerk)
    rater = order.rating.rater

    # 2026-09-30 (Wed): 1–7 October are holidays, Saturday 10 October is a working day.
    with time_machine.travel(dt.datetime(2026, 9, 30, 10, 0, tzinfo=TZ), tick=False):
        services.result_feedback_give(
            order=order, rater=rater, satisfied=False, comment="指南还是没改"
        )
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN and order.round == 2
    assert order.deadline == dt.date(2026, 10, 13)
    assert order.closed_at is None and order.escalated_at is None
    told = Delivery.objects.get(recipient=clerk, template="reviews_feedback")
    assert "已重新打开" in told.subject  # the clerk reads Chinese

    _resolved(order, clerk, result="已重新发布指南")
    services.result_feedback_give(order=order, rater=rater, satisfied=False, comment="仍不满意")

    order.refresh_from_db()
    assert order.status == OrderStatus.RESOLVED and order.round == 2  # no third round
    verdicts = list(order.feedbacks.values_list("round", "satisfied", "result"))
    assert verdicts == [(1, False, "已修订办事指南"), (2, False, "已重新发布指南")]


def test_no_verdict_before_a_result_nor_from_someone_else_nor_without_a_choice() -> None:
    clerk = StaffFactory(region_code="440106")
    order = bad_order()
    rater = order.rating.rater

    with pytest.raises(ValidationError) as exc:
        services.result_feedback_give(order=order, rater=rater, satisfied=True)
    assert exc.value.messages[0] == str(services.MSG_NO_RESULT_YET)
    _resolved(order, clerk)
    with pytest.raises(Http404):
        services.result_feedback_give(order=order, rater=citizen(), satisfied=True)
    with pytest.raises(ValidationError) as exc:
        services.result_feedback_give(order=order, rater=rater, satisfied=None)
    assert exc.value.message_dict == {"satisfied": [str(services.MSG_VERDICT_REQUIRED)]}
    with pytest.raises(ValidationError) as exc:
        services.result_feedback_give(order=order, rater=rater, satisfied=False, comment="长" * 501)
    assert "comment" in exc.value.message_dict
    assert ResultFeedback.objects.count() == 0


# --- 5. no personal data in published texts


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("请致电13800138000了解进度", "contains_phone"),
        ("联系 138 0013 8000", "contains_phone"),
        ("+86-13800138000", "contains_phone"),
        (f"身份证 {valid_resident_id()} 的申请人", "contains_id"),
        ("证号44010619900101123x", "contains_id"),
    ],
)
def test_a_published_text_with_a_phone_or_id_number_is_refused(text: str, code: str) -> None:
    clerk = StaffFactory(region_code="440106")
    order = bad_order(named=False)

    for field in ("public_summary", "result"):
        texts = {"public_summary": "办事指南不清晰", "result": "已修订", field: text}
        with pytest.raises(ValidationError) as exc:
            services.order_result_record(order=order, by=clerk, **texts)
        assert exc.value.error_dict[field][0].code == code
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN and order.public_summary == ""


def test_other_numbers_are_allowed() -> None:
    clerk = StaffFactory(region_code="440106")
    order = services.order_result_record(
        order=bad_order(named=False), by=clerk, result="办理时限由20个工作日压缩到12345分钟",
        public_summary="咨询电话 020-12345678，统一社会信用代码已公开",
    )  # fmt: skip
    assert order.status == OrderStatus.RESOLVED


def test_older_published_texts_are_masked() -> None:
    masked = personal_data_mask(f"张先生 13800138000，证件 {valid_resident_id(serial=7)}。")
    assert "13800138000" not in masked and "138****8000" in masked
    assert "4401**********" in masked
    assert personal_data_mask("热线 12345，编号 2026000001") == "热线 12345，编号 2026000001"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real concurrency")
def test_two_simultaneous_verdicts_reopen_the_order_once() -> None:
    assert connection.vendor == "postgresql"
    clerk = StaffFactory(region_code="440106")
    order = _resolved(bad_order(named=False), clerk)
    rater = order.rating.rater
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt() -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.result_feedback_give(order=order, rater=rater, satisfied=False)
            result = "ok"
        except ValidationError as exc:
            result = str(exc.code)
        finally:
            thread_connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    order.refresh_from_db()
    # The loser sees either the verdict already given or the re-opened round with no result.
    assert len(outcomes) == 2 and outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {"feedback_given", "no_result"}
    assert order.round == 2 and order.status == OrderStatus.OPEN
    assert ResultFeedback.objects.filter(order=order).count() == 1
