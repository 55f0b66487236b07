"""Django admin for platform admins (``is_staff``) only. Personal data is masked in lists;
opening a citizen shows the decrypted fields and is written to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import (
    ApiToken,
    CitizenProfile,
    Department,
    Enterprise,
    EnterpriseAgent,
    StaffProfile,
    StaffRole,
    User,
)
from yiwang.audit.services import personal_data_read

ADMIN_READ_PURPOSE = "Django admin: platform administration"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "display_name", "kind", "is_active", "is_staff", "date_joined")
    list_filter = ("kind", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "display_name")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password", "kind", "display_name", "email", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "kind", "password1", "password2")}),
    )


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "masked_name",
        "masked_id_number",
        "masked_phone",
        "region",
        "verified_at",
    )
    list_select_related = ("region",)
    readonly_fields = ("user", "real_name", "id_number", "phone", "verified_at")
    fields = ("user", "real_name", "id_number", "phone", "region", "verified_at")
    raw_id_fields = ("region",)
    # Encrypted columns cannot be searched; look people up by user id or the staff workbench.
    search_fields = ("=user__id",)

    @admin.display(description=_("real name"))
    def masked_name(self, obj: CitizenProfile) -> str:
        return obj.masked_name

    @admin.display(description=_("resident ID number"))
    def masked_id_number(self, obj: CitizenProfile) -> str:
        return obj.masked_id_number

    @admin.display(description=_("mobile phone"))
    def masked_phone(self, obj: CitizenProfile) -> str:
        return obj.masked_phone

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # citizens register themselves through phone login

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        profile = CitizenProfile.objects.filter(pk=object_id).select_related("user").first()
        if profile is not None and response.status_code == 200 and request.method == "GET":
            personal_data_read(
                actor=request.user,
                subject=profile.user,
                purpose=ADMIN_READ_PURPOSE,
                fields=["real_name", "id_number", "phone"],
                target_type="accounts.citizenprofile",
                target_id=str(profile.pk),
            )
        return response


class EnterpriseAgentInline(admin.TabularInline):
    model = EnterpriseAgent
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "legal_representative", "region", "created_at")
    search_fields = ("name", "uscc")
    raw_id_fields = ("region",)
    inlines = [EnterpriseAgentInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region")
    list_filter = ("kind",)
    search_fields = ("name", "name_en", "region__code")
    raw_id_fields = ("region",)


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 1


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "department", "region", "title")
    list_select_related = ("user", "department", "region")
    search_fields = ("user__username", "user__display_name", "department__name")
    raw_id_fields = ("user", "department", "region")
    inlines = [StaffRoleInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = ("user", "name", "token_hash", "created_at", "last_used_at", "expires_at")
    search_fields = ("user__username", "name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are shown once, so only their owner creates them
