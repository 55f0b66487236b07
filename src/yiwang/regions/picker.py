"""What the region picker shows: one ``<select>`` per level from the province down to the
children of the chosen region."""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.regions import selectors
from yiwang.regions.models import Region, RegionLevel


@dataclass(frozen=True)
class PickerLevel:
    level: RegionLevel
    options: list[Region]
    selected: str  # code of the chosen option, or "" when none is chosen yet
    # Value of the "choose…" option: going back to it selects the region one level up.
    unset_value: str


def picker_levels(*, code: str) -> list[PickerLevel]:
    path = selectors.region_path(code=code) if code.strip() else []
    levels: list[PickerLevel] = []
    parent: Region | None = None
    for depth in range(len(path) + 1):
        if parent is not None and not getattr(parent, "has_children", False):
            break  # the chosen region is a leaf: no further select
        options = list(selectors.region_children(code=parent.code if parent else ""))
        if not options:
            break
        chosen = path[depth] if depth < len(path) else None
        levels.append(
            PickerLevel(
                level=RegionLevel(depth + 1),
                options=options,
                selected=chosen.code if chosen else "",
                unset_value=parent.code if parent else "",
            )
        )
        parent = chosen
    return levels
