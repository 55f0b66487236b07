"""A small closed-loop HTTP load generator: ``concurrency`` asyncio clients (httpx) each send
one request, wait for the answer, and send the next, until the request budget or the time
budget runs out. Latency is measured per request on the client, so it includes the network
stack and gunicorn's queueing — what a caller sees.

Two drivers:

- ``run_load``: the same kind of request over and over (``make_request(i)`` returns
  ``(method, path, headers)`` or ``(method, path, headers, body)`` where ``body`` holds httpx
  keyword arguments: ``json``, ``content``, ``data``, ``files``);
- ``run_flows``: ``users`` virtual users each go through a multi-step flow (a generator that
  yields ``Step``s and is sent each response), ``rounds`` times or until the time budget runs
  out (a flow that has started always finishes). Every step's latency is kept, per step
  name, and the whole flow's too. Any answer other than the step's expected status is a
  failure, and so is a flow that raises ``FlowError``.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import Callable, Generator
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

# (method, path, headers) or (method, path, headers, httpx keyword arguments for the body)
RequestFactory = Callable[[int], tuple[Any, ...]]


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

    latencies_ms: list[float] = field(default_factory=list, repr=False)

    def as_dict(self, *, samples: bool = False) -> dict[str, object]:
        out = asdict(self)
        if not samples:
            out.pop("latencies_ms")
        return out


def percentile(sorted_ms: list[float], q: float) -> float:
    if not sorted_ms:
        return 0.0
    index = min(len(sorted_ms) - 1, max(0, round(q * (len(sorted_ms) - 1))))
    return sorted_ms[index]


def _split(request: tuple[Any, ...]) -> tuple[str, str, dict[str, str], dict[str, Any]]:
    method, path, headers = request[:3]
    body: dict[str, Any] = request[3] if len(request) > 3 else {}
    return method, path, headers, body


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
            method, path, headers, body = _split(make_request(i))
            await client.request(method, path, headers=headers, **body)
        deadline = time.perf_counter() + max_seconds

        async def one_client() -> None:
            nonlocal counter
            while counter < max_requests and time.perf_counter() < deadline:
                i = counter
                counter += 1
                method, path, headers, body = _split(make_request(i))
                started = time.perf_counter()
                try:
                    response = await client.request(method, path, headers=headers, **body)
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
        latencies_ms=[round(x, 3) for x in latencies],
    )


# --- multi-step flows


class FlowError(Exception):
    """A flow found something wrong in an answer (raised inside the flow generator)."""


@dataclass
class Step:
    """One request of a flow. ``body`` holds httpx keyword arguments (``json``, ``content``,
    ``data``, ``files``); ``expect`` the status codes that count as success."""

    name: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)
    expect: tuple[int, ...] = (200, 201)


# flow(user, round) -> generator yielding Steps, sent each step's httpx.Response
FlowFactory = Callable[[int, int], Generator[Step, httpx.Response, None]]


@dataclass
class Stats:
    count: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    status_codes: dict[str, int]

    @classmethod
    def of(cls, samples: list[float], codes: dict[str, int], errors: int) -> Stats:
        ordered = sorted(samples)
        return cls(
            count=len(ordered),
            errors=errors,
            p50_ms=round(statistics.median(ordered), 2) if ordered else 0.0,
            p95_ms=round(percentile(ordered, 0.95), 2),
            p99_ms=round(percentile(ordered, 0.99), 2),
            max_ms=round(ordered[-1], 2) if ordered else 0.0,
            mean_ms=round(statistics.fmean(ordered), 2) if ordered else 0.0,
            status_codes=dict(sorted(codes.items())),
        )


@dataclass
class FlowResult:
    scenario: str
    users: int
    flows_started: int
    flows_completed: int
    flows_failed: int
    warmup_flows: int
    ramp_seconds: float
    seconds: float
    flows_per_second: float
    flow: Stats
    steps: dict[str, Stats]
    failures: list[str]
    step_latencies_ms: dict[str, list[float]] = field(default_factory=dict, repr=False)

    @property
    def errors(self) -> int:
        return self.flows_failed + sum(s.errors for s in self.steps.values())

    def as_dict(self, *, samples: bool = True) -> dict[str, object]:
        out = asdict(self)
        if not samples:
            out.pop("step_latencies_ms")
        return out


async def _drive_flows(  # noqa: C901 - one closure per loop level
    *,
    base_url: str,
    make_flow: FlowFactory,
    users: int,
    rounds: int,
    max_seconds: float,
    timeout: float,
    warmup_users: int,
    ramp_seconds: float,
) -> FlowResult:
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    samples: dict[str, list[float]] = {}
    codes: dict[str, dict[str, int]] = {}
    step_errors: dict[str, int] = {}
    flow_ms: list[float] = []
    failures: list[str] = []
    started_flows = completed = failed = 0

    async def one_flow(client: httpx.AsyncClient, user: int, round_: int) -> bool:
        flow = make_flow(user, round_)
        response: httpx.Response | None = None
        try:
            step = next(flow)
            while True:
                began = time.perf_counter()
                try:
                    response = await client.request(
                        step.method, step.path, headers=step.headers, **step.body
                    )
                    key = str(response.status_code)
                except httpx.HTTPError as exc:
                    response, key = None, type(exc).__name__
                samples.setdefault(step.name, []).append((time.perf_counter() - began) * 1000)
                per_step = codes.setdefault(step.name, {})
                per_step[key] = per_step.get(key, 0) + 1
                if response is None or response.status_code not in step.expect:
                    step_errors[step.name] = step_errors.get(step.name, 0) + 1
                    body = response.text[:300] if response is not None else ""
                    raise FlowError(f"{step.name} {step.method} {step.path}: {key} {body}")
                step = flow.send(response)
        except StopIteration:
            return True
        except FlowError as exc:
            if len(failures) < 20:
                failures.append(f"user {user} round {round_}: {exc}")
            return False
        finally:
            flow.close()

    async def one_user(client: httpx.AsyncClient, user: int, deadline: float) -> None:
        nonlocal started_flows, completed, failed
        if ramp_seconds:  # arrivals spread evenly over the ramp, in a shuffled order
            await asyncio.sleep(ramp_seconds * arrival[user] / users)
        for round_ in range(rounds):
            if time.perf_counter() >= deadline:
                return
            started_flows += 1
            began = time.perf_counter()
            if await one_flow(client, user, round_):
                completed += 1
                flow_ms.append((time.perf_counter() - began) * 1000)
            else:
                failed += 1

    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout) as client:
        # Warm-up (unmeasured): one flow each for the first users, a few at a time, so every
        # worker has imported and connected before the clock starts. They still count.
        warm = [one_flow(client, u, -1) for u in range(min(users, warmup_users))]
        warmed = sum(await asyncio.gather(*warm))
        failed = len(warm) - warmed
        samples.clear()
        codes.clear()
        arrival = list(range(users))
        random.Random(5).shuffle(arrival)
        began = time.perf_counter()
        deadline = began + max_seconds
        await asyncio.gather(*(one_user(client, u, deadline) for u in range(users)))
        elapsed = time.perf_counter() - began
    return FlowResult(
        scenario="",
        users=users,
        flows_started=started_flows,
        flows_completed=completed,
        flows_failed=failed,
        warmup_flows=warmed,
        ramp_seconds=ramp_seconds,
        seconds=round(elapsed, 2),
        flows_per_second=round(completed / elapsed, 2) if elapsed else 0.0,
        flow=Stats.of(flow_ms, {}, failed),
        steps={
            name: Stats.of(values, codes.get(name, {}), step_errors.get(name, 0))
            for name, values in samples.items()
        },
        failures=failures,
        step_latencies_ms={k: [round(x, 3) for x in v] for k, v in samples.items()},
    )


def run_flows(
    *,
    scenario: str,
    base_url: str,
    make_flow: FlowFactory,
    users: int,
    rounds: int,
    max_seconds: float,
    timeout: float = 60,
    warmup_users: int = 8,
    ramp_seconds: float = 0,
) -> FlowResult:
    """``users`` virtual users, each running ``make_flow(user, round)`` for ``round`` in
    ``range(rounds)`` while the time budget lasts, after one unmeasured warm-up flow
    (``round`` -1) for each of the first ``warmup_users``.

    ``ramp_seconds`` 0: all users start at once and go back to back (closed loop: the
    machine's throughput, latency is mostly queueing). Otherwise the users arrive one by
    one, evenly spread over that many seconds (an arrival rate of users / ramp_seconds)."""
    result = asyncio.run(
        _drive_flows(
            base_url=base_url,
            make_flow=make_flow,
            users=users,
            rounds=rounds,
            max_seconds=max_seconds,
            timeout=timeout,
            warmup_users=warmup_users,
            ramp_seconds=ramp_seconds,
        )
    )
    result.scenario = scenario
    return result
