"""A small closed-loop HTTP load generator: ``concurrency`` asyncio clients (httpx) each send
one request, wait for the answer, and send the next, until the request budget or the time
budget runs out. Latency is measured per request on the client, so it includes the network
stack and gunicorn's queueing — what a caller sees."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import httpx

RequestFactory = Callable[[int], tuple[str, str, dict[str, str]]]


@dataclass
class LoadResult:
    scenario: str
    requests: int
    errors: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    concurrency: int
    status_codes: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def percentile(sorted_ms: list[float], q: float) -> float:
    if not sorted_ms:
        return 0.0
    index = min(len(sorted_ms) - 1, max(0, round(q * (len(sorted_ms) - 1))))
    return sorted_ms[index]


async def _drive(
    *,
    base_url: str,
    make_request: RequestFactory,
    concurrency: int,
    max_requests: int,
    max_seconds: float,
    warmup_requests: int,
) -> tuple[list[float], dict[str, int], float]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    latencies: list[float] = []
    codes: dict[str, int] = {}
    counter = 0
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        for i in range(warmup_requests):  # connections, caches, lazy imports in every worker
            method, path, headers = make_request(i)
            await client.request(method, path, headers=headers)
        deadline = time.perf_counter() + max_seconds

        async def one_client() -> None:
            nonlocal counter
            while counter < max_requests and time.perf_counter() < deadline:
                i = counter
                counter += 1
                method, path, headers = make_request(i)
                started = time.perf_counter()
                try:
                    response = await client.request(method, path, headers=headers)
                    key = str(response.status_code)
                except httpx.HTTPError as exc:
                    key = type(exc).__name__
                latencies.append((time.perf_counter() - started) * 1000)
                codes[key] = codes.get(key, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return latencies, codes, elapsed


def run_load(
    *,
    scenario: str,
    base_url: str,
    make_request: RequestFactory,
    concurrency: int,
    max_requests: int,
    max_seconds: float,
    warmup_requests: int = 50,
) -> LoadResult:
    latencies, codes, elapsed = asyncio.run(
        _drive(
            base_url=base_url,
            make_request=make_request,
            concurrency=concurrency,
            max_requests=max_requests,
            max_seconds=max_seconds,
            warmup_requests=warmup_requests,
        )
    )
    ordered = sorted(latencies)
    errors = sum(n for code, n in codes.items() if not code.startswith("2"))
    return LoadResult(
        scenario=scenario,
        requests=len(ordered),
        errors=errors,
        seconds=round(elapsed, 2),
        requests_per_second=round(len(ordered) / elapsed, 1) if elapsed else 0.0,
        p50_ms=round(statistics.median(ordered), 2) if ordered else 0.0,
        p95_ms=round(percentile(ordered, 0.95), 2),
        p99_ms=round(percentile(ordered, 0.99), 2),
        max_ms=round(ordered[-1], 2) if ordered else 0.0,
        concurrency=concurrency,
        status_codes=dict(sorted(codes.items())),
    )
