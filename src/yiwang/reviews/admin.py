"""Platform admins can read ratings and orders here; changes go through the services (and
the audit log), so everything is read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yiwang.reviews.models import Appeal, Callback, Rating, RectificationOrder, ResultFeedback


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Rating)
class RatingAdmin(ReadOnly, admin.ModelAdmin[Rating]):
    list_display = ["pk", "subject_kind", "subject_ref", "level", "channel", "region_code",
                    "excluded", "created_at"]  # fmt: skip
    list_filter = ["level", "channel", "subject_kind", "excluded"]
    search_fields = ["subject_ref", "region_code"]


@admin.register(RectificationOrder)
class RectificationOrderAdmin(ReadOnly, admin.ModelAdmin[RectificationOrder]):
    list_display = ["reference", "department", "status", "deadline", "escalated_at"]
    list_filter = ["status"]
    search_fields = ["region_code"]


@admin.register(Callback)
class CallbackAdmin(ReadOnly, admin.ModelAdmin[Callback]):
    list_display = ["order", "method", "called_at"]


@admin.register(Appeal)
class AppealAdmin(ReadOnly, admin.ModelAdmin[Appeal]):
    list_display = ["order", "status", "filed_at", "decided_at"]
    list_filter = ["status"]


@admin.register(ResultFeedback)
class ResultFeedbackAdmin(ReadOnly, admin.ModelAdmin[ResultFeedback]):
    list_display = ["order", "round", "satisfied", "created_at"]
    list_filter = ["satisfied", "round"]
