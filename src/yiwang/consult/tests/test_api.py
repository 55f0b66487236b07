import uuid

import pytest
from django.test import Client

from yiwang.accounts.models import DepartmentKind
from yiwang.accounts.tests.factories import StaffFactory, staff_client_login
from yiwang.catalog.tests.factories import published_item
from yiwang.consult import services
from yiwang.consult.models import Question, QuestionStatus
from yiwang.consult.tests.factories import ask, citizen, clerk, data_bureau

pytestmark = pytest.mark.django_db
API = "/api/v1/consult"


@pytest.fixture
def food():
    item, impl = published_item(region_code="440106", name_zh="食品经营许可")
    staff = clerk("440106")
    services.faq_save(by=staff, implementation=impl, title_zh="食品经营许可证要什么材料？",
                      body_zh="营业执照。", publish=True)  # fmt: skip
    return item, impl, staff


def test_knowledge_base_search_is_public(client: Client, food):
    found = client.get(f"{API}/kb", {"q": "开饭店"}).json()
    assert [e["title"] for e in found] == ["食品经营许可证要什么材料？"]
    bad = client.get(f"{API}/kb", {"q": "***"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 422
    assert bad.json()["code"]


def test_a_citizen_asks_reads_the_thread_and_follows_up(client: Client, food):
    item, _impl, staff = food
    user = citizen()
    client.force_login(user)
    token = str(uuid.uuid4())
    body = {
        "title": "要什么材料",
        "body": "还要健康证吗？",
        "item": item.code,
        "submit_token": token,
    }
    first = client.post(f"{API}/questions", body, content_type="application/json")
    again = client.post(f"{API}/questions", body, content_type="application/json")
    assert first.status_code == again.status_code == 201
    number = first.json()["number"]
    assert again.json()["number"] == number and Question.objects.count() == 1
    services.question_answer(question=Question.objects.get(), by=staff, body="需要。")
    thread = client.get(f"{API}/questions/{number}").json()
    assert thread["status"] == "answered" and thread["messages"][0]["body"] == "需要。"
    follow = client.post(f"{API}/questions/{number}/follow-up", {"body": "复印件行吗？"},
                         content_type="application/json")  # fmt: skip
    assert follow.status_code == 201 and follow.json()["status"] == "open"
    assert [q["number"] for q in client.get(f"{API}/questions").json()] == [number]


def test_someone_elses_question_is_not_found(client: Client, food):
    question = ask(citizen(), item=food[0])
    client.force_login(citizen())
    assert client.get(f"{API}/questions/{question.number}").status_code == 404
    response = client.post(f"{API}/questions/{question.number}/follow-up", {"body": "x"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 404


def test_staff_inbox_answer_and_the_wrong_department(client: Client, food):
    item, impl, staff = food
    question = ask(citizen(), item=item)
    staff_client_login(client, clerk("4401"))  # same line, city level: sees it, does not hold it
    inbox = client.get(f"{API}/staff/questions").json()
    assert [q["number"] for q in inbox] == [question.number]
    refused = client.post(f"{API}/staff/questions/{question.number}/answer", {"body": "x"},
                          content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert refused.status_code == 422 and impl.department.name in refused.json()["message"]
    staff_client_login(client, staff)
    done = client.post(f"{API}/staff/questions/{question.number}/answer", {"body": "答复"},
                       content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == QuestionStatus.ANSWERED


def test_staff_of_another_region_get_not_found(client: Client, food):
    question = ask(citizen(), item=food[0])
    staff_client_login(client, clerk("440104"))
    assert client.get(f"{API}/staff/questions").json() == []
    assert client.get(f"{API}/staff/questions/{question.number}").status_code == 404


def test_a_citizen_cannot_use_the_staff_api(client: Client, food):
    client.force_login(citizen())
    assert client.get(f"{API}/staff/questions").status_code == 403


def test_hotline_intake_and_transfer(client: Client, food):
    item, _impl, _staff = food
    citizen("440106006002")
    data_bureau()
    operator = StaffFactory(region_code="4401", department_kind=DepartmentKind.DATA)
    staff_client_login(client, operator)
    created = client.post(f"{API}/staff/hotline", {
        "caller_phone": "13900000001", "region_code": "440106006002", "title": "来电",
        "body": "问题", "submit_token": str(uuid.uuid4()),
    }, content_type="application/json")  # fmt: skip
    assert created.status_code == 201 and created.json()["channel"] == "hotline"
    number = created.json()["number"]
    moved = client.post(f"{API}/staff/questions/{number}/transfer", {
        "to_department": _staff_department(food), "reason": "属市场监管职责",
    }, content_type="application/json")  # fmt: skip
    assert moved.status_code == 200 and moved.json()["routing_reason"] == "transferred"


def _staff_department(food) -> int:
    return food[1].department_id


def test_staff_publish_an_answer_through_the_api(client: Client, food):
    item, _impl, staff = food
    question = ask(citizen(), item=item)
    services.question_answer(question=question, by=staff, body="需要健康证明。")
    staff_client_login(client, staff)
    url = f"{API}/staff/questions/{question.number}/publish"
    refused = client.post(url, {"title_zh": "健康证问题", "body_zh": "打13800001111咨询"},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 422
    published = client.post(url, {"title_zh": "开餐馆要健康证吗？", "body_zh": "需要。"},
                            content_type="application/json")  # fmt: skip
    assert published.status_code == 201
    assert client.get(f"{API}/kb/{published.json()['id']}").json()["title"] == "开餐馆要健康证吗？"
