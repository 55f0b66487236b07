"""The request-wide middleware through real requests: request ids, and the API guards (body
size, rate limit, Idempotency-Key) on ``/api/`` paths only.

The idempotency tests mount a tiny view under ``/api/`` with this module as the URLconf: the
guard sits in front of every API POST, and a view that creates a row shows whether a repeat
created anything twice.
"""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from django.http import HttpRequest, JsonResponse
from django.test import Client, override_settings
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from yiwang.core.models import IdempotencyRecord, WorkdayOverride

TEST_URLS = "yiwang.core.tests.test_middleware"


@csrf_exempt
def _create_day(request: HttpRequest) -> JsonResponse:
    """Creates one row per call; answers 500 when asked so, to test that failures are retried."""
    payload = json.loads(request.body or b"{}")
    if payload.get("fail"):
        return JsonResponse({"code": "boom"}, status=500)
    day = WorkdayOverride.objects.create(
        date=payload["date"], is_working_day=True, name=payload.get("name", "")
    )
    return JsonResponse({"id": day.pk, "date": str(day.date)}, status=201)


def _healthy(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [
    path("api/test/days", _create_day),
    path("api/test/ping", _healthy),
    path("plain/ping", _healthy),
]


def _post(client: Client, body: dict[str, object], key: str | None = None, **extra: str):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        "/api/test/days",
        data=json.dumps(body),
        content_type="application/json",
        headers=headers,
        **extra,
    )


# --- request id -------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_response_carries_a_generated_request_id(client: Client) -> None:
    first = client.get("/healthz")
    second = client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-Id"])
    assert first["X-Request-Id"] != second["X-Request-Id"]


@pytest.mark.django_db
def test_a_callers_request_id_is_echoed_and_truncated(client: Client) -> None:
    assert client.get("/healthz", headers={"X-Request-Id": "abc-123"})["X-Request-Id"] == "abc-123"
    long_id = "x" * 100
    assert client.get("/healthz", headers={"X-Request-Id": long_id})["X-Request-Id"] == "x" * 64


# --- body size --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
@override_settings(API_MAX_BODY_BYTES=64)
def test_an_api_body_over_the_limit_is_refused_and_changes_nothing(client: Client) -> None:
    response = _post(client, {"date": "2030-01-01", "name": "x" * 100}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    assert response.json() == {
        "code": "request_too_large",
        "message": "The request is too large.",
        "details": {"max_bytes": 64},
    }
    assert not WorkdayOverride.objects.exists()


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
@override_settings(API_MAX_BODY_BYTES=64)
def test_a_body_at_the_limit_passes(client: Client) -> None:
    body = {"date": "2030-01-01", "name": ""}
    size = len(json.dumps(body))
    body["name"] = "n" * (64 - size)
    assert len(json.dumps(body)) == 64
    assert _post(client, body).status_code == 201


# --- rate limit -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
@override_settings(API_RATE_LIMIT="3/60")
def test_api_calls_over_the_rate_are_refused_with_retry_after(client: Client) -> None:
    for _ in range(3):
        assert client.get("/api/test/ping").status_code == 200
    response = client.get("/api/test/ping", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "rate_limited"
    assert body["message"] == "Too many requests. Please wait a moment and try again."
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 60
    assert body["details"] == {"retry_after": retry_after}


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
@override_settings(API_RATE_LIMIT="2/60")
def test_the_rate_limit_counts_each_caller_separately(client: Client) -> None:
    for _ in range(2):
        assert client.get("/api/test/ping", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get("/api/test/ping", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get("/api/test/ping", REMOTE_ADDR="10.0.0.2").status_code == 200
    bearer = {"Authorization": "Bearer some-token"}
    assert client.get("/api/test/ping", REMOTE_ADDR="10.0.0.1", headers=bearer).status_code == 200


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
@override_settings(API_RATE_LIMIT="1/60", API_MAX_BODY_BYTES=1)
def test_pages_outside_the_api_are_not_guarded(client: Client) -> None:
    for _ in range(3):
        assert client.get("/plain/ping").status_code == 200


# --- Idempotency-Key --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
def test_a_repeated_post_replays_the_first_response_and_creates_nothing(client: Client) -> None:
    first = _post(client, {"date": "2030-01-02"}, key="key-1")
    again = _post(client, {"date": "2030-01-02"}, key="key-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert WorkdayOverride.objects.count() == 1
    record = IdempotencyRecord.objects.get()
    assert record.key == "key-1"
    assert record.scope == hashlib.sha256(b"ip:127.0.0.1").hexdigest()


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
def test_reusing_a_key_for_a_different_body_is_refused(client: Client) -> None:
    assert _post(client, {"date": "2030-01-03"}, key="key-2").status_code == 201
    response = _post(client, {"date": "2030-01-04"}, key="key-2", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json() == {
        "code": "idempotency_key_reused",
        "message": "This Idempotency-Key was already used for a different request.",
        "details": None,
    }
    assert [str(d) for d in WorkdayOverride.objects.values_list("date", flat=True)] == [
        "2030-01-03"
    ]


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
def test_a_key_whose_first_request_is_still_running_answers_409(client: Client) -> None:
    body = json.dumps({"date": "2030-01-05"}).encode()
    IdempotencyRecord.objects.create(
        scope=hashlib.sha256(b"ip:127.0.0.1").hexdigest(),
        key="key-3",
        fingerprint=hashlib.sha256(b"/api/test/days\n" + body).hexdigest(),
    )
    response = _post(client, {"date": "2030-01-05"}, key="key-3", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_in_progress"
    assert response.json()["message"] == (
        "The first request with this Idempotency-Key is still running."
    )
    assert not WorkdayOverride.objects.exists()


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
def test_a_failed_request_can_be_retried_with_the_same_key(client: Client) -> None:
    assert _post(client, {"date": "2030-01-06", "fail": True}, key="key-4").status_code == 500
    assert not IdempotencyRecord.objects.exists()
    # The same key with the same body runs again (and fails again) instead of replaying.
    assert _post(client, {"date": "2030-01-06", "fail": True}, key="key-4").status_code == 500
    assert not WorkdayOverride.objects.exists()


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
def test_keys_are_scoped_per_caller_and_posts_without_a_key_are_not_deduplicated(
    client: Client,
) -> None:
    assert _post(client, {"date": "2030-01-07"}, key="shared", REMOTE_ADDR="10.0.0.1").json()
    other = _post(client, {"date": "2030-01-08"}, key="shared", REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other
    assert _post(client, {"date": "2030-01-09"}).status_code == 201
    assert _post(client, {"date": "2030-01-10"}).status_code == 201
    assert WorkdayOverride.objects.count() == 4
    assert IdempotencyRecord.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
@override_settings(API_RATE_LIMIT="1/60", TRUST_X_FORWARDED_FOR=True)
def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(client: Client) -> None:
    lb = "10.0.0.254"
    for address in ("203.0.113.1", "203.0.113.2"):
        headers = {"X-Forwarded-For": f"{address}, {lb}"}
        assert client.get("/api/test/ping", REMOTE_ADDR=lb, headers=headers).status_code == 200
    again = {"X-Forwarded-For": "203.0.113.1"}
    assert client.get("/api/test/ping", REMOTE_ADDR=lb, headers=again).status_code == 429


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
@override_settings(API_RATE_LIMIT="1/60", TRUST_X_FORWARDED_FOR=False)
def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client: Client) -> None:
    first = {"X-Forwarded-For": "203.0.113.1"}
    assert client.get("/api/test/ping", REMOTE_ADDR="10.0.0.9", headers=first).status_code == 200
    spoofed = {"X-Forwarded-For": "203.0.113.99"}
    assert client.get("/api/test/ping", REMOTE_ADDR="10.0.0.9", headers=spoofed).status_code == 429


@pytest.mark.django_db
def test_api_multipart_may_be_as_large_as_an_upload_json_may_not(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.API_MAX_BODY_BYTES = 1000
    settings.API_MAX_UPLOAD_BYTES = 5000
    json_body = client.post("/api/v1/applications/", "x" * 2000, content_type="application/json")
    assert json_body.status_code == 413 and json_body.json()["details"]["max_bytes"] == 1000
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = client.post(
        "/api/v1/applications/A1/materials", {"file": SimpleUploadedFile("a.pdf", b"%" * 2000)}
    )
    assert upload.status_code != 413  # reaches the API (401: nobody is signed in)
    too_big = client.post(
        "/api/v1/applications/A1/materials", {"file": SimpleUploadedFile("a.pdf", b"%" * 6000)}
    )
    assert too_big.status_code == 413 and too_big.json()["details"]["max_bytes"] == 5000
