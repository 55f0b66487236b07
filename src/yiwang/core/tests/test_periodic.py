"""The periodic tick: due jobs are enqueued once per period however many workers tick, and
every tick stamps the worker heartbeat that ``/readyz`` reads."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone
from django_tasks import task

from yiwang.core import periodic
from yiwang.core.models import PeriodicJobRun, WorkerHeartbeat
from yiwang.core.periodic import (
    periodic_job_register,
    periodic_jobs,
    periodic_tick,
    worker_last_seen,
)

RUNS: list[str] = []


@task()
def record_run() -> None:
    RUNS.append("ran")


@pytest.fixture
def only_test_job(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace the registry with one test job (every 10 minutes) for the test's duration."""
    monkeypatch.setattr(periodic, "_registry", {})
    RUNS.clear()
    periodic_job_register(name="test.job", every=dt.timedelta(minutes=10), task=record_run)


def test_core_registers_its_housekeeping_job() -> None:
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["core.housekeeping"].every == dt.timedelta(hours=1)


@pytest.mark.django_db
@pytest.mark.usefixtures("only_test_job")
def test_a_job_runs_once_per_period() -> None:
    t0 = timezone.now()
    assert periodic_tick(now=t0, worker_id="w1") == ["test.job"]
    assert RUNS == ["ran"]
    assert periodic_tick(now=t0 + dt.timedelta(minutes=9, seconds=59), worker_id="w1") == []
    assert periodic_tick(now=t0 + dt.timedelta(minutes=10), worker_id="w1") == ["test.job"]
    assert RUNS == ["ran", "ran"]
    assert PeriodicJobRun.objects.get(name="test.job").last_started_at == t0 + dt.timedelta(
        minutes=10
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("only_test_job")
def test_two_workers_ticking_at_the_same_time_start_the_job_once() -> None:
    t0 = timezone.now()
    assert periodic_tick(now=t0, worker_id="w1") == ["test.job"]
    assert periodic_tick(now=t0, worker_id="w2") == []
    later = t0 + dt.timedelta(minutes=10)
    assert periodic_tick(now=later, worker_id="w2") == ["test.job"]
    assert periodic_tick(now=later, worker_id="w1") == []
    assert RUNS == ["ran", "ran"]
    assert set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == {"w1", "w2"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("only_test_job")
def test_concurrent_workers_on_separate_connections_claim_each_run_once() -> None:
    """Real concurrency: several threads, each with its own database connection, tick at the
    same instant; the conditional UPDATE / unique insert lets exactly one of them win."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; concurrency is exercised on PostgreSQL")
    workers = 6
    barrier = threading.Barrier(workers)
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def tick_at(now: dt.datetime, worker_id: str) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(periodic_tick(now=now, worker_id=worker_id))
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    for now in (timezone.now(), timezone.now() + dt.timedelta(minutes=10)):
        barrier.reset()
        results.clear()
        threads = [threading.Thread(target=tick_at, args=(now, f"w{i}")) for i in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []
        assert sorted(results) == [[]] * (workers - 1) + [["test.job"]]
    assert RUNS == ["ran", "ran"]
    assert WorkerHeartbeat.objects.count() == workers


@pytest.mark.django_db
@pytest.mark.usefixtures("only_test_job")
def test_each_tick_stamps_the_heartbeat() -> None:
    assert worker_last_seen() is None
    t0 = timezone.now()
    periodic_tick(now=t0, worker_id="w1")
    periodic_tick(now=t0 + dt.timedelta(seconds=30), worker_id="w1")
    periodic_tick(now=t0 + dt.timedelta(seconds=10), worker_id="w2")
    assert WorkerHeartbeat.objects.get(worker_id="w1").seen_at == t0 + dt.timedelta(seconds=30)
    assert worker_last_seen() == t0 + dt.timedelta(seconds=30)


@pytest.mark.django_db
def test_the_housekeeping_job_forgets_old_idempotency_records() -> None:
    from yiwang.core.models import IdempotencyRecord

    old = IdempotencyRecord.objects.create(scope="s", key="old", fingerprint="f")
    IdempotencyRecord.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    IdempotencyRecord.objects.create(scope="s", key="new", fingerprint="f")
    assert "core.housekeeping" in periodic_tick(worker_id="w1")
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
