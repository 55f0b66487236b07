"""Time region subtree queries at full national size.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/yiwang_bench
    uv run python bench/regions_subtree.py [--codes 44 4401 440106] [--runs 50]

Migrates the regions app, imports every province (all ~665,000 regions) when the database does
not hold them all yet, then times, for a province, a city and a county: the subtree count
(``code LIKE 'prefix%'``), the full subtree list (code and name of every row) and the direct
children list. Prints p50/p95 in milliseconds and the plan of one subtree count.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from yiwang.regions import selectors  # noqa: E402
from yiwang.regions.models import Region  # noqa: E402
from yiwang.regions.services import region_data_provinces, regions_import  # noqa: E402

FULL_SIZE = 665_276  # regions in the shipped NBS 2023 data


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float, object]:
    fn()  # warm the cache and the connection
    samples = []
    result: object = None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    quantiles = statistics.quantiles(samples, n=20)
    return statistics.median(samples), quantiles[18], result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--codes", nargs="+", default=["44", "4401", "440106"])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", "regions", verbosity=0)
    present = Region.objects.count()
    if present < FULL_SIZE:
        started = time.perf_counter()
        result = regions_import(provinces=region_data_provinces())
        print(
            f"import --all: {time.perf_counter() - started:.1f}s "
            f"({result.created} created, {result.updated} updated, {result.unchanged} unchanged)"
        )
    print(f"regions in the database: {Region.objects.count()}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE regions_region")

    print(f"{'query':<34}{'rows':>8}{'p50 ms':>10}{'p95 ms':>10}")
    for code in args.codes:
        subtree = selectors.region_subtree(code=code)
        cases: list[tuple[str, Callable[[], object]]] = [
            (f"subtree count {code}", subtree.count),
            (f"subtree list {code}", lambda s=subtree: len(list(s.values_list("code", "name")))),
            (f"children {code}", lambda c=code: len(list(selectors.region_children(code=c)))),
        ]
        for label, fn in cases:
            p50, p95, rows = timed(fn, args.runs)
            print(f"{label:<34}{rows!s:>8}{p50:>10.2f}{p95:>10.2f}")
    print("\nplan of: subtree count", args.codes[1])
    print(
        selectors.region_subtree(code=args.codes[1])
        .order_by()
        .explain(analyze=connection.vendor == "postgresql")
    )


if __name__ == "__main__":
    main()
