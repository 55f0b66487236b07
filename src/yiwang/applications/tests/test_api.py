"""The JSON API: citizens apply and track, staff claim and act; scoping answers 404."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from yiwang.accounts.tests.factories import staff_client_login
from yiwang.applications.models import Application, Status, WorkItem
from yiwang.applications.tests.factories import (
    GOOD_FORM,
    TWO_STEP,
    citizen,
    clerk,
    implementation_for,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/applications"


def _post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def _submitted(client: Client) -> dict[str, Any]:
    implementation = implementation_for(TWO_STEP)
    client.force_login(citizen())
    created = _post(
        client, f"{BASE}/", {"implementation_id": implementation.pk, "form_data": GOOD_FORM}
    )
    assert created.status_code == 201
    number = created.json()["number"]
    response = _post(client, f"{BASE}/{number}/submit", {"submit_token": str(uuid.uuid4())})
    assert response.status_code == 200
    return dict(response.json())


def test_citizen_applies_and_sees_the_timeline(client: Client) -> None:
    body = _submitted(client)
    assert body["status"] == "submitted"
    assert [e["kind"] for e in body["timeline"]] == ["submitted"]
    mine = client.get(f"{BASE}/mine").json()
    assert [a["number"] for a in mine] == [body["number"]]
    detail = client.get(f"{BASE}/{body['number']}").json()
    assert detail["deadline"] == body["deadline"] and detail["holder_department"]


def test_submit_with_a_bad_form_gives_field_errors(client: Client) -> None:
    implementation = implementation_for(TWO_STEP)
    client.force_login(citizen())
    number = _post(
        client, f"{BASE}/", {"implementation_id": implementation.pk, "form_data": {"seats": 0}}
    ).json()["number"]
    response = _post(client, f"{BASE}/{number}/submit", {"submit_token": str(uuid.uuid4())})
    assert response.status_code == 422
    assert response.json()["code"] == "required"
    assert set(response.json()["details"]) == {"phone", "seats"}
    assert Application.objects.get(number=number).status == Status.DRAFT


def test_same_submit_token_twice_gives_one_submission(client: Client) -> None:
    implementation = implementation_for(TWO_STEP)
    client.force_login(citizen())
    number = _post(
        client, f"{BASE}/", {"implementation_id": implementation.pk, "form_data": GOOD_FORM}
    ).json()["number"]
    token = str(uuid.uuid4())
    first = _post(client, f"{BASE}/{number}/submit", {"submit_token": token})
    second = _post(client, f"{BASE}/{number}/submit", {"submit_token": token})
    assert first.status_code == second.status_code == 200
    assert WorkItem.objects.count() == 1


def test_other_citizens_application_is_not_found(client: Client) -> None:
    body = _submitted(client)
    client.force_login(citizen())
    assert client.get(f"{BASE}/{body['number']}").status_code == 404
    assert _post(client, f"{BASE}/{body['number']}/withdraw").status_code == 404


def test_staff_claims_and_acts_and_the_citizen_sees_it(client: Client) -> None:
    body = _submitted(client)
    officer = clerk()
    staff = staff_client_login(Client(), officer)
    pool = staff.get(f"{BASE}/staff/tasks", {"view": "pool"}).json()
    assert [(t["application_number"], t["step"], t["actions"]) for t in pool] == [
        (body["number"], "受理", ["accept", "supplement", "not_accept"])
    ]
    item_id = pool[0]["id"]
    claimed = _post(staff, f"{BASE}/staff/tasks/{item_id}/claim").json()
    assert claimed["claimed_by_me"] is True
    assert [t["id"] for t in staff.get(f"{BASE}/staff/tasks").json()] == [item_id]
    response = _post(
        staff,
        f"{BASE}/staff/tasks/{item_id}/complete",
        {"action": "supplement", "checklist": ["租赁合同"]},
    )
    assert response.status_code == 200 and response.json()["status"] == "supplement_requested"
    detail = client.get(f"{BASE}/{body['number']}").json()
    assert detail["expected_of_applicant"] == ["租赁合同"]
    done = staff.get(f"{BASE}/staff/tasks", {"view": "done"}).json()
    assert [t["id"] for t in done] == [item_id]


def test_reject_without_reason_is_422_with_the_field(client: Client) -> None:
    _submitted(client)
    officer = clerk()
    staff = staff_client_login(Client(), officer)
    item = WorkItem.objects.get()
    _post(staff, f"{BASE}/staff/tasks/{item.pk}/claim")
    response = _post(staff, f"{BASE}/staff/tasks/{item.pk}/complete", {"action": "not_accept"})
    assert response.status_code == 422
    assert response.json()["details"] == {
        # The API answers in the request's language: Chinese by default.
        "reason": [{"code": "reason_required", "message": "请填写作出该决定的理由。"}]
    }


def test_other_regions_clerk_gets_404_and_citizens_get_403(client: Client) -> None:
    _submitted(client)
    item = WorkItem.objects.get()
    assert client.get(f"{BASE}/staff/tasks").status_code == 403
    outsider = staff_client_login(Client(), clerk(region_code="440104"))
    assert outsider.get(f"{BASE}/staff/tasks", {"view": "pool"}).json() == []
    assert _post(outsider, f"{BASE}/staff/tasks/{item.pk}/claim").status_code == 404


def test_staff_without_otp_is_refused(client: Client) -> None:
    client.force_login(clerk())
    assert client.get(f"{BASE}/staff/tasks").status_code == 403


def test_agent_applies_for_their_enterprise_and_others_cannot(client: Client) -> None:
    from yiwang.accounts.tests.factories import EnterpriseFactory, enterprise_agent

    implementation = implementation_for(TWO_STEP)
    agent = citizen()
    enterprise = EnterpriseFactory()
    enterprise_agent(enterprise, agent)
    client.force_login(agent)
    body = {"implementation_id": implementation.pk, "form_data": GOOD_FORM}
    created = _post(client, f"{BASE}/", {**body, "enterprise_id": enterprise.pk})
    assert created.status_code == 201
    assert created.json()["enterprise"] == enterprise.name
    client.force_login(citizen())
    refused = _post(client, f"{BASE}/", {**body, "enterprise_id": enterprise.pk})
    assert refused.status_code == 404
    assert Application.objects.count() == 1


def test_appeal_through_the_api(client: Client) -> None:
    from yiwang.accounts.tests.factories import CitizenFactory, chain_for
    from yiwang.applications.tests.factories import INSTANT

    implementation = implementation_for(INSTANT)
    client.force_login(CitizenFactory(region=chain_for("110101")[-1]).user)
    body = {"implementation_id": implementation.pk, "form_data": GOOD_FORM}
    number = _post(client, f"{BASE}/", body).json()["number"]
    decided = _post(client, f"{BASE}/{number}/submit", {"submit_token": str(uuid.uuid4())}).json()
    assert decided["status"] == "rejected"
    assert decided["decision_reason"].startswith("您的户籍地不在本省")
    empty = _post(client, f"{BASE}/{number}/appeal", {"reason": ""})
    assert empty.status_code == 422
    appealed = _post(client, f"{BASE}/{number}/appeal", {"reason": "我在本省参保"})
    assert appealed.status_code == 200 and appealed.json()["status"] == "under_review"
    assert [e["kind"] for e in appealed.json()["timeline"]][-1] == "appealed"


def test_a_program_uploads_a_material_with_its_token(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Multipart upload through the API with only a bearer token (no cookie, so no CSRF);
    the content is checked, not the name; bad files change nothing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yiwang.accounts import services as account_services
    from yiwang.applications.models import ApplicationMaterial
    from yiwang.applications.tests.factories import draft

    settings.MEDIA_ROOT = str(tmp_path)
    application = draft()
    token = account_services.api_token_create(user=application.applicant, name="app").raw
    program = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"{BASE}/{application.number}/materials"
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    stored = program.post(url, {"file": SimpleUploadedFile("licence.pdf", pdf)})
    assert stored.status_code == 201, stored.content
    assert stored.json()["content_type"] == "application/pdf"
    assert len(stored.json()["sha256"]) == 64
    fake = program.post(url, {"file": SimpleUploadedFile("photo.png", b"just some text")})
    assert fake.status_code == 422 and fake.json()["code"] == "type_not_allowed"
    assert ApplicationMaterial.objects.filter(application=application).count() == 1
    stranger = account_services.api_token_create(user=citizen(), name="other").raw
    other = Client(HTTP_AUTHORIZATION=f"Bearer {stranger}")
    assert other.post(url, {"file": SimpleUploadedFile("a.pdf", pdf)}).status_code == 404
