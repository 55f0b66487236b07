"""``yiwang import-regions``: load the shipped NBS 2023 division tables into the database.

yiwang import-regions                 # 广东省 (44), the demo province
yiwang import-regions --province 44 --province 11
yiwang import-regions --all           # the whole country, ~665,000 regions
"""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.regions.services import DEFAULT_PROVINCE, region_data_provinces, regions_import


class Command(BaseCommand):
    help = "Import the five-level administrative divisions (NBS 2023) of some provinces or all."

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group()
        target.add_argument(
            "--province",
            action="append",
            dest="provinces",
            metavar="CODE",
            help=f"2-digit province code; repeatable (default {DEFAULT_PROVINCE}).",
        )
        target.add_argument("--all", action="store_true", help="Import every province.")

    def handle(self, *args: Any, **options: Any) -> None:
        provinces = (
            region_data_provinces()
            if options["all"]
            else options["provinces"] or [DEFAULT_PROVINCE]
        )
        started = time.perf_counter()
        try:
            result = regions_import(provinces=provinces)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        elapsed = time.perf_counter() - started
        levels = ", ".join(f"L{level}={count}" for level, count in sorted(result.per_level.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(provinces)} province(s) in {elapsed:.1f}s: "
                f"{result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged ({levels})."
            )
        )
        if result.stale:
            self.stdout.write(
                self.style.WARNING(
                    f"{result.stale} region(s) in the database are not in the data; kept."
                )
            )
