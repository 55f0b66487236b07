from django.urls import path

from yiwang.web import pwa, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("sitemap/", views.sitemap, name="sitemap"),
    path("design/", views.design, name="design"),
    path("offline/", views.offline, name="offline"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("bench/baseline", views.bench_baseline, name="bench_baseline"),
]
