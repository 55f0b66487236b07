"""The Django admin for platform admins (平台管理员) only: an active ``is_staff`` user whose
session has passed a second factor (django-otp). A stolen password alone opens nothing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite


class YiwangAdminSite(OTPAdminSite):
    site_header = _("Yiwang platform administration")
    site_title = _("Yiwang platform administration")
    index_title = _("Platform administration")

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Staff have one door: the staff login (password, then TOTP) verifies the session
        that ``has_permission`` checks, and brings the admin back to the page they wanted."""
        wanted = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
            wanted = ""
        return redirect_to_login(wanted or reverse("admin:index"), reverse("accounts:staff_login"))
