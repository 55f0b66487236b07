import pytest

from yiwang.core.ratelimit import parse_rate, rate_limit_hit, rate_limit_peek

pytestmark = pytest.mark.django_db


def test_allows_up_to_the_limit_then_refuses_within_the_window():
    results = [rate_limit_hit(key="t:a", limit=3, window=60, now=1000.0) for _ in range(4)]

    assert [r.allowed for r in results] == [True, True, True, False]
    assert results[-1].count == 4
    assert results[-1].retry_after == 20  # window 960..1020


def test_a_new_window_starts_counting_again():
    for _ in range(3):
        rate_limit_hit(key="t:b", limit=3, window=60, now=1000.0)

    assert rate_limit_hit(key="t:b", limit=3, window=60, now=1021.0).allowed is True


def test_keys_are_independent_and_peek_does_not_count():
    rate_limit_hit(key="t:c", limit=1, window=60, now=1000.0)

    assert rate_limit_peek(key="t:c", window=60, now=1000.0) == 1
    assert rate_limit_peek(key="t:c", window=60, now=1000.0) == 1
    assert rate_limit_hit(key="t:d", limit=1, window=60, now=1000.0).allowed is True


def test_redis_backend_counts_the_same(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running")
    from yiwang.core import ratelimit

    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    ratelimit._redis.cache_clear()
    try:
        ratelimit._redis().flushdb()
        results = [rate_limit_hit(key="t:r", limit=2, window=60, now=5000.0) for _ in range(3)]
        assert [r.allowed for r in results] == [True, True, False]
    finally:
        ratelimit._redis().flushdb()
        ratelimit._redis.cache_clear()


def test_parse_rate():
    assert parse_rate("600/60") == (600, 60)
    assert parse_rate("10") == (10, 60)
