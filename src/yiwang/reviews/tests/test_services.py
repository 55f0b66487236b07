"""Rating rules: once, finished, mine, within the window, the channel's indicators; bad
ratings open rectification orders; callbacks, results, appeals and overdue escalation."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from yiwang.accounts.tests.factories import StaffFactory
from yiwang.applications.models import Status
from yiwang.audit.models import AuditEntry
from yiwang.notify.models import Delivery
from yiwang.reviews import services
from yiwang.reviews.models import AppealStatus, Callback, OrderStatus, Rating, RectificationOrder
from yiwang.reviews.selectors import satisfaction_by
from yiwang.reviews.tests.factories import (
    bad_order,
    citizen,
    finished_application,
    rate,
    scores,
    served_booking,
)

TZ = dt.timezone(dt.timedelta(hours=8))
pytestmark = pytest.mark.django_db


def _error(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return str(exc.value.messages[0])


# --- rating


def test_a_finished_application_is_rated_once_with_the_online_indicators() -> None:
    user = citizen()
    application = finished_application(user=user)

    rating = rate(user=user, subject=application, level=5)

    assert rating.level == 5 and rating.channel == "online"
    assert set(rating.scores) == {"overall", "efficiency", "guide", "convenience", "usability"}
    assert rating.department == application.implementation.department
    assert rating.region_code == "440106"
    assert not hasattr(rating, "order") or RectificationOrder.objects.count() == 0


def test_rating_twice_is_refused_and_nothing_changes() -> None:
    user = citizen()
    application = finished_application(user=user)
    rate(user=user, subject=application, level=4)

    with pytest.raises(ValidationError) as exc:
        rate(user=user, subject=application, level=1)

    assert _error(exc) == str(services.MSG_ALREADY_RATED)
    assert list(Rating.objects.values_list("level", flat=True)) == [4]
    assert RectificationOrder.objects.count() == 0


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.UNDER_REVIEW, Status.DRAFT])
def test_an_unfinished_application_cannot_be_rated(status: str) -> None:
    user = citizen()
    application = finished_application(user=user, status=status)

    with pytest.raises(ValidationError) as exc:
        rate(user=user, subject=application, level=4)

    assert _error(exc) == str(services.MSG_NOT_FINISHED)
    assert Rating.objects.count() == 0


@pytest.mark.parametrize("status", [Status.REJECTED, Status.NOT_ACCEPTED, Status.FINISHED])
def test_every_decided_application_can_be_rated(status: str) -> None:
    user = citizen()
    assert rate(user=user, subject=finished_application(user=user, status=status)).pk


def test_someone_elses_application_is_not_found() -> None:
    application = finished_application()

    with pytest.raises(Http404):
        rate(user=citizen(), subject=application)
    assert Rating.objects.count() == 0


def test_an_unknown_kind_or_reference_is_not_found() -> None:
    user = citizen()
    with pytest.raises(Http404):
        services.rating_submit(rater=user, kind="parcel", ref="1", level=4, scores={})
    with pytest.raises(Http404):
        services.rating_submit(rater=user, kind="application", ref="NOPE", level=4, scores={})
    with pytest.raises(Http404):
        services.rating_submit(rater=user, kind="appointment", ref="abc", level=4, scores={})


@override_settings(REVIEWS_WINDOW_DAYS=15)
def test_the_rating_window_closes_fifteen_calendar_days_after_the_decision() -> None:
    user = citizen()
    decided = dt.datetime(2026, 3, 2, 10, 0, tzinfo=TZ)
    late = finished_application(user=user, decided_at=decided)
    on_time = finished_application(user=user, decided_at=decided)

    with time_machine.travel(dt.datetime(2026, 3, 17, 23, 0, tzinfo=TZ), tick=False):
        assert rate(user=user, subject=on_time).pk
    with time_machine.travel(dt.datetime(2026, 3, 18, 9, 0, tzinfo=TZ), tick=False):
        with pytest.raises(ValidationError) as exc:
            rate(user=user, subject=late)
    assert _error(exc) == str(services.MSG_WINDOW_CLOSED)
    assert Rating.objects.count() == 1


def test_a_served_appointment_is_rated_with_the_hall_indicators() -> None:
    user = citizen()
    booking = served_booking(user=user)

    rating = rate(user=user, subject=booking, level=4)

    assert rating.channel == "hall" and rating.hall == booking.hall
    assert set(rating.scores) == {"overall", "efficiency", "competence", "attitude"}


def test_online_indicators_are_refused_for_a_hall_service() -> None:
    user = citizen()
    booking = served_booking(user=user)

    with pytest.raises(ValidationError) as exc:
        rate(user=user, subject=booking, scores=scores("online"))

    assert set(exc.value.error_dict) >= {"score_guide", "score_competence"}
    assert Rating.objects.count() == 0


def test_a_missing_indicator_or_level_is_a_field_error() -> None:
    user = citizen()
    application = finished_application(user=user)
    partial = scores("online")
    del partial["guide"]

    with pytest.raises(ValidationError) as exc:
        services.rating_submit(
            rater=user, kind="application", ref=application.number, level="", scores=partial
        )

    assert set(exc.value.error_dict) == {"level", "score_guide"}
    assert exc.value.error_dict["level"][0].messages == [str(services.MSG_LEVEL_REQUIRED)]


def test_a_checked_in_appointment_not_yet_served_cannot_be_rated() -> None:
    user = citizen()
    booking = served_booking(user=user, served=False)

    with pytest.raises(ValidationError) as exc:
        rate(user=user, subject=booking)
    assert _error(exc) == str(services.MSG_NOT_FINISHED)


def test_a_bad_rating_needs_a_comment() -> None:
    user = citizen()
    application = finished_application(user=user)

    with pytest.raises(ValidationError) as exc:
        rate(user=user, subject=application, level=1, comment="  ")

    assert exc.value.error_dict["comment"][0].messages == [str(services.MSG_COMMENT_REQUIRED)]
    assert Rating.objects.count() == 0


# --- rectification orders


def test_a_bad_rating_opens_an_order_due_five_working_days_later_across_national_day() -> None:
    user = citizen()
    clerk = StaffFactory(region_code="440106", roles=["clerk"])
    application = finished_application(user=user)

    # 2026-09-30 (Wed): 1–7 October are holidays, Saturday 10 October is a working day.
    with time_machine.travel(dt.datetime(2026, 9, 30, 10, 0, tzinfo=TZ), tick=False):
        rating = rate(user=user, subject=application, level=2)

    order = rating.order
    assert order.status == OrderStatus.OPEN
    assert order.deadline == dt.date(2026, 10, 13)
    assert order.department == application.implementation.department
    sent = Delivery.objects.filter(recipient=clerk, template="reviews_order_opened")
    assert list(sent.values_list("channel", flat=True)) == ["inapp"]  # staff: no SMS


@override_settings(REVIEWS_RECTIFY_DAYS=2)
def test_the_rectification_limit_is_configurable() -> None:
    with time_machine.travel(dt.datetime(2026, 9, 29, 10, 0, tzinfo=TZ), tick=False):
        order = bad_order()
    assert order.deadline == dt.date(2026, 10, 8)


def test_a_fairly_satisfied_rating_opens_no_order() -> None:
    user = citizen()
    rate(user=user, subject=finished_application(user=user), level=3)
    assert RectificationOrder.objects.count() == 0


def test_a_named_review_needs_a_callback_before_the_result_closes_the_order() -> None:
    order = bad_order(named=True)
    clerk = StaffFactory(region_code="440106")

    with pytest.raises(ValidationError) as exc:
        services.order_result_record(
            order=order, by=clerk, result="已整改", public_summary="办事指南不清晰"
        )
    assert _error(exc) == str(services.MSG_CALLBACK_REQUIRED)
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN

    services.callback_record(
        order=order, by=clerk, called_at=timezone.now(), method="phone",
        reviewer_said="希望指南写清楚材料要求",
    )  # fmt: skip
    services.order_result_record(
        order=order, by=clerk, result="已修订办事指南", public_summary="办事指南不清晰"
    )

    order.refresh_from_db()
    assert order.status == OrderStatus.RESOLVED and order.result == "已修订办事指南"
    assert order.result_by == clerk and order.closed_at is not None
    rater = order.rating.rater
    assert set(
        Delivery.objects.filter(recipient=rater, template="reviews_result").values_list(
            "channel", flat=True
        )
    ) == {"inapp", "sms"}
    assert AuditEntry.objects.filter(action="reviews.callback").count() == 1
    assert AuditEntry.objects.filter(action="reviews.result").count() == 1


def test_an_anonymous_review_has_no_callback_and_closes_without_one() -> None:
    order = bad_order(named=False)
    clerk = StaffFactory(region_code="440106")

    with pytest.raises(ValidationError) as exc:
        services.callback_record(
            order=order, by=clerk, called_at=timezone.now(), method="phone", reviewer_said="x"
        )
    assert _error(exc) == str(services.MSG_ANONYMOUS_NO_CALLBACK)
    services.order_result_record(order=order, by=clerk, result="已整改", public_summary="排队久")
    order.refresh_from_db()
    assert order.status == OrderStatus.RESOLVED


def test_callback_fields_are_checked() -> None:
    order = bad_order()
    clerk = StaffFactory(region_code="440106")
    future = timezone.now() + dt.timedelta(days=1)

    for kwargs, field in [
        ({"called_at": None, "method": "phone", "reviewer_said": "x"}, "called_at"),
        ({"called_at": future, "method": "phone", "reviewer_said": "x"}, "called_at"),
        ({"called_at": timezone.now(), "method": "fax", "reviewer_said": "x"}, "method"),
        ({"called_at": timezone.now(), "method": "sms", "reviewer_said": " "}, "reviewer_said"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.callback_record(order=order, by=clerk, **kwargs)
        assert field in exc.value.error_dict
    assert Callback.objects.count() == 0


def test_a_closed_order_takes_no_more_results() -> None:
    order = bad_order(named=False)
    clerk = StaffFactory(region_code="440106")
    services.order_result_record(order=order, by=clerk, result="a", public_summary="b")

    with pytest.raises(ValidationError) as exc:
        services.order_result_record(order=order, by=clerk, result="c", public_summary="d")
    assert _error(exc) == str(services.MSG_ORDER_CLOSED)


# --- appeals


def test_an_upheld_appeal_excludes_the_rating_from_statistics_and_closes_the_order() -> None:
    order = bad_order()
    clerk = StaffFactory(region_code="440106")
    supervisor = StaffFactory(region_code="4401", roles=["supervisor"], department_kind="data")
    other = citizen()
    rate(user=other, subject=finished_application(user=other), level=5)
    assert satisfaction_by(dimension="region", region_code="4401")[0].total == 2

    appeal = services.appeal_file(
        order=order, by=clerk, reason="评价人与窗口发生私人纠纷", evidence="现场录像"
    )
    assert Delivery.objects.filter(recipient=supervisor, template="reviews_appeal_filed").exists()
    with pytest.raises(ValidationError) as exc:
        services.order_result_record(order=order, by=clerk, result="a", public_summary="b")
    assert _error(exc) == str(services.MSG_APPEAL_PENDING)

    services.appeal_decide(appeal=appeal, by=supervisor, upheld=True, note="证据充分")

    order.refresh_from_db()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD and appeal.decided_by == supervisor
    assert order.status == OrderStatus.APPEALED and order.rating.excluded
    [row] = satisfaction_by(dimension="region", region_code="4401")
    assert (row.total, row.bad, row.satisfied_rate) == (1, 0, 1.0)
    assert Delivery.objects.filter(
        recipient=clerk, template="reviews_appeal_decided_staff"
    ).exists()
    assert Delivery.objects.filter(
        recipient=order.rating.rater, template="reviews_appeal_decided"
    ).exists()
    assert AuditEntry.objects.filter(action="reviews.appeal_decide").count() == 1


def test_a_dismissed_appeal_keeps_the_order_open_with_the_same_deadline() -> None:
    order = bad_order()
    deadline = order.deadline
    clerk = StaffFactory(region_code="440106")
    supervisor = StaffFactory(region_code="440106", roles=["supervisor"])
    appeal = services.appeal_file(order=order, by=clerk, reason="恶意", evidence="无")

    services.appeal_decide(appeal=appeal, by=supervisor, upheld=False, note="证据不足")

    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN and order.deadline == deadline
    assert not order.rating.excluded
    with pytest.raises(ValidationError) as exc:
        services.appeal_file(order=order, by=clerk, reason="再次", evidence="无")
    assert _error(exc) == str(services.MSG_APPEAL_EXISTS)
    with pytest.raises(ValidationError) as exc:
        services.appeal_decide(appeal=appeal, by=supervisor, upheld=True, note="改判")
    assert _error(exc) == str(services.MSG_APPEAL_DECIDED)


def test_only_a_supervisor_decides_an_appeal() -> None:
    order = bad_order()
    clerk = StaffFactory(region_code="440106")
    appeal = services.appeal_file(order=order, by=clerk, reason="恶意", evidence="录像")

    with pytest.raises(ValidationError) as exc:
        services.appeal_decide(appeal=appeal, by=clerk, upheld=True, note="我说了算")

    assert _error(exc) == str(services.MSG_NOT_SUPERVISOR)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING


def test_an_appeal_needs_a_reason_and_evidence() -> None:
    order = bad_order()
    clerk = StaffFactory(region_code="440106")
    with pytest.raises(ValidationError) as exc:
        services.appeal_file(order=order, by=clerk, reason="", evidence="")
    assert "reason" in exc.value.error_dict


# --- overdue


def test_an_overdue_order_is_escalated_once_to_the_regions_supervisors() -> None:
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=TZ), tick=False):
        order = bad_order()
    city = StaffFactory(region_code="4401", roles=["supervisor"], department_kind="data")
    district = StaffFactory(region_code="440106", roles=["supervisor"])
    elsewhere = StaffFactory(region_code="440104", roles=["supervisor"])

    with time_machine.travel(dt.datetime(2026, 11, 9, 10, 0, tzinfo=TZ), tick=False):
        assert services.orders_escalate_overdue() == 0  # due today, not yet overdue
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, 0, tzinfo=TZ), tick=False):
        assert services.orders_escalate_overdue() == 1
        assert services.orders_escalate_overdue() == 0

    order.refresh_from_db()
    assert order.escalated_at is not None
    notified = Delivery.objects.filter(template="reviews_overdue_staff", channel="inapp")
    assert sorted(notified.values_list("recipient_id", flat=True)) == sorted([city.pk, district.pk])
    assert not notified.filter(recipient=elsewhere).exists()
    assert AuditEntry.objects.filter(action="reviews.overdue").count() == 1


# --- concurrency


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real concurrency")
def test_two_simultaneous_ratings_of_one_service_store_one() -> None:
    assert connection.vendor == "postgresql"
    user = citizen()
    application = finished_application(user=user)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt() -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            rate(user=user, subject=application, level=2)
            result = "ok"
        except ValidationError as exc:
            result = str(exc.code)  # threads do not share the test's language
        finally:
            thread_connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["already_rated", "ok"]
    assert Rating.objects.count() == 1
    assert RectificationOrder.objects.count() == 1


# --- answers (consult)


def _question(*, asker: object, status: str = "answered") -> Any:
    from yiwang.catalog.tests.factories import department_for
    from yiwang.consult.models import Question

    return Question.objects.create(
        number=f"ZX{Question.objects.count() + 1:08d}", asker=asker,
        department=department_for("440106"), region_code="440106006002",
        routing_reason="general", title="开饭店要办什么证", body="……",
        deadline=timezone.localdate(), status=status,
        answered_at=timezone.now() if status != "open" else None,
    )  # fmt: skip


def test_an_answered_question_is_rated_online_and_an_open_one_is_not() -> None:
    user = citizen()
    answered = _question(asker=user)
    waiting = _question(asker=user, status="open")
    online = scores("online", 5)

    rating = services.rating_submit(
        rater=user,
        kind="answer",
        ref=str(answered.pk),
        level=5,
        scores=online,
    )
    assert rating.channel == "online" and rating.subject_title_zh == "开饭店要办什么证"
    assert rating.region_code == "440106006002"
    with pytest.raises(ValidationError) as exc:
        services.rating_submit(
            rater=user,
            kind="answer",
            ref=str(waiting.pk),
            level=5,
            scores=online,
        )
    assert _error(exc) == str(services.MSG_NOT_FINISHED)
    with pytest.raises(Http404):
        services.rating_submit(
            rater=citizen(),
            kind="answer",
            ref=str(answered.pk),
            level=5,
            scores=online,
        )


def test_someone_elses_appointment_is_not_found() -> None:
    booking = served_booking()
    with pytest.raises(Http404):
        rate(user=citizen(), subject=booking)
    assert Rating.objects.count() == 0
