"""The audit log in the Django admin: read-only, like the log itself."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yiwang.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = [
        "sequence",
        "created_at",
        "action",
        "actor_name",
        "actor_department",
        "region_code",
        "target_type",
        "target_id",
    ]
    list_filter = ["action"]
    search_fields = ["=sequence", "=actor_id", "=subject_id", "=request_id", "actor_name"]
    ordering = ["-sequence"]
    show_full_result_count = False  # COUNT(*) over a long log on every page is wasteful

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
