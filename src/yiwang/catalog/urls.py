from django.urls import path

from yiwang.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.index, name="index"),
    path("browse/", views.browse, name="browse"),
    path("items/<str:code>/", views.item_detail, name="item"),
    path("guide/<int:pk>/", views.guide, name="guide"),
    path("life-events/", views.bundle_list, name="bundles"),
    path("life-events/<slug:code>/", views.bundle_detail, name="bundle"),
]
