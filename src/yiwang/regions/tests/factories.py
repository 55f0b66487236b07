"""Regions for tests in any app.

RegionFactory()                          # a province with a fresh 2-digit code
RegionFactory(parent=city)               # a county under ``city``: code and level follow
region_chain(["44", "4401", "440106"])   # the whole path, reusing regions that exist
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import factory
from factory.django import DjangoModelFactory

from yiwang.regions.models import CODE_LENGTHS, LEVEL_BY_LENGTH, Region


def _next_code(region: Any, n: int) -> str:
    parent: Region | None = region.parent
    if parent is None:
        return f"{10 + n % 90:02d}"
    width = CODE_LENGTHS[parent.level + 1] - len(parent.code)
    return f"{parent.code}{1 + n % (10**width - 1):0{width}d}"


class RegionFactory(DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    parent = None
    code = factory.LazyAttributeSequence(_next_code)
    level = factory.LazyAttribute(lambda r: LEVEL_BY_LENGTH[len(r.code)])
    name = factory.LazyAttribute(lambda r: f"测试区划{r.code}")
    name_en = ""


def region_chain(codes: Sequence[str], names: Sequence[str] | None = None) -> list[Region]:
    """Create (or reuse) each region of a root-to-node path of codes; returns them in order."""
    chain: list[Region] = []
    parent: Region | None = None
    for index, code in enumerate(codes):
        expected = CODE_LENGTHS[index + 1]
        if len(code) != expected or (parent and not code.startswith(parent.code)):
            where = parent.code if parent else "the root"
            raise ValueError(f"{code!r} cannot be level {index + 1} under {where}")
        extra = {"name": names[index]} if names else {}
        parent = RegionFactory(code=code, parent=parent, **extra)
        chain.append(parent)
    return chain
