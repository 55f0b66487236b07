"""Benchmark scenarios. Each module in ``SCENARIOS`` defines:

- ``NAME``: a short label;
- ``prepare(env: dict[str, str]) -> None`` (optional): load what it needs into the benchmark
  database (it runs ``yiwang`` commands with ``env``, which points at that database);
- ``request(i: int) -> tuple[method, path, headers]``: the i-th request to send.

A later capability adds its module here (and its data loading in ``prepare``).
"""

SCENARIOS = [
    "scenarios.baseline",
    "scenarios.regions",
]
