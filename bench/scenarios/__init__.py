"""Benchmark scenarios. Each module defines:

- ``NAME``: a short label;
- ``prepare(env: dict[str, str], **options) -> None`` (optional): load what it needs into the
  benchmark database (it runs ``yiwang`` commands or bench scripts with ``env``, which points
  at that database); ``OPTIONS`` names the command-line options it takes (e.g.
  ``("applicants",)``);
- either ``request(i: int) -> (method, path, headers[, body])``: the i-th request to send
  (``run_load``), optionally with ``report() -> dict`` for figures measured outside the load
  (``summary`` lines are printed);
- or ``KIND = "flows"``, ``make_flow(base_url)`` returning the flow of one virtual user
  (``run_flows``) and ``verify(database_url, result) -> {"counts", "problems"}`` that checks
  what the run left in the database (any problem fails the run).

A later capability adds its module to ``SCENARIOS`` (the default suite) or to a suite.
"""

from typing import TypedDict


class Suite(TypedDict):
    scenarios: list[str]
    database: str
    concurrency: int


SCENARIOS = [
    "scenarios.baseline",
    "scenarios.regions",
]

# suite name -> scenarios, database, default client count (``bench/run.py SUITE``)
SUITES: dict[str, Suite] = {
    "all": {"scenarios": SCENARIOS, "database": "yiwang_bench", "concurrency": 16},
    # B at the same client count as the applicants, then the applicants.
    "applications": {
        "scenarios": ["scenarios.baseline", "scenarios.applications"],
        "database": "yiwang_bench",
        "concurrency": 100,
    },
    "inbox100k": {
        "scenarios": ["scenarios.baseline", "scenarios.inbox"],
        "database": "yiwang_bench_inbox",
        "concurrency": 16,
    },
}
