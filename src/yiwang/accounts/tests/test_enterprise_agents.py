"""Enterprise agents (经办人): the page and API where an agent adds and removes others."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from yiwang.accounts.models import EnterpriseAgent
from yiwang.accounts.services.enterprises import MSG_LAST_AGENT, MSG_NO_SUCH_CITIZEN
from yiwang.accounts.tests.factories import CitizenFactory, EnterpriseFactory
from yiwang.audit.models import AuditEntry
from yiwang.notify.models import Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    agent = CitizenFactory(real_name="王芳")
    colleague = CitizenFactory(real_name="李雷")
    enterprise = EnterpriseFactory()
    EnterpriseAgent.objects.create(enterprise=enterprise, user=agent.user)
    return enterprise, agent, colleague


def test_an_agent_adds_a_colleague_by_phone_and_real_name(en_client: Client, setup) -> None:
    enterprise, agent, colleague = setup
    en_client.force_login(agent.user)
    page = en_client.get(f"/accounts/enterprises/{enterprise.pk}/")
    assert page.status_code == 200 and agent.masked_phone in page.content.decode()
    assert agent.phone not in page.content.decode()  # masked on screen

    response = en_client.post(
        f"/accounts/enterprises/{enterprise.pk}/",
        {"phone": colleague.phone, "real_name": "李雷"},
    )
    assert response.status_code == 302
    assert EnterpriseAgent.objects.filter(enterprise=enterprise, user=colleague.user).exists()
    assert AuditEntry.objects.filter(action="enterprise.agent_added").count() == 1
    assert Delivery.objects.filter(
        recipient=colleague.user, template="enterprise_agent_added"
    ).exists()


@pytest.mark.parametrize("name", ["李四", ""])
def test_a_wrong_name_or_unknown_phone_says_the_same_and_adds_nobody(
    en_client: Client, setup, name: str
) -> None:
    enterprise, agent, colleague = setup
    en_client.force_login(agent.user)
    response = en_client.post(
        f"/accounts/enterprises/{enterprise.pk}/", {"phone": colleague.phone, "real_name": name}
    )
    assert response.status_code == 422
    assert EnterpriseAgent.objects.filter(enterprise=enterprise).count() == 1
    unknown = en_client.post(
        f"/accounts/enterprises/{enterprise.pk}/", {"phone": "13912345678", "real_name": "李雷"}
    )
    assert str(MSG_NO_SUCH_CITIZEN) in unknown.content.decode()
    if name:
        assert str(MSG_NO_SUCH_CITIZEN) in response.content.decode()


def test_someone_elses_enterprise_is_not_found(en_client: Client, setup) -> None:
    enterprise, _, colleague = setup
    en_client.force_login(colleague.user)
    assert en_client.get(f"/accounts/enterprises/{enterprise.pk}/").status_code == 404
    assert (
        en_client.post(
            f"/accounts/enterprises/{enterprise.pk}/",
            {"phone": colleague.phone, "real_name": "李雷"},
        ).status_code
        == 404
    )
    assert EnterpriseAgent.objects.filter(user=colleague.user).count() == 0


def test_the_last_agent_cannot_leave(en_client: Client, setup) -> None:
    enterprise, agent, _ = setup
    en_client.force_login(agent.user)
    response = en_client.post(
        f"/accounts/enterprises/{enterprise.pk}/agents/{agent.user_id}/remove/"
    )
    assert response.status_code == 422 and str(MSG_LAST_AGENT) in response.content.decode()
    assert EnterpriseAgent.objects.filter(enterprise=enterprise).count() == 1


def test_removing_a_colleague_then_leaving(en_client: Client, setup) -> None:
    enterprise, agent, colleague = setup
    EnterpriseAgent.objects.create(enterprise=enterprise, user=colleague.user)
    en_client.force_login(agent.user)
    assert (
        en_client.get(
            f"/accounts/enterprises/{enterprise.pk}/agents/{colleague.user_id}/remove/"
        ).status_code
        == 405
    )
    response = en_client.post(
        f"/accounts/enterprises/{enterprise.pk}/agents/{colleague.user_id}/remove/"
    )
    assert response.status_code == 302
    assert not EnterpriseAgent.objects.filter(user=colleague.user).exists()
    assert AuditEntry.objects.filter(action="enterprise.agent_removed").count() == 1


def test_the_page_is_in_chinese_by_default(zh_client: Client, setup) -> None:
    enterprise, agent, _ = setup
    zh_client.force_login(agent.user)
    html = zh_client.get(f"/accounts/enterprises/{enterprise.pk}/").content.decode()
    assert "添加经办人" in html


def test_api_lists_adds_and_removes_agents(en_client: Client, setup) -> None:
    enterprise, agent, colleague = setup
    en_client.force_login(agent.user)
    url = f"/api/v1/me/enterprises/{enterprise.pk}/agents"
    listed = en_client.get(url).json()
    assert [a["phone_masked"] for a in listed] == [agent.masked_phone]

    bad = en_client.post(
        url, json.dumps({"phone": colleague.phone, "real_name": "X"}), "application/json"
    )
    assert bad.status_code == 422 and bad.json()["code"] == "no_citizen"
    added = en_client.post(
        url, json.dumps({"phone": colleague.phone, "real_name": "李雷"}), "application/json"
    )
    assert added.status_code == 201 and added.json()["user_id"] == colleague.user_id
    assert en_client.delete(f"{url}/{colleague.user_id}").status_code == 204
    assert en_client.delete(f"{url}/{colleague.user_id}").status_code == 404
    outsider = Client()
    outsider.force_login(colleague.user)
    assert outsider.get(url).status_code == 404
