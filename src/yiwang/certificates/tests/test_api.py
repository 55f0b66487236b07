from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from yiwang.accounts.models import DepartmentKind
from yiwang.accounts.tests.factories import CitizenFactory, StaffFactory, staff_client_login
from yiwang.certificates.models import CertificateStatus
from yiwang.certificates.tests.factories import PureKey, issued, qr_text

pytestmark = pytest.mark.django_db
URL = "/api/v1/certificates"


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def _post(client: Client, path: str, body: dict[str, object]) -> Any:
    return client.post(f"{URL}{path}", data=json.dumps(body), content_type="application/json")


def test_verify_valid_discloses_only_disclosed_fields(client: Client) -> None:
    certificate = issued()
    response = _post(client, "/verify", {"text": certificate.qr_payload})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "valid"
    assert body["message"] == "The certificate is genuine and valid."
    assert body["number"] == certificate.number
    assert body["type_name"] == "Social insurance participation record"
    assert [f["key"] for f in body["fields"]] == ["name", "insurance_types", "since", "months"]
    assert body["fields"][0] == {"key": "name", "label": "Name", "value": "李明"}


def test_verify_bad_inputs(client: Client) -> None:
    certificate = issued()
    assert _post(client, "/verify", {"text": "garbage"}).json()["status"] == "malformed"
    foreign = qr_text(PureKey())
    assert _post(client, "/verify", {"text": foreign}).json()["status"] == "unknown_key"
    response = _post(client, "/verify", {})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    certificate.status = CertificateStatus.REVOKED
    certificate.save()
    body = _post(client, "/verify", {"text": certificate.qr_payload}).json()
    assert body["status"] == "revoked"
    assert body["fields"] == []


def test_verify_in_chinese(client: Client) -> None:
    response = client.post(
        f"{URL}/verify", data=json.dumps({"text": "x"}), content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )  # fmt: skip
    assert response.json()["message"] == "这不是一网证照码，或者码已损坏、不完整。"


def test_revocations_and_keys_are_public(client: Client) -> None:
    certificate = issued()
    assert client.get(f"{URL}/revocations").json()["revoked"] == []
    certificate.status = CertificateStatus.REVOKED
    certificate.save()
    assert client.get(f"{URL}/revocations").json()["revoked"] == [certificate.number]
    assert client.get(f"{URL}/keys").json()["keys"][0]["kid"] == certificate.signing_kid


def test_wallet_api_is_the_holders_only(client: Client) -> None:
    certificate = issued()
    client.force_login(certificate.holder)
    mine = client.get(f"{URL}/").json()
    assert [c["number"] for c in mine] == [certificate.number]
    assert client.get(f"{URL}/{certificate.number}").json()["vc_jwt"] == certificate.vc_jwt
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(CitizenFactory().user)
    assert other.get(f"{URL}/").json() == []
    response = other.get(f"{URL}/{certificate.number}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Client().get(f"{URL}/").status_code == 401


def test_revoke_api_scoped_to_issuing_department_and_region(client: Client) -> None:
    certificate = issued()
    outsider = StaffFactory(region_code="440104", department_kind=DepartmentKind.HUMAN_RESOURCES)
    staff_client_login(client, outsider)
    response = _post(client, f"/{certificate.number}/revoke", {"reason": "x"})
    assert response.status_code == 404
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE
    insider = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff_client_login(
        insider, StaffFactory(region_code="440106", department_kind=DepartmentKind.HUMAN_RESOURCES)
    )
    empty = _post(insider, f"/{certificate.number}/revoke", {"reason": ""})
    assert empty.status_code == 422
    assert empty.json()["code"] == "reason_required"
    done = _post(insider, f"/{certificate.number}/revoke", {"reason": "信息有误"})
    assert done.json()["status"] == "revoked"


def test_share_and_pdf_api(client: Client) -> None:
    certificate = issued()
    client.force_login(certificate.holder)
    created = _post(client, f"/{certificate.number}/share", {"hours": 2})
    assert created.status_code == 201
    url = created.json()["url"]
    assert url.startswith("http://testserver/certificates/shared/")
    assert Client().post(url.replace("http://testserver", "")).status_code == 200
    bad = _post(client, f"/{certificate.number}/share", {"hours": 0})
    assert bad.status_code == 422
    assert bad.json()["code"] == "bad_hours"
    assert certificate.share_links.count() == 1
    pdf = client.get(f"{URL}/{certificate.number}/pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")
    other = Client()
    other.force_login(CitizenFactory().user)
    assert other.get(f"{URL}/{certificate.number}/pdf").status_code == 404
    assert _post(other, f"/{certificate.number}/share", {"hours": 2}).status_code == 404
