"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from yiwang.core.periodic import worker_last_seen


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answering."""
    return JsonResponse({"status": "ok"})


def _checks() -> dict[str, dict[str, object]]:
    checks: dict[str, dict[str, object]] = {}
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True}
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        checks["migrations"] = {"ok": not pending, "pending": len(pending)}
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}
        return checks
    seen = worker_last_seen()
    max_age = dt.timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
    fresh = seen is not None and timezone.now() - seen <= max_age
    checks["worker"] = {
        "ok": fresh or not settings.READYZ_REQUIRE_WORKER,
        "last_seen": seen.isoformat() if seen else None,
        "fresh": fresh,
    }
    return checks


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Database reachable, migrations applied, a worker heard from recently."""
    checks = _checks()
    ready = all(bool(check["ok"]) for check in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status=200 if ready else 503,
    )
