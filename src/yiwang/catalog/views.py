"""The public catalogue pages: search and browse, 办事指南 guides, life events."""

from __future__ import annotations

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from yiwang.accounts.models import DepartmentKind
from yiwang.catalog import selectors
from yiwang.catalog.forms_schema_render import schema_form
from yiwang.catalog.models import Channel, Persona, ServiceItem
from yiwang.catalog.search import SearchFilters, catalog_search

RECENT_SESSION_KEY = "catalog_recent"
RECENT_MAX = 5


def reader_region(request: HttpRequest) -> str | None:
    """The region a page is for: ``?region=`` when valid, else the citizen's own region."""
    code = request.GET.get("region", "")
    if code.isdigit() and 2 <= len(code) <= 12:
        return code
    citizen = getattr(request.user, "citizen", None) if request.user.is_authenticated else None
    return getattr(citizen, "region_id", None)


def _filters(request: HttpRequest) -> SearchFilters:
    get = request.GET

    def choice(name: str, allowed: list[str]) -> str | None:
        value = get.get(name)
        return value if value in allowed else None  # anything else is ignored, not an error

    return SearchFilters(
        department_kind=choice("department", DepartmentKind.values),
        channel=choice("channel", Channel.values),
        zero_trip=get.get("zero_trip") == "1",
        persona=choice("persona", Persona.values),
    )


def index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q")
    region = reader_region(request)
    result = None
    if query is not None:
        result = catalog_search(
            query=query, language=get_language() or "zh-hans", region_code=region,
            filters=_filters(request),
        )  # fmt: skip
    codes = request.session.get(RECENT_SESSION_KEY, [])
    recent = sorted(
        selectors.items_published().filter(code__in=codes), key=lambda i: codes.index(i.code)
    )
    return render(request, "catalog/index.html", {
        "query": query or "", "result": result, "region": region, "filters": _filters(request),
        "department_kinds": DepartmentKind.choices, "channels": Channel.choices,
        "personas": Persona.choices, "bundles": selectors.bundle_list(), "recent": recent,
        "popular": selectors.items_popular(region_code=region),
    })  # fmt: skip


def browse(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    items = selectors.items_browse(
        department_kind=filters.department_kind, persona=filters.persona,
        region_code=reader_region(request),
    )  # fmt: skip
    return render(request, "catalog/browse.html", {
        "items": items, "filters": filters, "department_kinds": DepartmentKind.choices,
        "personas": Persona.choices,
        "department_label": dict(DepartmentKind.choices).get(filters.department_kind or ""),
        "persona_label": dict(Persona.choices).get(filters.persona or ""),
    })  # fmt: skip


def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        item = selectors.item_get_published(code=code)
    except selectors.ItemWithdrawn:
        return render(request, "catalog/withdrawn.html", {"code": code}, status=410)
    region = reader_region(request)
    implementations = selectors.item_implementations(item=item, region_code=region)
    return render(request, "catalog/item.html", {
        "item": item, "version": item.published_version, "implementations": implementations,
        "region": region,
    })  # fmt: skip


def guide(request: HttpRequest, pk: int) -> HttpResponse:
    implementation = selectors.implementation_get_published(pk=pk)
    _remember(request, implementation.item.code)
    ServiceItem.objects.filter(pk=implementation.item_id).update(view_count=F("view_count") + 1)
    related = selectors.implementation_related(implementation=implementation)
    version = implementation.published_version
    preview = schema_form(version.form_schema) if version and version.form_schema else None
    return render(request, "catalog/guide.html", {
        "form_preview": preview,
        "implementation": implementation, "item": implementation.item,
        "item_version": implementation.item.published_version,
        "version": implementation.published_version,
        "related_items": related["items"], "related_bundles": related["bundles"],
    })  # fmt: skip


def bundle_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/bundles.html", {"bundles": selectors.bundle_list()})


def bundle_detail(request: HttpRequest, code: str) -> HttpResponse:
    bundle = selectors.bundle_get(code=code)
    steps = selectors.bundle_steps(bundle=bundle, region_code=reader_region(request))
    return render(request, "catalog/bundle.html", {
        "bundle": bundle, "steps": steps, "materials": selectors.bundle_materials(steps=steps),
    })  # fmt: skip


def _remember(request: HttpRequest, code: str) -> None:
    """Recently viewed services, newest first, kept in the session (no account needed)."""
    codes = [c for c in request.session.get(RECENT_SESSION_KEY, []) if c != code]
    request.session[RECENT_SESSION_KEY] = [code, *codes][:RECENT_MAX]
