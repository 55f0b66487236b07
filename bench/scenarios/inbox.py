"""The staff inbox (办件工作台) over 100,000 applications.

``prepare`` seeds the applications (``bench/inbox100k.py seed``, COPY, kept between runs),
then times the ``inbox_for_staff`` selector in-process for each view with its query plans
(``bench/inbox100k.py time``, before the server starts, so nothing else competes), and logs
in two staff members (OTP-verified web sessions). ``request`` then asks for the inbox page
itself, ``/applications/staff/?view=…&sort=deadline`` (first page, 25 rows, with the
paginator's count and the service filter), cycling through the four views and the two
readers: ``clerk.tianhe`` (天河区市场监管局) and ``hotline.guangzhou`` (广州's data bureau,
which sees every department of the city). Anything but 200 is an error (a redirect to the
login page included).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

NAME = "inbox page /applications/staff/"
# (method, path pattern, label) of its requests in the server's access log
SERVER_PATHS = [("GET", r"^/applications/staff/$", "inbox page")]
OPTIONS = ("applications", "runs")
SCRIPT = Path(__file__).resolve().parent.parent / "inbox100k.py"
READERS = ("clerk.tianhe", "hotline.guangzhou")
VIEWS = ("mine", "pool", "overdue", "done")

_context: dict[str, Any] = {"sessions": []}


def _run(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], env=env, check=True, capture_output=False,
        stdout=subprocess.PIPE, text=True,
    ).stdout  # fmt: skip


def prepare(env: dict[str, str], *, applications: int = 100_000, runs: int = 30) -> None:
    setup_env = {**env, "YIWANG_ENV": "dev"}  # the demo loaders refuse production
    print(_run(setup_env, "seed", "--applications", str(applications)), end="", flush=True)
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    try:
        print(_run(env, "time", "--runs", str(runs), "--out", out), end="", flush=True)
        _context["selectors"] = json.loads(Path(out).read_text())
    finally:
        os.unlink(out)
    _context["sessions"] = [_run(env, "session", "--user", reader).strip() for reader in READERS]


def request(i: int) -> tuple[str, str, dict[str, str]]:
    reader = (i // len(VIEWS)) % len(READERS)
    view = VIEWS[i % len(VIEWS)]
    return (
        "GET",
        f"/applications/staff/?view={view}&sort=deadline",
        {"Cookie": f"sessionid={_context['sessions'][reader]}", "Accept-Language": "zh-hans"},
    )


def report() -> dict[str, Any]:
    selectors = _context.get("selectors", {})
    summary = [
        f"inbox selectors over {selectors.get('applications')} applications, "
        f"{selectors.get('work_items')} work items (in-process, ms):"
    ]
    for q in selectors.get("queries", []):
        summary.append(
            f"  {q['reader']:<18}{q['view']:<8}{q['query']:<24}{q['rows']!s:>7} rows"
            f"  p50 {q['p50_ms']:>7.2f}  p95 {q['p95_ms']:>7.2f}"
            f"  index: {', '.join(q.get('indexes', [])) or '-'}"
            f"  seq: {', '.join(q.get('seq_scans', [])) or '-'}"
            f"{'  sort ' + '/'.join(q.get('sort_method', [])) if q.get('sort') else ''}"
        )
    return {
        "summary": summary,
        "counts": {
            "applications": selectors.get("applications"),
            "work_items": selectors.get("work_items"),
        },
        "selectors": selectors,
    }
