"""The JSON API: citizens rate and read; staff work orders; statistics for everyone."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from yiwang.accounts.tests.factories import StaffFactory, staff_client_login
from yiwang.reviews.tests.factories import bad_order, citizen, finished_application, scores

pytestmark = pytest.mark.django_db
BASE = "/api/v1/reviews"


def _post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_a_citizen_rates_once_and_reads_their_ratings() -> None:
    user = citizen()
    application = finished_application(user=user)
    client = Client()
    client.force_login(user)
    body = {"kind": "application", "ref": application.number, "level": 2,
            "scores": scores("online", 2), "comment": "跑了两趟", "named": False}  # fmt: skip

    created = _post(client, f"{BASE}/ratings", body)
    again = _post(client, f"{BASE}/ratings", body)

    assert created.status_code == 201
    assert created.json()["order"]["status"] == "open"
    assert again.status_code == 422 and again.json()["code"] == "already_rated"
    [mine] = client.get(f"{BASE}/ratings").json()
    assert mine["named"] is False and mine["level"] == 2


def test_rating_someone_elses_application_is_404() -> None:
    client = Client()
    client.force_login(citizen())
    body = {"kind": "application", "ref": finished_application().number, "level": 5,
            "scores": scores()}  # fmt: skip
    assert _post(client, f"{BASE}/ratings", body).status_code == 404


def test_staff_work_an_order_through_the_api() -> None:
    order = bad_order(named=True)
    staff = staff_client_login(Client(), StaffFactory(region_code="440106"))
    outsider = staff_client_login(Client(), StaffFactory(region_code="440104"))

    [listed] = staff.get(f"{BASE}/staff/orders").json()
    assert listed["reference"] == order.reference
    assert outsider.get(f"{BASE}/staff/orders/{order.pk}").status_code == 404

    refused = _post(staff, f"{BASE}/staff/orders/{order.pk}/result",
                    {"result": "已整改", "public_summary": "告知不全"})  # fmt: skip
    assert refused.status_code == 422 and refused.json()["code"] == "callback_required"
    _post(staff, f"{BASE}/staff/orders/{order.pk}/callback",
          {"called_at": "2026-11-25T10:00:00+08:00", "method": "phone",
           "reviewer_said": "同意"})  # fmt: skip
    done = _post(staff, f"{BASE}/staff/orders/{order.pk}/result",
                 {"result": "已整改", "public_summary": "告知不全"})  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "resolved"


def test_citizens_get_403_on_staff_endpoints() -> None:
    client = Client()
    client.force_login(citizen())
    assert client.get(f"{BASE}/staff/orders").status_code == 403


def test_statistics_are_public_and_scoped_for_staff() -> None:
    bad_order()
    [row] = Client().get(f"{BASE}/statistics/department", {"region": "4401"}).json()
    assert (row["total"], row["bad"], row["satisfied_rate"]) == (1, 1, 0.0)
    assert Client().get(f"{BASE}/statistics/nonsense").status_code == 404
    staff = staff_client_login(Client(), StaffFactory(region_code="440104"))
    assert staff.get(f"{BASE}/staff/statistics/region").json() == []


def test_appeal_and_decision_through_the_api() -> None:
    order = bad_order()
    clerk = staff_client_login(Client(), StaffFactory(region_code="440106"))
    supervisor = staff_client_login(
        Client(), StaffFactory(region_code="4401", roles=["supervisor"], department_kind="data")
    )

    filed = _post(clerk, f"{BASE}/staff/orders/{order.pk}/appeal",
                  {"reason": "恶意差评", "evidence": "录像"})  # fmt: skip
    assert filed.status_code == 201
    assert clerk.get(f"{BASE}/staff/appeals").status_code == 403
    [pending] = supervisor.get(f"{BASE}/staff/appeals").json()
    decided = _post(supervisor, f"{BASE}/staff/appeals/{pending['id']}/decide",
                    {"upheld": False, "note": "证据不足"})  # fmt: skip
    assert decided.json()["status"] == "dismissed"
    assert clerk.get(f"{BASE}/staff/orders/{order.pk}").json()["status"] == "open"


def test_the_reviewer_gives_a_verdict_through_the_api_once() -> None:
    from yiwang.reviews import services

    order = bad_order(named=False)
    services.order_result_record(
        order=order, by=StaffFactory(region_code="440106"), result="已整改", public_summary="慢"
    )
    client = Client()
    client.force_login(order.rating.rater)
    url = f"{BASE}/orders/{order.pk}/verdict"

    [mine] = client.get(f"{BASE}/ratings").json()
    assert mine["order"]["awaits_verdict"] is True and mine["order"]["round"] == 1
    given = _post(client, url, {"satisfied": False, "comment": "没变"})
    again = _post(client, url, {"satisfied": True})
    stranger = Client()
    stranger.force_login(citizen())

    assert given.status_code == 201
    assert given.json()["status"] == "open" and given.json()["round"] == 2
    assert given.json()["verdicts"][0]["satisfied"] is False
    assert again.status_code == 422  # round 2 has no result yet
    assert _post(stranger, url, {"satisfied": True}).status_code == 404
