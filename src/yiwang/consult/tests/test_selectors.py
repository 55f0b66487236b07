import datetime as dt
import uuid

import pytest
from django.http import Http404

from yiwang.accounts.models import DepartmentKind, Role
from yiwang.accounts.tests.factories import StaffFactory, chain_for
from yiwang.audit.models import ACTION_PERSONAL_DATA_READ, AuditEntry
from yiwang.catalog.tests.factories import published_item
from yiwang.consult import selectors, services
from yiwang.consult.models import Question
from yiwang.consult.tests.factories import ask, citizen, clerk

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions():
    item, _impl = published_item(region_code="440106")
    soon = ask(citizen(), item=item, title="较早到期")
    late = ask(citizen(), item=item, title="较晚到期")
    done = ask(citizen(), item=item, title="已答复")
    Question.objects.filter(pk=soon.pk).update(deadline=dt.date(2020, 1, 2))
    Question.objects.filter(pk=late.pk).update(deadline=dt.date(2099, 1, 2))
    services.question_answer(question=done, by=clerk("440106"), body="答复")
    return soon, late, done


def _numbers(qs) -> list[str]:
    return [q.number for q in qs]


def test_inbox_views_and_deadline_order(questions):
    soon, late, done = questions
    staff = clerk("440106")
    assert _numbers(selectors.inbox_for_staff(user=staff)) == [soon.number, late.number]
    late_first = selectors.inbox_for_staff(user=staff, sort="-deadline")
    assert _numbers(late_first) == [late.number, soon.number]
    assert _numbers(selectors.inbox_for_staff(user=staff, view="overdue")) == [soon.number]
    assert _numbers(selectors.inbox_for_staff(user=staff, view="answered")) == [done.number]


def test_a_coordinating_bureau_sees_every_line_in_its_region(questions):
    bureau = StaffFactory(region_code="4401", department_kind=DepartmentKind.DATA,
                          roles=[Role.SUPERVISOR])  # fmt: skip
    elsewhere = StaffFactory(region_code="4403", department_kind=DepartmentKind.DATA)
    assert len(_numbers(selectors.inbox_for_staff(user=bureau, view="all"))) == 3
    assert _numbers(selectors.inbox_for_staff(user=elsewhere, view="all")) == []
    with pytest.raises(Http404):
        selectors.question_get_for_staff(user=elsewhere, number=questions[0].number)


def test_a_citizen_is_not_staff(questions):
    with pytest.raises(Http404):
        selectors.questions_for_staff(user=citizen())


def test_unmasking_a_caller_without_an_account_is_audited():
    operator = StaffFactory(region_code="4401", department_kind=DepartmentKind.DATA)
    chain_for("440106006002")
    question = services.hotline_record(
        by=operator, caller_phone="13911112222", caller_name="孙八",
        region_code="440106006002", title="来电", body="问题", submit_token=uuid.uuid4(),
    )  # fmt: skip
    assert selectors.asker_masked(question=question).phone == "139****2222"
    shown = selectors.asker_unmasked_for_staff(user=operator, question=question, purpose="回电")
    assert (shown.name, shown.phone) == ("孙八", "13911112222")
    entry = AuditEntry.objects.get(action=ACTION_PERSONAL_DATA_READ)
    assert entry.target_id == question.number and entry.purpose == "回电"


def test_transfer_targets_serve_the_askers_region(questions):
    soon = questions[0]
    targets = {d.region_id for d in selectors.departments_for_transfer(question=soon)}
    assert targets <= {"44", "4401", "440106", "440106006", "440106006002"}
    assert soon.department_id not in {
        d.pk for d in selectors.departments_for_transfer(question=soon)
    }
