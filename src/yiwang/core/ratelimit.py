"""Fixed-window rate limits shared by every app process: Redis when ``REDIS_URL`` is set,
otherwise an atomic upsert in the database (works on SQLite and PostgreSQL)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from yiwang.core.models import RateCounter


@dataclass(frozen=True)
class RateResult:
    allowed: bool
    count: int
    limit: int
    retry_after: int


@cache
def _redis() -> Any:
    import redis

    return redis.Redis.from_url(settings.REDIS_URL)


def _hit_redis(key: str, window_start: int, window: int) -> int:
    client = _redis()
    redis_key = f"yiwang:rl:{key}:{window_start}"
    pipe = client.pipeline()
    pipe.incr(redis_key)
    pipe.expire(redis_key, window + 5)
    count, _ = pipe.execute()
    return int(count)


def _hit_database(key: str, window_start: int) -> int:
    table = RateCounter._meta.db_table
    sql = (
        f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 "
        "RETURNING count"
    )
    # A lost counter increment after a crash is harmless, so on PostgreSQL the write need not
    # wait for the WAL flush (about three times cheaper) — but only in a transaction of its own:
    # inside a caller's transaction SET LOCAL would weaken the caller's commit too.
    relaxed = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if relaxed:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(sql, [key, window_start])
        row = cursor.fetchone()
    return int(row[0])


def rate_limit_hit(*, key: str, limit: int, window: int, now: float | None = None) -> RateResult:
    """Count one event for ``key`` and say whether it is within ``limit`` per ``window`` s."""
    now = time.time() if now is None else now
    window_start = int(now // window) * window
    if settings.REDIS_URL:
        count = _hit_redis(key, window_start, window)
    else:
        count = _hit_database(key, window_start)
    retry_after = max(1, window_start + window - int(now))
    return RateResult(allowed=count <= limit, count=count, limit=limit, retry_after=retry_after)


def rate_limit_peek(*, key: str, window: int, now: float | None = None) -> int:
    """How many events ``key`` has in the current window, without counting one."""
    now = time.time() if now is None else now
    window_start = int(now // window) * window
    if settings.REDIS_URL:
        value = _redis().get(f"yiwang:rl:{key}:{window_start}")
        return int(value or 0)
    row = RateCounter.objects.filter(key=key, window_start=window_start).values_list(
        "count", flat=True
    )
    return int(next(iter(row), 0))


def rate_counters_prune(*, older_than_seconds: int = 86400) -> int:
    cutoff = int(time.time()) - older_than_seconds
    deleted, _ = RateCounter.objects.filter(window_start__lt=cutoff).delete()
    return deleted


def parse_rate(value: str) -> tuple[int, int]:
    """``"600/60"`` → ``(600, 60)``."""
    count, _, seconds = value.partition("/")
    return int(count), int(seconds or 60)
