from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yiwang.certificates.models import Certificate, CertificateType, SigningKey


class _ReadOnly(admin.ModelAdmin):
    """Signed records change only through services (issue, revoke, rotate): editing a row
    here would break its signature or skip the audit log."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CertificateType)
class CertificateTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "validity_days")
    search_fields = ("code", "name", "name_en")


@admin.register(Certificate)
class CertificateAdmin(_ReadOnly):
    list_display = (
        "number",
        "certificate_type",
        "issuer_name",
        "issued_at",
        "valid_until",
        "status",
    )
    list_filter = ("status", "certificate_type")
    search_fields = ("^number",)
    list_select_related = ("certificate_type",)
    # The holder's data is personal: the admin shows the record, not the data.
    exclude = ("data", "vc_jwt", "qr_payload")


@admin.register(SigningKey)
class SigningKeyAdmin(_ReadOnly):
    list_display = ("kid", "is_active", "created_at", "retired_at")
    exclude = ("private_key",)
