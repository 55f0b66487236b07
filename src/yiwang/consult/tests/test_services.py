import datetime as dt
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from yiwang.accounts.models import DepartmentKind, Role
from yiwang.accounts.tests.factories import CitizenFactory, StaffFactory, chain_for
from yiwang.audit.models import AuditEntry
from yiwang.catalog.services import implementation_version_publish
from yiwang.catalog.tests.factories import department_for, draft_implementation, published_item
from yiwang.consult import services
from yiwang.consult.models import (
    KnowledgeEntry,
    MessageKind,
    Question,
    QuestionChannel,
    QuestionStatus,
    RoutingReason,
)
from yiwang.consult.services.knowledge import MSG_PERSONAL_DATA
from yiwang.consult.services.questions import (
    MSG_BODY_REQUIRED,
    MSG_CALLER_PHONE,
    MSG_CLOSED,
    MSG_DUPLICATE,
    MSG_NOT_HOLDER,
    MSG_TARGET_NOT_SERVING,
    MSG_TITLE_TOO_LONG,
)
from yiwang.consult.services.routing import MSG_NO_DEPARTMENT
from yiwang.consult.tests.factories import ask, citizen, clerk, data_bureau
from yiwang.notify.models import Delivery

pytestmark = pytest.mark.django_db

BEIJING = dt.timezone(dt.timedelta(hours=8))


# Routing -----------------------------------------------------------------------------------


def test_an_item_question_goes_to_the_deepest_implementation_serving_the_asker():
    item, city_impl = published_item(region_code="4401")
    district = draft_implementation(item, region_code="440106")
    implementation_version_publish(version=district, by=None, skip_review=True)
    question = ask(citizen("440106006002"), item=item)
    assert question.implementation_id == district.implementation_id
    assert question.department_id == district.implementation.department_id
    assert question.routing_reason == RoutingReason.ITEM
    # Someone in another district is served by the city's implementation.
    elsewhere = ask(citizen("440104001001"), item=item)
    assert elsewhere.implementation_id == city_impl.pk


def test_a_general_question_goes_to_the_nearest_data_bureau():
    city = data_bureau("4401")
    district = data_bureau("440106")
    question = ask(citizen("440106006002"))
    assert question.department_id == district.pk
    assert question.routing_reason == RoutingReason.GENERAL
    assert ask(citizen("440104001001")).department_id == city.pk


def test_without_a_data_bureau_the_peoples_government_answers():
    government = department_for("440106", DepartmentKind.GOVERNMENT)
    user = citizen("440106006002")
    question = services.question_ask(
        asker=user, title="问题", body="内容", submit_token=uuid.uuid4()
    )
    assert question.department_id == government.pk


def test_an_item_nobody_implements_here_falls_back_to_the_bureau():
    item, _impl = published_item(region_code="440104")
    question = ask(citizen("440106006002"), item=item)
    assert question.implementation is None
    assert question.department.kind == DepartmentKind.DATA
    assert question.routing_reason == RoutingReason.ITEM_NOT_SERVED


def test_no_department_at_all_is_a_clear_error():
    with pytest.raises(ValidationError) as exc:
        services.question_ask(
            asker=citizen("440106006002"), title="问题", body="内容", submit_token=uuid.uuid4()
        )
    assert exc.value.messages == [str(MSG_NO_DEPARTMENT)]
    assert not Question.objects.exists()


# Asking -----------------------------------------------------------------------------------


def test_double_submit_with_one_token_makes_one_question():
    user, token = citizen(), uuid.uuid4()
    data_bureau()
    first = services.question_ask(asker=user, title="问题", body="内容", submit_token=token)
    again = services.question_ask(asker=user, title="问题", body="内容", submit_token=token)
    assert first.pk == again.pk
    assert Question.objects.count() == 1


def test_the_same_open_question_twice_is_refused():
    user = citizen()
    first = ask(user, title="同一个问题", body="同样的内容")
    with pytest.raises(ValidationError) as exc:
        ask(user, title="同一个问题", body="同样的内容")
    assert exc.value.messages == [str(MSG_DUPLICATE % {"number": first.number})]
    assert Question.objects.count() == 1


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        ("x" * 101, "内容", (MSG_TITLE_TOO_LONG, {"limit": 100})),
        ("标题", "   ", (MSG_BODY_REQUIRED, None)),
    ],
    ids=["title-too-long", "empty-body"],
)
def test_bad_input_is_refused_and_nothing_is_saved(title, body, message):
    with pytest.raises(ValidationError) as exc:
        ask(citizen(), title=title, body=body)
    text, params = message
    assert exc.value.messages == [str(text % params if params else text)]
    assert not Question.objects.exists()


@time_machine.travel(dt.datetime(2026, 9, 29, 10, 0, tzinfo=BEIJING), tick=False)
def test_the_deadline_counts_working_days_across_the_national_day_holiday(settings):
    settings.CONSULT_ANSWER_DAYS = 5
    question = ask(citizen())
    # 9-30 (Wed) is a working day, 10-01..10-08 the holiday, 10-10 (Sat) a make-up day.
    assert question.deadline == dt.date(2026, 10, 12)


# Escalation -------------------------------------------------------------------------------


def test_an_overdue_question_is_escalated_once_to_supervisors_and_the_asker_is_told():
    user = citizen()
    supervisor = StaffFactory(region_code="4401", roles=[Role.SUPERVISOR])
    other_city = StaffFactory(region_code="4403", roles=[Role.SUPERVISOR])
    question = ask(user)
    later = timezone.now() + dt.timedelta(days=30)
    with time_machine.travel(later, tick=False):
        question.refresh_from_db()
        assert question.is_overdue
        assert services.questions_escalate_overdue() == 1
        assert services.questions_escalate_overdue() == 0
    question.refresh_from_db()
    assert question.escalated_at is not None
    assert (
        Delivery.objects.filter(recipient=supervisor, template="consult_overdue_staff").count() == 1
    )
    assert not Delivery.objects.filter(recipient=other_city).exists()
    assert Delivery.objects.filter(recipient=user, template="consult_overdue").count() == 2
    assert AuditEntry.objects.filter(action="consult.overdue", target_id=question.number).count()


def test_a_question_within_its_deadline_is_not_escalated():
    ask(citizen())
    assert services.questions_escalate_overdue() == 0


# Answering --------------------------------------------------------------------------------


def _item_question():
    item, impl = published_item(region_code="440106")
    user = citizen()
    return user, ask(user, item=item), impl


def test_the_holding_department_answers_and_the_asker_is_told_in_app_and_by_sms():
    user, question, impl = _item_question()
    staff = clerk("440106")
    answered = services.question_answer(question=question, by=staff, body="请携带身份证原件。")
    assert answered.status == QuestionStatus.ANSWERED
    assert answered.answered_at is not None
    assert [m.kind for m in answered.messages.all()] == [MessageKind.ANSWER]
    channels = set(
        Delivery.objects.filter(recipient=user, template="consult_answered").values_list(
            "channel", flat=True
        )
    )
    assert channels == {"inapp", "sms"}
    sms = Delivery.objects.get(recipient=user, template="consult_answered", channel="sms")
    assert f"您的咨询{question.number}已答复" in sms.body  # the citizen's language: Chinese
    assert AuditEntry.objects.filter(action="consult.answer", target_id=question.number).exists()


@pytest.mark.parametrize(
    ("region", "kind"),
    [("440104", DepartmentKind.MARKET_REGULATION), ("440106", DepartmentKind.HEALTH)],
    ids=["other-region", "other-department"],
)
def test_an_answer_from_a_department_that_does_not_hold_it_is_refused(region, kind):
    _user, question, impl = _item_question()
    outsider = clerk(region, kind)
    with pytest.raises(ValidationError) as exc:
        services.question_answer(question=question, by=outsider, body="答复")
    assert exc.value.messages == [str(MSG_NOT_HOLDER % {"department": impl.department.name})]
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN
    assert not question.messages.exists()


def test_a_follow_up_reopens_an_answered_question_with_a_new_deadline():
    user, question, _impl = _item_question()
    services.question_answer(question=question, by=clerk("440106"), body="答复")
    services.question_follow_up(question=question, asker=user, body="还需要什么材料？")
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN
    assert [m.kind for m in question.messages.all()] == [MessageKind.ANSWER, MessageKind.FOLLOW_UP]


def test_a_closed_question_takes_no_follow_up():
    user, question, _impl = _item_question()
    services.question_close(question=question, asker=user)
    with pytest.raises(ValidationError) as exc:
        services.question_follow_up(question=question, asker=user, body="再问")
    assert exc.value.messages == [str(MSG_CLOSED)]


# Transfers --------------------------------------------------------------------------------


def test_a_wrongly_routed_question_is_transferred_with_a_reason():
    _user, question, _impl = _item_question()
    health = department_for("440106", DepartmentKind.HEALTH)
    moved = services.question_transfer(
        question=question, by=clerk("440106"), to_department=health, reason="属卫健部门职责"
    )
    assert moved.department_id == health.pk
    assert moved.routing_reason == RoutingReason.TRANSFERRED
    assert moved.transfers.get().reason == "属卫健部门职责"
    assert AuditEntry.objects.filter(action="consult.transfer").exists()
    told = Delivery.objects.filter(recipient=_user, template="consult_transferred")
    assert {d.channel for d in told} == {"inapp", "sms"}
    assert health.name in told.get(channel="inapp").body


def test_a_transfer_to_a_department_of_another_region_is_refused():
    _user, question, impl = _item_question()
    elsewhere = department_for("440104", DepartmentKind.HEALTH)
    with pytest.raises(ValidationError) as exc:
        services.question_transfer(
            question=question, by=clerk("440106"), to_department=elsewhere, reason="理由"
        )
    assert exc.value.messages == [str(MSG_TARGET_NOT_SERVING)]
    question.refresh_from_db()
    assert question.department_id == impl.department_id


def test_only_the_holder_transfers():
    _user, question, _impl = _item_question()
    health = department_for("440106", DepartmentKind.HEALTH)
    with pytest.raises(ValidationError):
        services.question_transfer(
            question=question, by=clerk("440106", DepartmentKind.HEALTH),
            to_department=health, reason="理由",
        )  # fmt: skip


# Hotline ----------------------------------------------------------------------------------


def _operator():
    return StaffFactory(region_code="4401", department_kind=DepartmentKind.DATA, roles=["clerk"])


def test_a_hotline_call_from_a_known_phone_is_linked_to_the_citizens_account():
    profile = CitizenFactory(region=chain_for("440106006002")[-1], phone="13800138999")
    question = services.hotline_record(
        by=_operator(), caller_phone="13800138999", caller_name="王小二",
        region_code="440106006002", title="电话咨询", body="问题", submit_token=uuid.uuid4(),
    )  # fmt: skip
    assert question.asker_id == profile.user_id
    assert question.channel == QuestionChannel.HOTLINE
    assert AuditEntry.objects.filter(action="consult.hotline_intake").exists()


def test_a_caller_without_an_account_gets_the_answer_by_sms_to_the_recorded_phone():
    operator = _operator()
    chain_for("440106006002")
    question = services.hotline_record(
        by=operator, caller_phone="13912345678", caller_name="赵六",
        region_code="440106006002", title="电话咨询", body="问题", submit_token=uuid.uuid4(),
    )  # fmt: skip
    assert question.asker is None
    services.question_answer(question=question, by=operator, body="答复")
    sms = Delivery.objects.filter(template="consult_answered", channel="sms")
    assert [d.address for d in sms] == ["13912345678"]
    # Encrypted at rest: the raw column does not hold the phone.
    with connection.cursor() as cursor:
        cursor.execute("SELECT caller_phone FROM consult_question WHERE id = %s", [question.pk])
        assert "13912345678" not in cursor.fetchone()[0]


def test_a_bad_caller_phone_is_refused():
    with pytest.raises(ValidationError) as exc:
        services.hotline_record(
            by=_operator(), caller_phone="123", caller_name="", region_code="440106",
            title="t", body="b", submit_token=uuid.uuid4(),
        )  # fmt: skip
    assert exc.value.message_dict["caller_phone"] == [str(MSG_CALLER_PHONE)]


# Knowledge base ---------------------------------------------------------------------------


def test_publishing_an_answer_refuses_personal_data_and_is_audited():
    _user, question, _impl = _item_question()
    staff = clerk("440106")
    services.question_answer(question=question, by=staff, body="答复")
    with pytest.raises(ValidationError) as exc:
        services.answer_publish(
            question=question, by=staff, title_zh="办证问题", body_zh="请致电13812345678"
        )
    assert exc.value.messages == [str(MSG_PERSONAL_DATA)]
    entry = services.answer_publish(
        question=question, by=staff, title_zh="办证问题", body_zh="请携带身份证原件。"
    )
    assert entry.is_published
    assert AuditEntry.objects.filter(action="consult.publish", target_id=question.number).exists()


def test_an_open_question_cannot_be_published():
    _user, question, _impl = _item_question()
    with pytest.raises(ValidationError):
        services.answer_publish(question=question, by=clerk("440106"), title_zh="t", body_zh="b")
    assert not KnowledgeEntry.objects.exists()


def test_faqs_are_written_only_for_the_staff_members_own_department():
    _item, impl = published_item(region_code="440106")
    with pytest.raises(ValidationError):
        services.faq_save(
            by=clerk("440106", DepartmentKind.HEALTH), implementation=impl,
            title_zh="问", body_zh="答",
        )  # fmt: skip
    entry = services.faq_save(by=clerk("440106"), implementation=impl, title_zh="问",
                              body_zh="答", publish=True)  # fmt: skip
    assert entry.is_published and entry.item_id == impl.item_id


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
def test_a_double_submit_at_the_same_moment_makes_one_question():
    import threading

    assert connection.vendor == "postgresql"
    user, token = citizen(), uuid.uuid4()
    data_bureau()
    barrier = threading.Barrier(3)
    numbers: list[str] = []
    lock = threading.Lock()

    def attempt() -> None:
        try:
            barrier.wait()
            question = services.question_ask(
                asker=user, title="同时提交", body="内容", submit_token=token
            )
            result = question.number
        finally:
            close_old_connections()
            connection.close()
        with lock:
            numbers.append(result)

    threads = [threading.Thread(target=attempt) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(numbers) == 3 and len(set(numbers)) == 1
    assert Question.objects.count() == 1
