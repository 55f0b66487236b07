"""Platform admins look questions and knowledge-base entries up here; staff work happens on
the consult pages (scoped, audited), so these views are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yiwang.consult.models import KnowledgeEntry, Question


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Question)
class QuestionAdmin(ReadOnly, admin.ModelAdmin[Question]):
    list_display = ["number", "channel", "status", "department", "region_code", "deadline"]
    list_filter = ["status", "channel"]
    search_fields = ["number", "title"]
    # Caller name and phone are encrypted personal data: not shown here.
    exclude = ["caller_name", "caller_phone"]


@admin.register(KnowledgeEntry)
class KnowledgeEntryAdmin(ReadOnly, admin.ModelAdmin[KnowledgeEntry]):
    list_display = ["title_zh", "kind", "department", "is_published", "published_at"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title_zh", "title_en"]
    exclude = ["tokens_title_zh", "tokens_body_zh", "tokens_title_en", "tokens_body_en"]
