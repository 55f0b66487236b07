"""``/api/v1/catalog``: the public, read-only service catalogue (no login needed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema

from yiwang.accounts.models import DepartmentKind
from yiwang.catalog import selectors
from yiwang.catalog.api_adapters import (
    bundle_payload,
    implementation_payload,
    item_payload,
    search_payload,
)
from yiwang.catalog.models import Channel, Persona
from yiwang.catalog.schemas import (
    AddWorkingDaysOut,
    BundleOut,
    BundleSummaryOut,
    DepartmentOut,
    FiguresOut,
    ImplementationOut,
    ItemOut,
    SearchOut,
    WorkingDayOut,
)
from yiwang.catalog.search import SearchFilters, catalog_search
from yiwang.core.errors import ApiError
from yiwang.core.workdays import is_working_day, working_days_add

router = Router(tags=["catalog"], auth=None)
MAX_DAYS = 3650
MSG_DAYS_RANGE = _("days must be between -3650 and 3650.")
MSG_WITHDRAWN = _("This service has been withdrawn and is no longer offered.")
MSG_REGION = _("region must be a division code of 2 to 12 digits.")


class SearchParams(Schema):
    q: str = ""
    region: str | None = None
    department_kind: DepartmentKind | None = None
    channel: Channel | None = None
    zero_trip: bool = False
    persona: Persona | None = None


def _region(code: str | None) -> str | None:
    if code and not (code.isdigit() and 2 <= len(code) <= 12):
        raise ApiError(status=422, code="invalid_region", message=MSG_REGION)
    return code or None


@router.get("/search", response=SearchOut, summary="Search services and life events")
def search(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    filters = SearchFilters(
        department_kind=params.department_kind,
        channel=params.channel,
        zero_trip=params.zero_trip,
        persona=params.persona,
    )
    result = catalog_search(
        query=params.q, language=get_language() or "zh-hans",
        region_code=_region(params.region), filters=filters,
    )  # fmt: skip
    if result.error:
        raise ApiError(status=422, code="invalid_query", message=result.error)
    return search_payload(result)


@router.get("/items/{code}", response=ItemOut, summary="A published service item")
def item_detail(request: HttpRequest, code: str, region: str | None = None) -> dict[str, Any]:
    try:
        item = selectors.item_get_published(code=code)
    except selectors.ItemWithdrawn:
        raise ApiError(status=410, code="item_withdrawn", message=MSG_WITHDRAWN) from None
    impls = selectors.item_implementations(item=item, region_code=_region(region))
    return item_payload(item, list(impls))


@router.get("/implementations/{pk}", response=ImplementationOut, summary="A service guide")
def implementation_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return implementation_payload(selectors.implementation_get_published(pk=pk))


@router.get("/bundles", response=list[BundleSummaryOut], summary="Life events")
def bundle_list(request: HttpRequest, persona: Persona | None = None) -> list[Any]:
    return list(selectors.bundle_list(persona=persona))


@router.get("/bundles/{code}", response=BundleOut, summary="A life event with merged materials")
def bundle_detail(request: HttpRequest, code: str, region: str | None = None) -> dict[str, Any]:
    bundle = selectors.bundle_get(code=code)
    steps = selectors.bundle_steps(bundle=bundle, region_code=_region(region))
    return bundle_payload(bundle, steps, selectors.bundle_materials(steps=steps))


@router.get("/departments", response=list[DepartmentOut], summary="Departments")
def department_list(
    request: HttpRequest, region: str | None = None, kind: str | None = None
) -> list[dict[str, Any]]:
    return [
        {
            "id": d.pk,
            "name": d.name,
            "name_en": d.name_en,
            "kind": d.kind,
            "region_code": d.region_id,
        }
        for d in selectors.department_list(region_code=_region(region), kind=kind)
    ]


@router.get("/figures", response=FiguresOut, summary="网上可办率 and 零跑动率 of a region")
def figures(request: HttpRequest, region: str) -> dict[str, Any]:
    code = _region(region) or ""
    f = selectors.catalogue_figures(region_code=code)
    return {
        "region_code": code, "implementations": f.implementations,
        "fully_online": f.fully_online, "zero_trip": f.zero_trip,
        "online_rate": round(f.online_rate, 4), "zero_trip_rate": round(f.zero_trip_rate, 4),
    }  # fmt: skip


@router.get("/calendar/is-working-day", response=WorkingDayOut, summary="Is it a working day?")
def calendar_is_working_day(request: HttpRequest, date: dt.date) -> dict[str, Any]:
    return {"date": date, "is_working_day": is_working_day(date)}


@router.get("/calendar/add-working-days", response=AddWorkingDaysOut, summary="Add working days")
def calendar_add_working_days(request: HttpRequest, date: dt.date, days: int) -> dict[str, Any]:
    if not -MAX_DAYS <= days <= MAX_DAYS:
        raise ApiError(status=422, code="invalid_days", message=MSG_DAYS_RANGE)
    return {"date": date, "days": days, "result": working_days_add(date, days)}
