"""Django admin: synonyms are edited here; catalogue content is read-only here because it
changes only through drafts, review and publishing (the department pages and services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yiwang.catalog.models import (
    Bundle,
    Implementation,
    ImplementationVersion,
    SearchSynonym,
    ServiceItem,
    ServiceItemVersion,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ServiceItem)
class ServiceItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "item_type", "department_kind", "region_level", "persona"]
    list_filter = ["item_type", "department_kind", "persona"]
    search_fields = ["code", "versions__name_zh", "versions__name_en"]


@admin.register(ServiceItemVersion)
class ServiceItemVersionAdmin(ReadOnlyAdmin):
    list_display = ["item", "number", "status", "name_zh", "published_at"]
    list_filter = ["status"]
    search_fields = ["item__code", "name_zh", "name_en"]


@admin.register(Implementation)
class ImplementationAdmin(ReadOnlyAdmin):
    list_display = ["item", "department", "region"]
    search_fields = ["item__code", "department__name"]


@admin.register(ImplementationVersion)
class ImplementationVersionAdmin(ReadOnlyAdmin):
    list_display = ["implementation", "number", "status", "promised_limit_days", "trips"]
    list_filter = ["status", "trips"]


@admin.register(Bundle)
class BundleAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_zh", "name_en", "persona", "is_published"]


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["language", "term", "expansions"]
    list_filter = ["language"]
    search_fields = ["term", "expansions"]
