"""The API's one error shape for input that never reaches a service."""

import pytest
from django.test import Client

from yiwang.accounts.models import LoginCode

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "The request body is not valid JSON."), ("zh-hans", "请求正文不是有效的 JSON。")],
)
@pytest.mark.parametrize("body", [b"{bad", b'{"phone": "138', b"\xff\xfe"])
def test_malformed_json_is_400_in_the_callers_language_and_changes_nothing(
    language: str, message: str, body: bytes
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)

    response = client.post("/api/v1/auth/login-code", data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"code": "malformed_json", "message": message, "details": None}
    assert LoginCode.objects.count() == 0


def test_a_wrong_type_is_422_naming_the_field() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/auth/login-code", data={"phone": 5}, content_type="application/json"
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["message"] == "Some of the information you sent is not valid."
    assert body["details"][0]["loc"] == ["body", "payload", "phone"]


def test_an_anonymous_call_to_a_private_endpoint_is_401_in_the_error_shape() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
