"""Benchmark Yiwang on this machine, in one command:

    uv run python bench/run.py [SUITE] [--workers 4] [--seconds 20] [--concurrency 16]

SUITE is ``all`` (default: the baseline and regions scenarios), ``applications`` (the
baseline, then 100 applicants at once through draft → upload → submit) or ``inbox100k``
(the baseline, then the staff inbox over 100,000 applications: the selectors timed in-process
with their query plans, and the inbox page over HTTP for a clerk).

1. creates (if needed) and migrates the suite's PostgreSQL database (``yiwang_bench``, or
   ``yiwang_bench_inbox`` for ``inbox100k``);
2. lets each scenario load its data;
3. starts gunicorn (``yiwang serve``) on a free 127.0.0.1 port in production mode;
4. drives each scenario with the asyncio load generator, bounded in requests and seconds,
   and prints requests/s (or submissions/s) and p50/p95/p99;
5. runs pgbench (scale 10, select-only, 8 clients, 20 s) as the database's own ceiling;
6. writes everything, with the machine's description and its load average before and
   after, to ``bench/results/<time>.json``.
"""

from __future__ import annotations

import argparse
import atexit
import base64
import datetime as dt
import hashlib
import importlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import psycopg
from loadgen import FlowResult, LoadResult, percentile, run_flows, run_load
from scenarios import SUITES

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
# Other work on the machine skews the figures: record how busy it was when we started.
LOAD_AT_START = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


def say(message: str) -> None:
    print(message, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_database(server_url: str, name: str, *, recreate: bool = False) -> None:
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and recreate:
            conn.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def load_average() -> list[float] | None:
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


def bench_key(database_url: str, purpose: str) -> bytes:
    """Throwaway keys, fixed per benchmark database so that what earlier runs loaded
    (encrypted personal data, blind indexes, sessions) stays readable. Never real keys."""
    return hashlib.sha256(f"yiwang-bench:{purpose}:{database_url}".encode()).digest()


def app_env(
    *, database_url: str, var_dir: Path, redis_url: str, src: Path = ROOT / "src"
) -> dict[str, str]:
    """Production settings with throwaway keys; the API rate limit is lifted (one client
    sends everything) but its counter still runs on every request."""
    env = dict(os.environ)
    env.update(
        {
            "YIWANG_ENV": "production",
            "DEBUG": "0",
            "SECRET_KEY": bench_key(database_url, "secret").hex(),
            "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(
                bench_key(database_url, "fields")
            ).decode(),
            "BLIND_INDEX_KEY": bench_key(database_url, "blind").hex(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PUBLIC_URL": "https://bench.yiwang.localhost",
            "DATABASE_URL": database_url,
            "YIWANG_VAR_DIR": str(var_dir),
            "API_RATE_LIMIT": "1000000000/60",
            # Each request's own time in the server (%(D)s µs, from accepting the connection to
            # the response: reading the body, the view, writing), to tell service from queueing.
            "GUNICORN_CMD_ARGS": '--access-logformat "ACCESS %(m)s %(U)s %(s)s %(D)s"',
            # Production refuses the demo carrier (delivery.E001); nothing is posted here.
            "DELIVERY_CARRIER": "yiwang.delivery.carriers.ManualCarrier",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(src),
        }
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def yiwang(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "yiwang.cli", *args], env=env, cwd=ROOT, check=True)


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 300) -> None:
    """Workers boot slowly on a busy machine (over a minute was seen at load average 10)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - local
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up in {timeout:.0f}s")


def run_pgbench(server_url: str, *, scale: int, clients: int, seconds: int) -> dict[str, Any]:
    if not shutil.which("pgbench"):
        return {"skipped": "pgbench not installed"}
    name = "yiwang_pgbench"
    ensure_database(server_url, name, recreate=True)
    url = f"{server_url}/{name}"
    subprocess.run(
        ["pgbench", "-i", "-q", "-s", str(scale), url],
        check=True,
        capture_output=True,
    )
    jobs = min(clients, os.cpu_count() or 1)
    command = ["pgbench", "-S", "-c", str(clients), "-j", str(jobs), "-T", str(seconds), url]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", output)
    latency = re.search(r"latency average = ([\d.]+) ms", output)
    return {
        "command": " ".join(command[:-1]) + " yiwang_pgbench",
        "scale": scale,
        "clients": clients,
        "seconds": seconds,
        "tps": float(tps.group(1)) if tps else None,
        "latency_avg_ms": float(latency.group(1)) if latency else None,
    }


def machine(server_url: str) -> dict[str, Any]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found.group(1).strip() if found else ""
    memory_gib = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"MemTotal:\s*(\d+) kB", meminfo.read_text())
        memory_gib = round(int(found.group(1)) / 1024 / 1024, 1) if found else None
    with psycopg.connect(f"{server_url}/postgres") as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return {
        "load_average_at_start": LOAD_AT_START,
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": memory_gib,
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": row[0] if row else None,
    }


def server_times(log_path: Path, modules: list[Any]) -> dict[str, dict[str, float]]:
    """Per step, the time gunicorn spent on each request (its access log), p50/p95/p99 in ms:
    the client's latency minus this is time spent waiting for a free worker."""
    paths = [
        (method, re.compile(pattern), label)
        for module in modules
        for method, pattern, label in getattr(module, "SERVER_PATHS", ())
    ]
    samples: dict[str, list[float]] = {}
    line = re.compile(r"ACCESS (\S+) (\S+) (\d+) (\d+)")
    for found in line.finditer(log_path.read_text(errors="replace")):
        method, path, _status, micros = found.groups()
        for want, pattern, label in paths:
            if method == want and pattern.search(path):
                samples.setdefault(label, []).append(int(micros) / 1000)
                break
    out = {}
    for label, values in samples.items():
        ordered = sorted(values)
        out[label] = {
            "count": len(ordered),
            "p50_ms": round(percentile(ordered, 0.50), 2),
            "p95_ms": round(percentile(ordered, 0.95), 2),
            "p99_ms": round(percentile(ordered, 0.99), 2),
            "mean_ms": round(sum(ordered) / len(ordered), 2),
        }
    return out


def print_table(results: list[LoadResult]) -> None:
    say("")
    say(f"{'scenario':<40}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for r in results:
        say(
            f"{r.scenario:<40}{r.requests_per_second:>9.1f}{r.p50_ms:>9.1f}"
            f"{r.p95_ms:>9.1f}{r.p99_ms:>9.1f}{r.errors:>8}"
        )


def print_flows(r: FlowResult, baseline: LoadResult | None) -> None:
    say("")
    say(
        f"{r.scenario}: {r.users} applicants"
        f"{f' arriving over {r.ramp_seconds:g}s' if r.ramp_seconds else ' at once'}, "
        f"{r.flows_completed} of {r.flows_started} flows completed in {r.seconds:.1f}s = "
        f"{r.flows_per_second:.2f} submissions/s"
    )
    say(
        f"{'step':<40}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}"
    )
    rows = [*r.steps.items(), ("whole flow", r.flow)]
    if baseline is not None:
        rows.append(("baseline B, same run", baseline))  # type: ignore[arg-type]
    for name, s in rows:
        count = getattr(s, "count", getattr(s, "requests", 0))
        say(
            f"{name:<40}{count:>7}{s.p50_ms:>9.1f}{s.p95_ms:>9.1f}{s.p99_ms:>9.1f}"
            f"{s.max_ms:>9.1f}{s.errors:>8}"
        )
    for failure in r.failures:
        say(f"  failed: {failure}")


def run_scenarios(
    modules: list[Any],
    args: argparse.Namespace,
    *,
    base_url: str,
    database_url: str,
    concurrency: int,
) -> tuple[list[LoadResult], list[FlowResult], dict[str, Any], list[str]]:
    results: list[LoadResult] = []
    flow_results: list[FlowResult] = []
    extra: dict[str, Any] = {}
    problems: list[str] = []
    for module in modules:
        if getattr(module, "KIND", "") == "flows":
            arrivals = f", arriving over {args.ramp:g}s" if args.ramp else ", all at once"
            say(
                f"running {module.NAME} ({args.applicants} applicants × "
                f"{args.rounds}{arrivals}, ≤{args.flow_seconds:g}s)"
            )
            flow = run_flows(
                scenario=module.NAME,
                base_url=base_url,
                make_flow=module.make_flow(base_url),
                users=args.applicants,
                rounds=args.rounds,
                max_seconds=args.flow_seconds,
                ramp_seconds=args.ramp,
            )
            flow_results.append(flow)
            checked = module.verify(database_url, flow)
            extra[module.NAME] = checked
            problems += [f"{module.NAME}: {p}" for p in checked["problems"]]
            continue
        say(f"running {module.NAME} ({concurrency} clients, ≤{args.seconds:g}s)")
        result = run_load(
            scenario=module.NAME,
            base_url=base_url,
            make_request=module.request,
            concurrency=concurrency,
            max_requests=args.requests,
            max_seconds=args.seconds,
        )
        results.append(result)
        if hasattr(module, "report"):
            extra[module.NAME] = module.report()
    return results, flow_results, extra, problems


def main() -> int:  # noqa: C901 - one straight sequence of steps
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("suite", nargs="?", default="all", choices=sorted(SUITES))
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", help="default: the suite's (yiwang_bench, …)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2)
    parser.add_argument("--concurrency", type=int, help="clients (default: the suite's)")
    parser.add_argument("--seconds", type=float, default=20, help="time budget per scenario")
    parser.add_argument("--requests", type=int, default=50_000, help="request budget per scenario")
    parser.add_argument("--redis", default="", help="REDIS_URL for cache and rate limits")
    parser.add_argument("--scenario", action="append", help="only these scenario modules")
    parser.add_argument("--no-pgbench", action="store_true")
    parser.add_argument("--pgbench-seconds", type=int, default=20)
    parser.add_argument(
        "--src",
        type=Path,
        default=ROOT / "src",
        help="serve the code in this src/ directory (to measure a change before it lands)",
    )
    flows = parser.add_argument_group("applications suite")
    flows.add_argument("--applicants", type=int, default=100, help="concurrent applicants")
    flows.add_argument("--rounds", type=int, default=3, help="submissions per applicant")
    flows.add_argument("--flow-seconds", type=float, default=120, help="time budget for flows")
    flows.add_argument(
        "--ramp",
        type=float,
        default=0,
        help="spread the applicants' arrivals over this many seconds (0: all at once)",
    )
    inbox = parser.add_argument_group("inbox100k suite")
    inbox.add_argument("--applications", type=int, default=100_000, help="applications to seed")
    inbox.add_argument("--runs", type=int, default=30, help="timed runs per selector")
    args = parser.parse_args()

    suite = SUITES[args.suite]
    database = args.database or suite["database"]
    concurrency = args.concurrency or suite["concurrency"]
    modules = [importlib.import_module(name) for name in (args.scenario or suite["scenarios"])]
    ensure_database(args.server, database)
    database_url = f"{args.server}/{database}"
    var_dir = Path(tempfile.mkdtemp(prefix="yiwang-bench-"))
    atexit.register(shutil.rmtree, var_dir, ignore_errors=True)  # also when a step fails
    env = app_env(
        database_url=database_url, var_dir=var_dir, redis_url=args.redis, src=args.src.resolve()
    )
    say(f"database {database}: migrating (load average {LOAD_AT_START})")
    yiwang(env, "migrate", "--no-input", "-v", "0")
    yiwang(env, "collectstatic", "--no-input", "-v", "0")
    for module in modules:
        if hasattr(module, "prepare"):
            say(f"preparing {module.NAME}")
            module.prepare(env, **{k: getattr(args, k) for k in getattr(module, "OPTIONS", ())})

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = var_dir / "gunicorn.log"
    load_at_serve = load_average()
    say(f"gunicorn: {args.workers} workers on {base_url} (load average {load_at_serve})")
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "yiwang.cli", "serve", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", str(args.workers)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(f"{base_url}/healthz", server)
            results, flow_results, extra, problems = run_scenarios(
                modules, args, base_url=base_url, database_url=database_url, concurrency=concurrency
            )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    load_at_end = load_average()
    in_server = server_times(log_path, modules)
    print_table(results)
    baseline = next((r for r in results if r.scenario.startswith("baseline")), None)
    for flow in flow_results:
        print_flows(flow, baseline)
    for name, report in extra.items():
        for line in report.get("summary", []):
            say(line)
        say(f"{name}: {json.dumps(report.get('counts', {}), ensure_ascii=False)}")
    if in_server:
        say("\ntime in the server (gunicorn access log, warm-up included), ms:")
        for label, t in in_server.items():
            say(
                f"  {label:<38}{t['count']:>7}  p50 {t['p50_ms']:>8.1f}  p95 {t['p95_ms']:>8.1f}"
                f"  p99 {t['p99_ms']:>8.1f}"
            )
    say(
        f"load average: {LOAD_AT_START} at the start, {load_at_serve} serving, "
        f"{load_at_end} at the end"
    )

    pgbench: dict[str, Any] = {"skipped": "--no-pgbench"}
    if not args.no_pgbench:
        say("\npgbench: scale 10, select-only, 8 clients")
        pgbench = run_pgbench(args.server, scale=10, clients=8, seconds=args.pgbench_seconds)
        say(f"pgbench: {pgbench.get('tps')} tps, {pgbench.get('latency_avg_ms')} ms average")

    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "when": stamp,
        "suite": args.suite,
        "machine": {
            **machine(args.server),
            "load_average_when_serving": load_at_serve,
            "load_average_at_end": load_at_end,
        },
        "settings": {
            "gunicorn_workers": args.workers,
            "concurrency": concurrency,
            "seconds_per_scenario": args.seconds,
            "requests_per_scenario": args.requests,
            "redis": bool(args.redis),
            "database": database,
            "src": str(args.src),
            **({"applicants": args.applicants, "rounds": args.rounds} if flow_results else {}),
        },
        "scenarios": [r.as_dict() for r in results],
        "flows": [f.as_dict() for f in flow_results],
        "checks": extra,
        "server_times": in_server,
        "pgbench": pgbench,
    }
    out = RESULTS_DIR / f"{stamp}-{args.suite}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    say(f"\nresults: {out.relative_to(ROOT)}")
    shutil.rmtree(var_dir, ignore_errors=True)
    failed = [r.scenario for r in results if r.errors or not r.requests]
    failed += [f.scenario for f in flow_results if f.errors or not f.flows_completed]
    if failed or problems:
        say("scenarios with errors: " + ", ".join(failed))
        for problem in problems:
            say(f"  {problem}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
