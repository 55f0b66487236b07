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


def test_an_issuing_task_run_twice_at_once_issues_one_certificate() -> None:
    """Even without the application row lock its callers hold, two runs of the issuing
    service task at the same instant leave one certificate: the database refuses the second
    (unique source per application step) and that run's transaction rolls back whole."""
    from django.db import IntegrityError, transaction

    from yiwang.applications.engine.handlers import ServiceCall
    from yiwang.applications.handlers import issue_result
    from yiwang.certificates.models import Certificate

    app = draft()
    app = application_submit(user=app.applicant, application=app, submit_token=uuid.uuid4())
    call = ServiceCall("issue", {"certificate_type": "individual_business_licence"})

    def run() -> str:
        with transaction.atomic():
            data: dict[str, Any] = {}
            issue_result(Application.objects.get(pk=app.pk), data, call)
            return str(data["certificate_number"])

    results, errors = _race([run, run])
    assert (
        Certificate.objects.filter(source_reference=f"application:{app.number}:issue").count() == 1
    )
    assert len(results) + len(errors) == 2 and results
    assert all(isinstance(e, IntegrityError) for e in errors)
    assert ApplicationEvent.objects.filter(application=app, kind="result_issued").count() == 1
