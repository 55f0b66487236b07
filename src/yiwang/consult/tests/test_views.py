import uuid

import pytest
from django.test import Client
from django.urls import reverse

from yiwang.accounts.models import DepartmentKind
from yiwang.accounts.tests.factories import staff_client_login
from yiwang.audit.models import ACTION_PERSONAL_DATA_READ, AuditEntry
from yiwang.catalog.tests.factories import published_item
from yiwang.consult import services
from yiwang.consult.forms import MSG_CONFIRM_NONE
from yiwang.consult.models import KnowledgeEntry, Question, QuestionStatus
from yiwang.consult.services.questions import MSG_NOT_HOLDER
from yiwang.consult.tests.factories import ask, citizen, clerk, data_bureau

pytestmark = pytest.mark.django_db


@pytest.fixture
def food():
    item, impl = published_item(
        region_code="440106", name_zh="食品经营许可", name_en="Food licence"
    )
    staff = clerk("440106", roles=["clerk", "department_admin"])
    services.faq_save(
        by=staff, implementation=impl, title_zh="食品经营许可证要什么材料？",
        body_zh="营业执照和场所平面图。", title_en="What does a food licence need?",
        body_en="A business licence and a floor plan.", publish=True,
    )  # fmt: skip
    return item, impl, staff


def _login(client: Client, user) -> Client:
    client.force_login(user)
    return client


# Public knowledge base --------------------------------------------------------------------


def test_the_knowledge_base_is_public_and_chinese_by_default(client, food):
    response = client.get(reverse("consult:index"), {"q": "食品经营许可"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "食品经营许可证要什么材料？" in html
    assert "搜索解答" in html


def test_the_knowledge_base_in_english(client, food):
    response = client.get(reverse("consult:index"), {"q": "food"}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "What does a food licence need?" in html
    assert "Search the answers" in html


def test_an_unsearchable_query_gets_a_message_not_an_error_page(client, food):
    response = client.get(reverse("consult:index"), {"q": "***"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert "no words we can look for" in response.content.decode()


def test_an_unpublished_entry_is_not_found(client, food):
    entry = KnowledgeEntry.objects.get()
    services.entry_set_published(entry=entry, by=food[2], published=False)
    assert client.get(reverse("consult:entry", args=[entry.pk])).status_code == 404


# Asking -----------------------------------------------------------------------------------


def test_the_guide_links_to_the_ask_page_for_its_item(client, food):
    item, impl, _staff = food
    html = client.get(reverse("catalog:guide", args=[impl.pk])).content.decode()
    assert f'href="/consult/ask/?item={item.code}"' in html


def test_asking_shows_matching_answers_first_and_needs_a_confirmation(client, food):
    item, impl, _staff = food
    user = citizen()
    _login(client, user)
    step1 = client.get(reverse("consult:ask"), {"item": item.code}, HTTP_ACCEPT_LANGUAGE="en")
    assert 'hx-get="/consult/ask/matches"' in step1.content.decode()
    live = client.get(reverse("consult:ask_matches"), {"title": "食品经营许可材料"})
    assert "食品经营许可证要什么材料？" in live.content.decode()
    step2 = client.get(reverse("consult:ask"), {"item": item.code, "title": "食品经营许可材料"})
    assert "食品经营许可证要什么材料？" in step2.content.decode()
    data = {"title": "食品经营许可材料", "body": "我还想问健康证。", "item": item.code,
            "submit_token": str(uuid.uuid4())}  # fmt: skip
    refused = client.post(reverse("consult:ask"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 422
    assert str(MSG_CONFIRM_NONE) in refused.content.decode()
    assert not Question.objects.exists()
    sent = client.post(reverse("consult:ask"), {**data, "none_answered": "on"})
    again = client.post(reverse("consult:ask"), {**data, "none_answered": "on"})
    question = Question.objects.get()
    assert sent.status_code == again.status_code == 302
    assert sent["Location"] == reverse("consult:question", args=[question.number])
    assert question.department_id == impl.department_id


def test_an_empty_question_is_refused_next_to_the_field(client, food):
    _login(client, citizen())
    data_bureau()
    response = client.post(
        reverse("consult:ask"),
        {"title": "问题", "body": "", "submit_token": str(uuid.uuid4())},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert "yw-error-summary" in response.content.decode()
    assert not Question.objects.exists()


def test_someone_elses_question_and_follow_up_are_not_found(client, food):
    question = ask(citizen(), item=food[0])
    _login(client, citizen())
    assert client.get(reverse("consult:question", args=[question.number])).status_code == 404
    response = client.post(reverse("consult:follow_up", args=[question.number]), {"body": "x"})
    assert response.status_code == 404
    assert not question.messages.exists()


def test_the_asker_sees_the_answer_and_can_follow_up(client, food):
    item, _impl, staff = food
    user = citizen()
    question = ask(user, item=item)
    services.question_answer(question=question, by=staff, body="请携带健康证明。")
    _login(client, user)
    html = client.get(reverse("consult:question", args=[question.number])).content.decode()
    assert "请携带健康证明。" in html and "已答复" in html
    client.post(reverse("consult:follow_up", args=[question.number]), {"body": "复印件可以吗？"})
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN


# Staff ------------------------------------------------------------------------------------


def test_the_inbox_lists_my_departments_questions_and_marks_overdue(client, food):
    item, _impl, staff = food
    question = ask(citizen(), item=item)
    Question.objects.filter(pk=question.pk).update(deadline="2020-01-01")
    staff_client_login(client, staff)
    html = client.get(reverse("consult:staff_inbox"), {"view": "overdue"}).content.decode()
    assert question.number in html and "yw-tag--red" in html


@pytest.mark.parametrize(
    ("region", "kind"),
    [("440104", DepartmentKind.MARKET_REGULATION), ("440106", DepartmentKind.HEALTH)],
    ids=["other-region", "other-line"],
)
def test_staff_outside_the_scope_get_not_found(client, food, region, kind):
    question = ask(citizen(), item=food[0])
    staff_client_login(client, clerk(region, kind))
    assert question.number not in client.get(reverse("consult:staff_inbox")).content.decode()
    url = reverse("consult:staff_question", args=[question.number])
    assert client.get(url).status_code == 404
    answer = client.post(reverse("consult:staff_answer", args=[question.number]), {"body": "x"})
    assert answer.status_code == 404
    assert Question.objects.get().status == QuestionStatus.OPEN


def test_a_city_colleague_of_the_same_line_sees_it_but_cannot_answer(client, food):
    item, impl, _staff = food
    question = ask(citizen(), item=item)
    city = clerk("4401")
    staff_client_login(client, city)
    response = client.post(
        reverse("consult:staff_answer", args=[question.number]), {"body": "答复"},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert response.status_code == 422
    assert str(MSG_NOT_HOLDER % {"department": impl.department.name}) in response.content.decode()
    assert Question.objects.get().status == QuestionStatus.OPEN


def test_the_clerk_answers_and_unmasks_the_asker_with_an_audit(client, food):
    item, _impl, staff = food
    user = citizen()
    question = ask(user, item=item)
    staff_client_login(client, staff)
    page = client.get(reverse("consult:staff_question", args=[question.number])).content.decode()
    assert user.citizen.phone not in page and user.citizen.masked_phone in page
    shown = client.post(reverse("consult:staff_unmask", args=[question.number]),
                        {"purpose": "回电核实情况"}).content.decode()  # fmt: skip
    assert user.citizen.phone in shown
    assert AuditEntry.objects.filter(action=ACTION_PERSONAL_DATA_READ, subject_id=user.pk).exists()
    response = client.post(reverse("consult:staff_answer", args=[question.number]),
                           {"body": "请携带健康证明。"})  # fmt: skip
    assert response.status_code == 302
    assert Question.objects.get().status == QuestionStatus.ANSWERED


def test_the_hotline_operator_records_a_call(client, food):
    item, impl, _staff = food
    from yiwang.accounts.tests.factories import StaffFactory

    operator = StaffFactory(region_code="4401", department_kind=DepartmentKind.DATA)
    citizen("440106006002")  # the caller's region exists
    staff_client_login(client, operator)
    assert client.get(reverse("consult:staff_hotline")).status_code == 200
    response = client.post(reverse("consult:staff_hotline"), {
        "caller_phone": "13912340000", "caller_name": "钱七", "region_code": "440106006002",
        "item": item.code, "title": "来电咨询", "body": "开饭店要什么证？",
        "submit_token": str(uuid.uuid4()),
    })  # fmt: skip
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.channel == "hotline" and question.department_id == impl.department_id
    assert question.recorded_by_id == operator.pk


def test_a_department_admin_writes_and_withdraws_an_faq(client, food):
    _item, impl, staff = food
    staff_client_login(client, staff)
    response = client.post(reverse("consult:staff_faq_new"), {
        "implementation": impl.pk, "title_zh": "可以网上办吗？", "body_zh": "可以。",
        "publish": "on",
    })  # fmt: skip
    assert response.status_code == 302
    entry = KnowledgeEntry.objects.get(title_zh="可以网上办吗？")
    assert entry.is_published
    client.post(reverse("consult:staff_kb_publish", args=[entry.pk]), {"published": "0"})
    entry.refresh_from_db()
    assert not entry.is_published
    assert AuditEntry.objects.filter(action="consult.unpublish").exists()
