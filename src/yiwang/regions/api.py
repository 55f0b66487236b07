"""``/api/v1/regions``: the public, read-only division tree (no login needed)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from yiwang.regions import selectors
from yiwang.regions.models import Region

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str  # in the request's language when known, else the official Chinese name
    name_zh: str
    name_en: str
    level: int
    parent: str | None
    has_children: bool

    @staticmethod
    def resolve_name(obj: Region) -> str:
        return obj.localized_name

    @staticmethod
    def resolve_name_zh(obj: Region) -> str:
        return obj.name

    @staticmethod
    def resolve_parent(obj: Region) -> str | None:
        return obj.parent_id

    @staticmethod
    def resolve_has_children(obj: Region) -> bool:
        return bool(getattr(obj, "has_children", False))


@router.get(
    "",
    response=list[RegionOut],
    auth=None,
    summary="Children of a region (provinces when no parent)",
)
def region_list(request: HttpRequest, parent: str = "") -> list[Region]:
    return list(selectors.region_children(code=parent))


@router.get("/{code}", response=RegionOut, auth=None, summary="One region")
def region_detail(request: HttpRequest, code: str) -> Region:
    return selectors.region_get(code=code)


@router.get(
    "/{code}/path",
    response=list[RegionOut],
    auth=None,
    summary="From the province down to a region",
)
def region_path(request: HttpRequest, code: str) -> list[Region]:
    return selectors.region_path(code=code)
