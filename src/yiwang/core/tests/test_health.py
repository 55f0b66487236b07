"""``/healthz`` and ``/readyz`` through real requests: each readiness state a load balancer
or orchestrator can see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from yiwang.core.periodic import worker_heartbeat


@pytest.mark.django_db
def test_healthz_answers_ok_and_is_never_cached(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
@override_settings(READYZ_REQUIRE_WORKER=False)
def test_ready_without_a_worker_when_none_is_required(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["migrations"] == {"ok": True, "pending": 0}
    assert body["checks"]["worker"] == {"ok": True, "last_seen": None, "fresh": False}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
@override_settings(READYZ_REQUIRE_WORKER=True)
def test_not_ready_when_a_worker_is_required_and_none_was_seen(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["worker"] == {"ok": False, "last_seen": None, "fresh": False}


@pytest.mark.django_db
@override_settings(READYZ_REQUIRE_WORKER=True, WORKER_HEARTBEAT_MAX_AGE=180)
def test_ready_with_a_fresh_heartbeat_and_not_with_a_stale_one(client: Client) -> None:
    now = timezone.now()
    worker_heartbeat(worker_id="old", now=now - dt.timedelta(seconds=181))
    stale = client.get("/readyz")
    assert stale.status_code == 503
    assert stale.json()["checks"]["worker"]["fresh"] is False
    assert stale.json()["checks"]["worker"]["last_seen"] is not None

    worker_heartbeat(worker_id="new", now=now - dt.timedelta(seconds=5))
    fresh = client.get("/readyz")
    assert fresh.status_code == 200
    worker = fresh.json()["checks"]["worker"]
    assert worker["ok"] is True
    assert worker["fresh"] is True
    assert dt.datetime.fromisoformat(worker["last_seen"]) == now - dt.timedelta(seconds=5)


@pytest.mark.django_db(transaction=True)
@override_settings(READYZ_REQUIRE_WORKER=False)
def test_not_ready_while_migrations_are_pending(client: Client) -> None:
    call_command("migrate", "core", "0001", verbosity=0)
    try:
        response = client.get("/readyz")
        assert response.status_code == 503
        migrations = response.json()["checks"]["migrations"]
        assert migrations["ok"] is False
        assert migrations["pending"] >= 1
    finally:
        call_command("migrate", verbosity=0)
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_not_ready_when_the_database_fails(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database that refuses queries (here: a cursor that raises) makes readyz answer 503
    with the error's class, never its message (which may contain a DSN)."""
    from django.db.utils import OperationalError

    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError("connection to server at 10.0.0.5 failed: password=secret")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready",
        "checks": {"database": {"ok": False, "error": "OperationalError"}},
    }
