"""The staff workbench over 100,000 applications (run by ``scenarios/inbox.py``; by hand:
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/yiwang_bench_inbox uv run python
bench/inbox100k.py seed|time|session``).

``seed [--applications 100000]``: the first time, imports 广东省 and the demo data; then adds
synthetic applications (numbers ``BENCH…``) until there are that many, with COPY (not the
services): every county of 广东省 × every department kind (departments created as needed),
weighted so that 天河区 holds about 5% and the rest of 广州 about 25%; statuses spread like a
working service (open ones waiting at 受理 or 审核, some claimed, some overdue; closed ones
with both steps done); one or two work items each, exactly as the services mirror them
(region, department, deadline copied onto the item). The demo clerk ``clerk.tianhe`` holds
some of 天河区市场监管局's open items and has done some.

``time [--runs 30]``: times ``inbox_for_staff`` (each view, first page of 25, sorted by
deadline, as the inbox page asks for it) and the page's other queries (the count for the
paginator, the service filter's choices) for two readers — ``clerk.tianhe`` (a district, one
department line) and ``hotline.guangzhou`` (the city's data bureau: every department of 广州)
— and prints p50/p95 and the ``EXPLAIN ANALYZE`` plan of each. Writes JSON with ``--out``.

``session --user clerk.tianhe``: prints a web session key, logged in and OTP-verified, for
the HTTP part of the benchmark.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import secrets
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from yiwang.accounts.models import Department, DepartmentKind, User, UserKind  # noqa: E402
from yiwang.applications import selectors  # noqa: E402
from yiwang.applications.models import Application, ProcessDefinition, WorkItem  # noqa: E402
from yiwang.catalog.models import Implementation  # noqa: E402
from yiwang.regions.models import Region  # noqa: E402

PREFIX = "BENCH"
CLERK = "clerk.tianhe"
CITY_READER = "hotline.guangzhou"
READERS = (CLERK, CITY_READER)
PAGE = 25  # applications.views_staff.PAGE_SIZE
PROCESS = "individual_business_registration"
# (status, share, steps): steps are (bpmn id, name, item status) in order.
ACCEPT, REVIEW = ("accept", "受理"), ("review", "审核")
STATUSES = [
    ("submitted", 0.18, [(*ACCEPT, "open")]),
    ("accepted", 0.10, [(*ACCEPT, "done"), (*REVIEW, "open")]),
    ("under_review", 0.12, [(*ACCEPT, "done"), (*REVIEW, "open")]),
    ("supplement_requested", 0.04, [(*ACCEPT, "done"), ("supplement", "补正材料", "open")]),
    ("approved", 0.30, [(*ACCEPT, "done"), (*REVIEW, "done")]),
    ("finished", 0.10, [(*ACCEPT, "done"), (*REVIEW, "done")]),
    ("rejected", 0.06, [(*ACCEPT, "done"), (*REVIEW, "done")]),
    ("not_accepted", 0.05, [(*ACCEPT, "done")]),
    ("withdrawn", 0.05, [(*ACCEPT, "cancelled")]),
]
OPEN_APPLICATION = {"submitted", "accepted", "under_review", "supplement_requested"}


def demo_data() -> None:
    if not Region.objects.filter(code="44").exists():
        call_command("import_regions", "--province", "44", verbosity=0)
    if not ProcessDefinition.objects.filter(key=PROCESS).exists():
        for command in ("demo_people", "demo_catalog", "demo_certificates", "demo_applications"):
            print(f"  {command}", flush=True)
            call_command(command, stdout=open(os.devnull, "w"))  # noqa: SIM115


def _counties() -> list[tuple[str, float]]:
    codes = list(
        Region.objects.filter(level=3, code__startswith="44")
        .order_by("code")
        .values_list("code", flat=True)
    )
    guangzhou = [c for c in codes if c.startswith("4401") and c != "440106"]
    others = [c for c in codes if not c.startswith("4401")]
    weights = [("440106", 0.05)]
    weights += [(c, 0.25 / len(guangzhou)) for c in guangzhou]
    weights += [(c, 0.70 / len(others)) for c in others]
    return weights


def _departments(counties: list[str]) -> dict[tuple[str, str], int]:
    kinds = [k.value for k in DepartmentKind]
    Department.objects.bulk_create(
        [
            Department(region_id=code, kind=kind, name=f"{code}{DepartmentKind(kind).label}")
            for code in counties
            for kind in kinds
        ],
        ignore_conflicts=True,
    )
    return {
        (region, kind): pk
        for pk, region, kind in Department.objects.filter(region_id__in=counties).values_list(
            "pk", "region_id", "kind"
        )
    }


def _users(prefix: str, count: int, kind: str) -> list[int]:
    names = [f"{prefix}{i:04d}" for i in range(count)]
    User.objects.bulk_create(
        [User(username=n, kind=kind, password="!" + secrets.token_hex(8)) for n in names],
        ignore_conflicts=True,
    )
    return list(User.objects.filter(username__in=names).values_list("pk", flat=True))


def _copy(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3
        quoted = ", ".join(f'"{c}"' for c in columns)
        sql = f"COPY {table} ({quoted}) FROM STDIN"
        with raw.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


@transaction.atomic
def seed(target: int) -> int:
    present = Application.objects.filter(number__startswith=PREFIX).count()
    if present >= target:
        return present
    rng = random.Random(present + 1)
    weights = _counties()
    counties = [c for c, _ in weights]
    department_ids = _departments(counties)
    implementations: dict[str, list[tuple[int, int]]] = {}
    for pk, version, kind in Implementation.objects.filter(
        published_version__isnull=False
    ).values_list("pk", "published_version_id", "item__department_kind"):
        implementations.setdefault(kind, []).append((pk, version))
    every_implementation = [i for group in implementations.values() for i in group]
    kinds = [k.value for k in DepartmentKind]
    applicants = _users("bench-inbox-citizen-", 500, UserKind.CITIZEN)
    clerks = _users("bench-inbox-clerk-", 40, UserKind.STAFF)
    demo_clerk = User.objects.get(username=CLERK).pk
    clerk_department = department_ids[("440106", DepartmentKind.MARKET_REGULATION.value)]

    now = timezone.now()
    today = timezone.localdate()
    statuses = [s for s, _, _ in STATUSES]
    shares = [w for _, w, _ in STATUSES]
    steps_of = {s: steps for s, _, steps in STATUSES}
    app_rows = []
    plans = []
    for n in range(present, target):
        region = rng.choices(counties, weights=[w for _, w in weights])[0]
        kind = rng.choice(kinds)
        department = department_ids[(region, kind)]
        implementation, version = rng.choice(implementations.get(kind) or every_implementation)
        status = rng.choices(statuses, weights=shares)[0]
        submitted = now - dt.timedelta(days=rng.uniform(0, 120))
        if status in OPEN_APPLICATION:
            deadline = today + dt.timedelta(days=rng.randint(-15, 30))  # ~1 in 3 overdue
        else:
            deadline = timezone.localdate(submitted) + dt.timedelta(days=rng.randint(5, 30))
        decided = None if status in OPEN_APPLICATION else submitted + dt.timedelta(days=3)
        app_rows.append(
            (
                f"{PREFIX}{n:010d}", rng.choice(applicants), implementation, version,
                json.dumps({"contact_phone": "13800138000", "delivery": "electronic"}),
                status, department if status in OPEN_APPLICATION else None, region, deadline,
                "", "", "", submitted, submitted, decided, decided or submitted,
            )
        )  # fmt: skip
        plans.append((region, kind, department, deadline, status, submitted))
    _copy(
        "applications_application",
        [
            "number", "applicant_id", "implementation_id", "implementation_version_id",
            "form_data", "status", "holder_department_id", "region_code", "deadline",
            "workflow_state", "end_event", "decision_reason", "created_at", "submitted_at",
            "decided_at", "updated_at",
        ],
        app_rows,
    )  # fmt: skip
    ids = dict(Application.objects.filter(number__startswith=PREFIX).values_list("number", "pk"))
    item_rows = []
    for n, (region, _kind, department, deadline, status, submitted) in enumerate(
        plans, start=present
    ):
        ours = department == clerk_department
        for step, (bpmn_id, name, item_status) in enumerate(steps_of[status]):
            claimed = completed = None
            if item_status == "done":
                completed = demo_clerk if ours and rng.random() < 0.5 else rng.choice(clerks)
                claimed = completed
            elif item_status == "open" and bpmn_id != "supplement" and rng.random() < 0.4:
                claimed = demo_clerk if ours and rng.random() < 0.5 else rng.choice(clerks)
            at = submitted + dt.timedelta(days=step + 1)
            item_rows.append(
                (
                    ids[f"{PREFIX}{n:010d}"], str(uuid.uuid4()), bpmn_id, name,
                    "applicant" if bpmn_id == "supplement" else "implementing",
                    department, region, deadline, item_status, claimed,
                    at if claimed else None, completed, at if completed else None,
                    "accept" if completed and bpmn_id == "accept" else "",
                    submitted + dt.timedelta(days=step),
                )
            )  # fmt: skip
    _copy(
        "applications_workitem",
        [
            "application_id", "task_id", "bpmn_id", "name", "group", "department_id",
            "region_code", "deadline", "status", "claimed_by_id", "claimed_at",
            "completed_by_id", "completed_at", "outcome", "created_at",
        ],
        item_rows,
    )  # fmt: skip
    return target


def timed(fn: Callable[[], object], runs: int) -> dict[str, float]:
    fn()  # warm
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(samples, n=20) if len(samples) > 1 else samples * 19
    return {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(cuts[18], 2)}


def plan_summary(plan: str) -> dict[str, Any]:
    """How the plan reads the work items (index or sequential scan), whether it sorts, and
    how long it took. Primary-key look-ups of the joined rows are left out."""
    used = re.findall(
        r"(?:Index (?:Only )?Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)", plan
    )
    execution = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return {
        "indexes": sorted(
            {i for i in used if i.startswith(("applications_item", "applications_workitem"))}
        ),
        "seq_scans": sorted(set(re.findall(r"Seq Scan on (applications_\w+)", plan))),
        "sort": "Sort Key" in plan,
        "sort_method": sorted(set(re.findall(r"Sort Method: ([\w-]+(?: [\w-]+)?)", plan))),
        "execution_ms": float(execution.group(1)) if execution else None,
    }


def explain(fn: Callable[[], object]) -> str:
    """``EXPLAIN ANALYZE`` of the last query ``fn`` runs, exactly as Django sent it."""
    with CaptureQueriesContext(connection) as captured:
        fn()
    sql = captured.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def time_queries(runs: int) -> dict[str, Any]:
    # Fresh statistics everywhere: the seed bulk-inserts departments and users too, and a
    # planner that still believes there is one department per kind picks a nested loop that
    # repeats the region scan per department (seen here: 150 ms instead of 45 ms).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    out: dict[str, Any] = {
        "applications": Application.objects.count(),
        "work_items": WorkItem.objects.count(),
        "queries": [],
    }
    filters = selectors.InboxFilters(sort="deadline")
    for username in READERS:
        user = User.objects.get(username=username)
        for view in selectors.INBOX_VIEWS:
            items = selectors.inbox_for_staff(user=user, view=view, filters=filters)
            cases: list[tuple[str, Callable[[], object]]] = [
                # What the inbox page runs: the paginator's count, then the first 25 rows.
                ("count", lambda qs=items: Paginator(qs.all(), PAGE).count),
                ("first page", lambda qs=items: len(list(qs.all()[:PAGE]))),
            ]
            for label, fn in cases:
                row: dict[str, Any] = {"reader": username, "view": view, "query": label}
                row.update(timed(fn, runs))
                row["rows"] = fn()
                row["plan"] = explain(fn)
                row.update(plan_summary(row["plan"]))
                out["queries"].append(row)
        choices = selectors.inbox_item_choices
        row = {"reader": username, "view": "all", "query": "service filter choices"}
        row.update(timed(lambda u=user, c=choices: c(user=u), runs))
        row["rows"] = len(choices(user=user))
        row["plan"] = explain(lambda u=user, c=choices: c(user=u))
        row.update(plan_summary(row["plan"]))
        out["queries"].append(row)
    return out


def session(username: str) -> str:
    """A logged-in, OTP-verified web session for a staff member."""
    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        raise SystemExit(f"{username} has no TOTP device")
    store = SessionStore()
    store.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            DEVICE_ID_SESSION_KEY: device.persistent_id,
        }
    )
    store.create()
    return str(store.session_key)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["seed", "time", "session"])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--user", default=CLERK)
    parser.add_argument("--out", help="write the timings as JSON here")
    args = parser.parse_args()
    if args.command == "seed":
        demo_data()
        started = time.perf_counter()
        total = seed(args.applications)
        print(f"  {total} bench applications ({time.perf_counter() - started:.1f}s)")
    elif args.command == "session":
        print(session(args.user))
    else:
        result = time_queries(args.runs)
        if args.out:
            Path(args.out).write_text(json.dumps(result, ensure_ascii=False, default=str))
        for q in result["queries"]:
            uses = ", ".join(q.get("indexes", [])) or "-"
            seq = ", ".join(q.get("seq_scans", [])) or "-"
            print(
                f"  {q['reader']:<18}{q['view']:<8}{q['query']:<24}{q['rows']!s:>7}"
                f"{q['p50_ms']:>9.2f}{q['p95_ms']:>9.2f}  index: {uses}  seq: {seq}"
                f"{'  sort' if q.get('sort') else ''}"
            )


if __name__ == "__main__":
    main()
