from django.urls import path

from yiwang.catalog import views, views_staff, views_staff_bundles, views_staff_impl

app_name = "catalog"

urlpatterns = [
    path("", views.index, name="index"),
    path("browse/", views.browse, name="browse"),
    path("items/<str:code>/", views.item_detail, name="item"),
    path("guide/<int:pk>/", views.guide, name="guide"),
    path("life-events/", views.bundle_list, name="bundles"),
    path("life-events/<slug:code>/", views.bundle_detail, name="bundle"),
    # Department pages (staff only).
    path("manage/", views_staff.manage, name="manage"),
    path("manage/life-events/", views_staff_bundles.bundle_list, name="manage_bundles"),
    path("manage/life-events/new/", views_staff_bundles.bundle_edit, name="manage_bundle_new"),
    path("manage/life-events/<slug:code>/", views_staff_bundles.bundle_edit, name="manage_bundle"),
    path("manage/transfer/", views_staff.transfer, name="manage_transfer"),
    path("manage/export.json", views_staff.export_json, name="manage_export_json"),
    path("manage/export.xlsx", views_staff.export_xlsx, name="manage_export_xlsx"),
    path("manage/items/new/", views_staff.item_new, name="manage_item_new"),
    path("manage/items/<str:code>/", views_staff.item_edit, name="manage_item"),
    path("manage/versions/<int:pk>/submit/", views_staff.version_submit, name="manage_submit"),
    path("manage/versions/<int:pk>/publish/", views_staff.version_publish, name="manage_publish"),
    path("manage/versions/<int:pk>/return/", views_staff.version_return, name="manage_return"),
    path(
        "manage/items/<str:code>/implementations/new/",
        views_staff_impl.implementation_new,
        name="manage_implementation_new",
    ),
    path(
        "manage/implementations/<int:pk>/",
        views_staff_impl.implementation_edit,
        name="manage_implementation",
    ),
    path(
        "manage/implementation-versions/<int:pk>/submit/",
        views_staff_impl.implementation_submit,
        name="manage_implementation_submit",
    ),
    path(
        "manage/implementation-versions/<int:pk>/publish/",
        views_staff_impl.implementation_publish,
        name="manage_implementation_publish",
    ),
    path(
        "manage/implementation-versions/<int:pk>/return/",
        views_staff_impl.implementation_return,
        name="manage_implementation_return",
    ),
]
