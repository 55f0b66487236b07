"""The Django admin for platform admins (平台管理员) only: an active ``is_staff`` user whose
session has passed a second factor (django-otp). A stolen password alone opens nothing."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite


class YiwangAdminSite(OTPAdminSite):
    site_header = _("Yiwang platform administration")
    site_title = _("Yiwang platform administration")
    index_title = _("Platform administration")
