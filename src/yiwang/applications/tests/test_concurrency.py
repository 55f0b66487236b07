"""Real concurrency on PostgreSQL: threads with their own connections at the same instant."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from yiwang.applications.models import Application, ApplicationEvent, WorkItem
from yiwang.applications.services import application_submit, task_claim
from yiwang.applications.tests.factories import clerk, draft

pytestmark = pytest.mark.django_db(transaction=True)


def _race(calls: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; concurrency is exercised on PostgreSQL")
    barrier = threading.Barrier(len(calls))
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except BaseException as exc:  # collected for the assertions
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


def test_two_clerks_claiming_at_once_exactly_one_wins() -> None:
    app = draft()
    app = application_submit(user=app.applicant, application=app, submit_token=uuid.uuid4())
    item = WorkItem.objects.get(application=app)
    first, second = clerk(), clerk()
    results, errors = _race(
        [
            lambda: task_claim(user=first, item_id=item.pk),
            lambda: task_claim(user=second, item_id=item.pk),
        ]
    )
    assert len(results) == 1
    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError) and errors[0].code == "already_claimed"
    item.refresh_from_db()
    assert item.claimed_by_id == results[0].claimed_by_id


def test_double_submit_at_once_makes_exactly_one_submission() -> None:
    app = draft()
    token = uuid.uuid4()
    results, errors = _race(
        [lambda: application_submit(user=app.applicant, application=app, submit_token=token)] * 2
    )
    assert errors == []
    assert {r.pk for r in results} == {app.pk}
    assert Application.objects.get(pk=app.pk).submit_token == token
    assert WorkItem.objects.filter(application=app).count() == 1
    assert ApplicationEvent.objects.filter(application=app, kind="submitted").count() == 1
