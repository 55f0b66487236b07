"""SMS backends, chosen by ``settings.SMS_BACKEND`` (a dotted path), in the manner of
Django's e-mail backends.

- ``ConsoleSmsBackend`` (development default): logs the text and keeps it in the dev inbox.
- ``LocmemSmsBackend`` (tests): appends to the module-level ``outbox``.
- ``HttpSmsBackend``: posts JSON to a gateway (``SMS_HTTP_URL``, ``SMS_HTTP_API_KEY``,
  ``SMS_HTTP_TIMEOUT``, ``SMS_HTTP_SENDER``); adapt ``payload``/``message_id`` to your provider.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

import structlog
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from yiwang.core.ids import mask_phone

log = structlog.get_logger(__name__)


class SmsError(Exception):
    """The provider did not accept the message; the delivery is recorded as failed."""


class SmsBackend(ABC):
    """What every SMS gateway adapter implements (``settings.SMS_BACKEND`` names one)."""

    @abstractmethod
    def send(self, *, phone: str, text: str, reference: str = "") -> str:
        """Send ``text`` to ``phone``; return the provider's message id.

        ``reference`` is our idempotency key: providers that support it drop a repeat.
        """


class ConsoleSmsBackend(SmsBackend):
    def send(self, *, phone: str, text: str, reference: str = "") -> str:
        from yiwang.notify.models import DevSms  # models import this module's settings users

        sms = DevSms.objects.create(phone=phone, body=text)
        # The full text is the point of a console backend (the demo reads codes from it);
        # the phone is masked so logs carry no full number.
        log.info("sms.console", phone=mask_phone(phone), text=text, reference=reference)
        return f"console-{sms.pk}"


@dataclass(frozen=True)
class SentSms:
    phone: str
    text: str
    reference: str


outbox: list[SentSms] = []


class LocmemSmsBackend(SmsBackend):
    def send(self, *, phone: str, text: str, reference: str = "") -> str:
        outbox.append(SentSms(phone=phone, text=text, reference=reference))
        return f"locmem-{len(outbox)}"


class HttpSmsBackend(SmsBackend):
    """A real gateway over HTTPS: ``POST {url}`` with a JSON body and a bearer key.

    Any answer other than 2xx with ``{"message_id": ...}`` raises ``SmsError``.
    """

    def __init__(self) -> None:
        self.url: str = settings.SMS_HTTP_URL
        if not self.url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SMS_HTTP_URL must be an http(s) URL for HttpSmsBackend.")
        self.api_key: str = settings.SMS_HTTP_API_KEY
        self.timeout: float = float(settings.SMS_HTTP_TIMEOUT)
        self.sender: str = settings.SMS_HTTP_SENDER

    def payload(self, *, phone: str, text: str, reference: str) -> dict[str, Any]:
        return {"to": phone, "text": text, "sender": self.sender, "client_ref": reference}

    def message_id(self, answer: dict[str, Any]) -> str:
        value = answer.get("message_id")
        if not value:
            raise SmsError("gateway answer has no message_id")
        return str(value)

    def send(self, *, phone: str, text: str, reference: str = "") -> str:
        reference = reference or uuid.uuid4().hex
        payload = self.payload(phone=phone, text=text, reference=reference)
        body = json.dumps(payload, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.api_key}",
                "Idempotency-Key": reference,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise SmsError(f"gateway answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"gateway unreachable: {exc}") from exc
        except ValueError as exc:
            raise SmsError("gateway answer is not JSON") from exc
        if not isinstance(answer, dict):
            raise SmsError("gateway answer is not a JSON object")
        return self.message_id(answer)


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend
