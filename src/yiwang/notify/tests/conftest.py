from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper  # noqa: F401 - re-exported for tests

from yiwang.notify import sms


@pytest.fixture
def sms_outbox(settings: SettingsWrapper) -> Iterator[list[sms.SentSms]]:
    """Send SMS to the in-memory outbox for the test."""
    settings.SMS_BACKEND = "yiwang.notify.sms.LocmemSmsBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


class FailingSmsBackend(sms.SmsBackend):
    def send(self, *, phone: str, text: str, reference: str = "") -> str:
        raise sms.SmsError("gateway down")
