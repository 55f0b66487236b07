from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from yiwang.api import api
from yiwang.core import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("", include("yiwang.web.urls")),
    path("accounts/", include("yiwang.accounts.urls")),
    path("audit/", include("yiwang.audit.urls")),
    path("messages/", include("yiwang.notify.urls")),
    path("regions/", include("yiwang.regions.urls")),
    path("services/", include("yiwang.catalog.urls")),
    path("halls/", include("yiwang.halls.urls")),
    path("applications/", include("yiwang.applications.urls")),
    path("delivery/", include("yiwang.delivery.urls")),
    path("consult/", include("yiwang.consult.urls")),
    path("reviews/", include("yiwang.reviews.urls")),
    path("", include("yiwang.certificates.urls")),
]

handler400 = "yiwang.web.errors.bad_request"
handler403 = "yiwang.web.errors.permission_denied"
handler404 = "yiwang.web.errors.page_not_found"
handler500 = "yiwang.web.errors.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
