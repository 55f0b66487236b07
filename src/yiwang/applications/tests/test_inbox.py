"""The workbench inbox: four views, sorted by deadline either way, filtered, paginated and
scoped; and the enterprise picker on the apply page."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from yiwang.accounts.tests.factories import (
    EnterpriseFactory,
    enterprise_agent,
    staff_client_login,
)
from yiwang.applications.models import Application, WorkItem
from yiwang.applications.selectors import InboxFilters, inbox_for_staff
from yiwang.applications.services import application_submit, task_claim
from yiwang.applications.tests.factories import TWO_STEP, citizen, clerk, draft, implementation_for

pytestmark = pytest.mark.django_db


def _submitted(n: int) -> list[Application]:
    apps = []
    for _ in range(n):
        app = draft(TWO_STEP)
        apps.append(
            application_submit(user=app.applicant, application=app, submit_token=uuid.uuid4())
        )
    return apps


def _set_deadline(app: Application, days: int) -> None:
    day = timezone.localdate() + dt.timedelta(days=days)
    Application.objects.filter(pk=app.pk).update(deadline=day)
    WorkItem.objects.filter(application=app).update(deadline=day)


def _numbers(items: Any) -> list[str]:
    return [i.application.number for i in items]


def test_pool_sorts_by_deadline_both_ways_and_filters() -> None:
    late, soon, overdue = _submitted(3)
    _set_deadline(late, 10)
    _set_deadline(soon, 2)
    _set_deadline(overdue, -1)
    officer = clerk()
    pool = inbox_for_staff(user=officer, view="pool")
    assert _numbers(pool) == [overdue.number, soon.number, late.number]
    desc = inbox_for_staff(user=officer, view="pool", filters=InboxFilters(sort="-deadline"))
    assert _numbers(desc) == [late.number, soon.number, overdue.number]
    only_overdue = inbox_for_staff(user=officer, view="pool", filters=InboxFilters(overdue=True))
    assert _numbers(only_overdue) == [overdue.number]
    assert _numbers(inbox_for_staff(user=officer, view="overdue")) == [overdue.number]
    by_number = InboxFilters(number=soon.number)
    assert _numbers(inbox_for_staff(user=officer, view="pool", filters=by_number)) == [soon.number]
    code = late.implementation.item.code
    by_item = inbox_for_staff(user=officer, view="pool", filters=InboxFilters(item=code))
    assert _numbers(by_item) == [late.number]
    Application.objects.filter(pk=late.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=30)
    )
    recent = InboxFilters(submitted_from=timezone.localdate() - dt.timedelta(days=1))
    assert late.number not in _numbers(inbox_for_staff(user=officer, view="pool", filters=recent))
    old = InboxFilters(submitted_to=timezone.localdate() - dt.timedelta(days=29))
    assert _numbers(inbox_for_staff(user=officer, view="pool", filters=old)) == [late.number]
    status = InboxFilters(status="approved")
    assert list(inbox_for_staff(user=officer, view="pool", filters=status)) == []


def test_views_are_scoped_to_the_reader() -> None:
    (app,) = _submitted(1)
    officer, colleague = clerk(), clerk()
    item = WorkItem.objects.get(application=app, bpmn_id="accept")
    task_claim(user=officer, item_id=item.pk)
    assert _numbers(inbox_for_staff(user=officer, view="mine")) == [app.number]
    assert list(inbox_for_staff(user=colleague, view="mine")) == []
    assert list(inbox_for_staff(user=colleague, view="pool")) == []
    outsider = clerk(region_code="440104")
    for view in ("mine", "pool", "overdue", "done"):
        assert list(inbox_for_staff(user=outsider, view=view)) == []


def test_inbox_page_filters_sorts_paginates_in_both_languages() -> None:
    apps = _submitted(3)
    for days, app in enumerate(apps):
        _set_deadline(app, days + 1)
    staff = staff_client_login(Client(), clerk())
    page = staff.get("/applications/staff/", {"view": "pool", "sort": "-deadline"})
    body = page.content.decode()
    assert body.index(apps[2].number) < body.index(apps[0].number)
    assert 'aria-sort="descending"' in body
    assert "筛选" in body  # Chinese by default
    english = staff.get(
        "/applications/staff/", {"view": "pool", "number": apps[1].number},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()  # fmt: skip
    assert apps[1].number in english and apps[0].number not in english
    assert "Apply filters" in english
    bad = staff.get("/applications/staff/", {"view": "pool", "from": "not-a-date", "sort": "x"})
    assert bad.status_code == 200


def test_inbox_api_sorts_and_filters() -> None:
    apps = _submitted(2)
    _set_deadline(apps[0], 5)
    _set_deadline(apps[1], 1)
    staff = staff_client_login(Client(), clerk())
    url = "/api/v1/applications/staff/tasks"
    asc = staff.get(url, {"view": "pool"}).json()
    assert [i["application_number"] for i in asc] == [apps[1].number, apps[0].number]
    desc = staff.get(url, {"view": "pool", "sort": "-deadline"}).json()
    assert [i["application_number"] for i in desc] == [apps[0].number, apps[1].number]
    assert staff.get(url, {"view": "pool", "sort": "name"}).status_code == 404


def test_agent_picks_the_enterprise_on_the_apply_page(client: Client) -> None:
    implementation = implementation_for(TWO_STEP)
    agent = citizen()
    enterprise = EnterpriseFactory()
    enterprise_agent(enterprise, agent)
    other = EnterpriseFactory()
    client.force_login(agent)
    page = client.get(f"/applications/apply/{implementation.pk}/").content.decode()
    assert enterprise.name in page and other.name not in page
    assert "申请主体" in page
    client.post(
        f"/applications/apply/{implementation.pk}/",
        {"phone": "13800138000", "enterprise": enterprise.pk},
    )
    assert Application.objects.get().enterprise == enterprise
    refused = client.post(
        f"/applications/apply/{implementation.pk}/",
        {"phone": "13800138000", "enterprise": other.pk},
    )
    assert refused.status_code == 404
    assert Application.objects.count() == 1


def test_citizen_without_enterprises_sees_no_picker(client: Client) -> None:
    implementation = implementation_for(TWO_STEP)
    client.force_login(citizen())
    page = client.get(f"/applications/apply/{implementation.pk}/").content.decode()
    assert 'name="enterprise"' not in page
