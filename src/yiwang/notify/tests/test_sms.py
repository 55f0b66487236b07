"""The HTTP gateway backend against a real local HTTP server."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from yiwang.notify.sms import HttpSmsBackend, SmsError
from yiwang.notify.tests.conftest import SettingsWrapper


class Gateway:
    """What the fake gateway answers, and what it received."""

    def __init__(self) -> None:
        self.status = 200
        self.answer: bytes = b'{"message_id": "gw-42"}'
        self.delay = 0.0
        self.requests: list[dict[str, Any]] = []


@pytest.fixture
def gateway(settings: SettingsWrapper) -> Iterator[Gateway]:
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append(
                {"path": self.path, "headers": dict(self.headers), "json": json.loads(body)}
            )
            time.sleep(state.delay)
            try:
                self.send_response(state.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(state.answer)
            except BrokenPipeError:
                pass  # the client gave up (the timeout test)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{server.server_address[1]}/sms"
    settings.SMS_HTTP_API_KEY = "secret-key"
    settings.SMS_HTTP_SENDER = "一网"
    settings.SMS_HTTP_TIMEOUT = 2
    yield state
    server.shutdown()
    server.server_close()


def test_sends_json_with_key_and_reference(gateway: Gateway) -> None:
    message_id = HttpSmsBackend().send(
        phone="13800138000", text="【一网】验证码 1", reference="ref-1"
    )

    assert message_id == "gw-42"
    [request] = gateway.requests
    assert request["path"] == "/sms"
    assert request["json"] == {
        "to": "13800138000",
        "text": "【一网】验证码 1",
        "sender": "一网",
        "client_ref": "ref-1",
    }
    assert request["headers"]["Authorization"] == "Bearer secret-key"
    assert request["headers"]["Idempotency-Key"] == "ref-1"


@pytest.mark.parametrize(
    ("status", "answer", "error"),
    [
        (503, b'{"error": "busy"}', "gateway answered HTTP 503"),
        (200, b"<html>", "gateway answer is not JSON"),
        (200, b"[1]", "gateway answer is not a JSON object"),
        (200, b'{"ok": true}', "gateway answer has no message_id"),
    ],
)
def test_bad_answers_raise(gateway: Gateway, status: int, answer: bytes, error: str) -> None:
    gateway.status, gateway.answer = status, answer

    with pytest.raises(SmsError) as caught:
        HttpSmsBackend().send(phone="13800138000", text="x", reference="r")

    assert str(caught.value) == error


def test_a_slow_gateway_times_out(gateway: Gateway, settings: SettingsWrapper) -> None:
    settings.SMS_HTTP_TIMEOUT = 0.2
    gateway.delay = 1.0

    with pytest.raises(SmsError, match="gateway unreachable"):
        HttpSmsBackend().send(phone="13800138000", text="x", reference="r")


def test_an_unreachable_gateway_raises(settings: SettingsWrapper) -> None:
    settings.SMS_HTTP_URL = "http://127.0.0.1:9/sms"  # discard port: nothing listens

    with pytest.raises(SmsError, match="gateway unreachable"):
        HttpSmsBackend().send(phone="13800138000", text="x", reference="r")


@pytest.mark.parametrize("url", ["", "file:///etc/passwd", "ftp://gateway/sms"])
def test_only_http_urls_are_accepted(settings: SettingsWrapper, url: str) -> None:
    settings.SMS_HTTP_URL = url

    with pytest.raises(ImproperlyConfigured):
        HttpSmsBackend()
