"""Time ``catalog_search`` over 10,000 implementations (target: p95 under 50 ms on PostgreSQL).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/yiwang_bench
    uv run python bench/catalog_search.py [--implementations 10000] [--runs 20]

Migrates, loads the demo catalogue (44 items, 3 bundles), then adds synthetic districts
under 广东's cities and implements every county-level item in each (bulk inserts of published
versions with their materials) until the catalogue holds ``--implementations``. Each run of
the ranking-table queries is timed end to end through ``catalog_search`` (parse, synonyms,
rank, region scoping, suggestions), for a citizen in a random synthetic district. Prints
p50/p95/p99 in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from yiwang.accounts.models import Department  # noqa: E402
from yiwang.catalog.demo.load import catalog_demo_load  # noqa: E402
from yiwang.catalog.models import (  # noqa: E402
    Implementation,
    ImplementationVersion,
    Material,
    ServiceItem,
    VersionStatus,
)
from yiwang.catalog.search import catalog_search  # noqa: E402
from yiwang.catalog.tests.test_search import RANKING  # noqa: E402
from yiwang.regions.models import Region  # noqa: E402

CITIES = [f"44{n:02d}" for n in range(1, 21)]


def _district_codes() -> list[str]:
    # Synthetic districts 4401 50..99 etc. — above the real ones, so nothing collides.
    return [f"{city}{n:02d}" for city in CITIES for n in range(50, 100)]


def _copy(obj: object, parent: str) -> dict[str, object]:
    fields = type(obj)._meta.concrete_fields  # type: ignore[attr-defined]
    return {f.attname: getattr(obj, f.attname) for f in fields if f.attname not in ("id", parent)}


@transaction.atomic
def grow(target: int) -> int:
    template = {
        iv.implementation.item_id: iv
        for iv in ImplementationVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("implementation")
        .prefetch_related("materials")
    }
    county_items = list(ServiceItem.objects.filter(region_level=3, published_version__isnull=False))
    for city in CITIES:
        Region.objects.get_or_create(
            code=city, defaults={"name": f"城市{city}", "level": 2, "parent_id": "44"}
        )
    count = Implementation.objects.count()
    for code in _district_codes():
        if count >= target:
            break
        region, _ = Region.objects.get_or_create(
            code=code, defaults={"name": f"测试区{code}", "level": 3, "parent_id": code[:4]}
        )
        for item in county_items:
            if count >= target:
                break
            department, _ = Department.objects.get_or_create(
                region=region,
                kind=item.department_kind,
                defaults={"name": f"{code}{item.department_kind}"},
            )
            if Implementation.objects.filter(item=item, department=department).exists():
                continue
            impl = Implementation.objects.create(item=item, department=department, region=region)
            source = template[item.pk]
            # bulk_create skips save(): the copy of a published version is not an edit.
            version = ImplementationVersion.objects.bulk_create(
                [
                    ImplementationVersion(
                        **_copy(source, "implementation_id"), implementation_id=impl.pk
                    )
                ]
            )[0]
            Material.objects.bulk_create(
                Material(**_copy(m, "version_id"), version_id=version.pk)
                for m in source.materials.all()
            )
            Implementation.objects.filter(pk=impl.pk).update(published_version=version)
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--implementations", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    catalog_demo_load()
    total = grow(args.implementations)
    print(f"implementations: {total}")
    rng = random.Random(3)
    districts = _district_codes()
    queries = [q for q, _expected in RANKING]
    for q in queries:  # warm caches and connections
        catalog_search(query=q, language="zh-hans", region_code="440106001")
    samples = []
    for _ in range(args.runs):
        for q in queries:
            region = rng.choice(districts) + "001"
            started = time.perf_counter()
            catalog_search(query=q, language="zh-hans", region_code=region)
            samples.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(samples, n=100)
    print(
        f"catalog_search: {len(samples)} searches, p50 {statistics.median(samples):.1f} ms, "
        f"p95 {cuts[94]:.1f} ms, p99 {cuts[98]:.1f} ms"
    )


if __name__ == "__main__":
    main()
