from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from pytest_django.fixtures import Settings as SettingsWrapper

from yiwang.core.periodic import periodic_jobs
from yiwang.notify.delivery import MAX_ATTEMPTS, delivery_send
from yiwang.notify.models import Delivery, Message
from yiwang.notify.services import notification_send
from yiwang.notify.sms import SentSms
from yiwang.notify.tasks import deliver, deliveries_retry
from yiwang.notify.tests import factories

pytestmark = pytest.mark.django_db

FAILING = "yiwang.notify.tests.conftest.FailingSmsBackend"


def _queued_sms(**kwargs: object) -> Delivery:
    return Delivery.objects.create(
        channel="sms",
        address="13800138000",
        address_masked="138****8000",
        template="notice",
        language="en",
        body="hello",
        **kwargs,
    )


def test_a_delivered_delivery_is_never_sent_again(sms_outbox: list[SentSms]) -> None:
    delivery = _queued_sms()

    results = [deliver.enqueue(delivery.pk).return_value for _ in range(3)]

    assert results == ["sent", "sent", "sent"]
    assert len(sms_outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.provider_id) == ("sent", 1, "locmem-1")
    assert delivery.sent_at is not None


def test_a_failed_send_is_recorded_and_retried(
    settings: SettingsWrapper, sms_outbox: list[SentSms]
) -> None:
    delivery = _queued_sms()
    settings.SMS_BACKEND = FAILING

    assert delivery_send(delivery_id=delivery.pk) == "failed"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == (
        "failed",
        1,
        "SmsError: gateway down",
    )

    settings.SMS_BACKEND = "yiwang.notify.sms.LocmemSmsBackend"
    assert deliveries_retry.enqueue().return_value == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 2, "")
    assert [s.text for s in sms_outbox] == ["hello"]


def test_attempts_stop_at_the_limit(settings: SettingsWrapper) -> None:
    settings.SMS_BACKEND = FAILING
    delivery = _queued_sms()

    for _ in range(MAX_ATTEMPTS + 2):
        delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", MAX_ATTEMPTS)
    assert deliveries_retry.enqueue().return_value == 0


def test_old_failures_are_not_retried(sms_outbox: list[SentSms]) -> None:
    _queued_sms(status="failed", attempts=1, created_at=timezone.now() - dt.timedelta(hours=1))

    assert deliveries_retry.enqueue().return_value == 0
    assert sms_outbox == []


def test_a_missing_delivery_is_ignored() -> None:
    assert delivery_send(delivery_id=987654) == ""


def test_retry_runs_on_the_periodic_tick() -> None:
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["notify.retry_failed"].task is deliveries_retry


def test_the_database_queue_and_worker_deliver_a_notification(
    settings: SettingsWrapper,
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The demo's path: the request queues a task row, ``yiwang worker`` sends it later."""
    # The worker closes connections between tasks, which would end the test's transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    user = factories.UserFactory(language="en")

    with django_capture_on_commit_callbacks(execute=True):
        notification_send(user=user, template="welcome", context={})

    assert Message.objects.count() == 0  # queued, not yet sent
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert Message.objects.get(recipient=user).subject == "Welcome to Yiwang"
    assert Delivery.objects.get().status == "sent"
