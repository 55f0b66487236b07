"""Kept apart from ``apps.py``: Django picks an app's default config from the AppConfig
classes in that module, and the admin's config must not be a candidate for ``yiwang.web``."""

from django.contrib.admin.apps import AdminConfig


class YiwangAdminConfig(AdminConfig):
    """Installed in place of ``django.contrib.admin`` so that ``admin.site`` — which every
    app's ``admin.py`` registers with — is the OTP-protected platform admin site."""

    default_site = "yiwang.web.admin_site.YiwangAdminSite"
