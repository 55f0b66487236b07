"""Benchmark Yiwang on this machine, in one command:

    uv run python bench/run.py [--workers 4] [--seconds 20] [--concurrency 16]

1. creates (if needed) and migrates the PostgreSQL database ``yiwang_bench``;
2. lets each scenario load its data;
3. starts gunicorn (``yiwang serve``) on a free 127.0.0.1 port in production mode;
4. drives each scenario with the asyncio load generator, bounded in requests and seconds,
   and prints requests/s and p50/p95/p99;
5. runs pgbench (scale 10, select-only, 8 clients, 20 s) as the database's own ceiling;
6. writes everything, with the machine's description, to ``bench/results/<time>.json``.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import importlib
import json
import os
import platform
import re
import secrets
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
from loadgen import LoadResult, run_load
from scenarios import SCENARIOS

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


def app_env(*, database_url: str, var_dir: Path, redis_url: str) -> dict[str, str]:
    """Production settings with throwaway keys; the API rate limit is lifted (one client
    sends everything) but its counter still runs on every request."""
    env = dict(os.environ)
    env.update(
        {
            "YIWANG_ENV": "production",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "BLIND_INDEX_KEY": secrets.token_urlsafe(32),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "YIWANG_VAR_DIR": str(var_dir),
            "API_RATE_LIMIT": "1000000000/60",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def yiwang(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "yiwang.cli", *args], env=env, cwd=ROOT, check=True)


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local
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


def print_table(results: list[LoadResult]) -> None:
    say("")
    say(f"{'scenario':<40}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for r in results:
        say(
            f"{r.scenario:<40}{r.requests_per_second:>9.1f}{r.p50_ms:>9.1f}"
            f"{r.p95_ms:>9.1f}{r.p99_ms:>9.1f}{r.errors:>8}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="yiwang_bench")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20, help="time budget per scenario")
    parser.add_argument("--requests", type=int, default=50_000, help="request budget per scenario")
    parser.add_argument("--redis", default="", help="REDIS_URL for cache and rate limits")
    parser.add_argument("--scenario", action="append", help="only these scenario modules")
    parser.add_argument("--no-pgbench", action="store_true")
    parser.add_argument("--pgbench-seconds", type=int, default=20)
    args = parser.parse_args()

    modules = [importlib.import_module(name) for name in (args.scenario or SCENARIOS)]
    ensure_database(args.server, args.database)
    var_dir = Path(tempfile.mkdtemp(prefix="yiwang-bench-"))
    env = app_env(
        database_url=f"{args.server}/{args.database}", var_dir=var_dir, redis_url=args.redis
    )
    say(f"database {args.database}: migrating")
    yiwang(env, "migrate", "--no-input", "-v", "0")
    yiwang(env, "collectstatic", "--no-input", "-v", "0")
    for module in modules:
        if hasattr(module, "prepare"):
            say(f"preparing {module.NAME}")
            module.prepare(env)

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = var_dir / "gunicorn.log"
    say(f"gunicorn: {args.workers} workers on {base_url} (log: {log_path})")
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
            results = []
            for module in modules:
                say(f"running {module.NAME} ({args.concurrency} clients, ≤{args.seconds:g}s)")
                results.append(
                    run_load(
                        scenario=module.NAME,
                        base_url=base_url,
                        make_request=module.request,
                        concurrency=args.concurrency,
                        max_requests=args.requests,
                        max_seconds=args.seconds,
                    )
                )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    print_table(results)

    pgbench: dict[str, Any] = {"skipped": "--no-pgbench"}
    if not args.no_pgbench:
        say("\npgbench: scale 10, select-only, 8 clients")
        pgbench = run_pgbench(args.server, scale=10, clients=8, seconds=args.pgbench_seconds)
        say(f"pgbench: {pgbench.get('tps')} tps, {pgbench.get('latency_avg_ms')} ms average")

    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "when": stamp,
        "machine": machine(args.server),
        "settings": {
            "gunicorn_workers": args.workers,
            "concurrency": args.concurrency,
            "seconds_per_scenario": args.seconds,
            "requests_per_scenario": args.requests,
            "redis": bool(args.redis),
            "database": args.database,
        },
        "scenarios": [r.as_dict() for r in results],
        "pgbench": pgbench,
    }
    out = RESULTS_DIR / f"{stamp}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    say(f"\nresults: {out.relative_to(ROOT)}")
    shutil.rmtree(var_dir, ignore_errors=True)
    failed = [r.scenario for r in results if r.errors or not r.requests]
    if failed:
        say("scenarios with errors: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
