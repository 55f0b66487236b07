from django.urls import path

from yiwang.applications import views, views_staff

app_name = "applications"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("apply-action", views.apply_action, name="apply_action"),
    path("apply/<int:implementation>/", views.apply, name="apply"),
    path("staff/", views_staff.inbox, name="inbox"),
    path("staff/rules/", views_staff.rules, name="rules"),
    path("staff/tasks/<int:item_id>/", views_staff.task, name="task"),
    path("staff/tasks/<int:item_id>/applicant/", views_staff.applicant, name="applicant"),
    path("staff/tasks/<int:item_id>/claim/", views_staff.claim, name="claim"),
    path(
        "staff/tasks/<int:item_id>/materials/<int:material_id>/",
        views_staff.material,
        name="material",
    ),
    path(
        "staff/tasks/<int:item_id>/materials/<int:material_id>/preview/",
        views_staff.material_preview,
        name="material_preview",
    ),
    path("staff/tasks/<int:item_id>/act/", views_staff.act, name="act"),
    path("staff/tasks/<int:item_id>/comment/", views_staff.comment, name="comment"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/edit/", views.edit, name="edit"),
    path("<str:number>/upload/", views.upload, name="upload"),
    path("<str:number>/certificate/", views.use_certificate, name="use_certificate"),
    path("<str:number>/supplement/", views.supplement, name="supplement"),
    path("<str:number>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:number>/appeal/", views.appeal, name="appeal"),
]

# Decision tables (决策表): edited by department admins, signed off by a reviewer.
from yiwang.applications import views_rules  # noqa: E402

urlpatterns += [
    path("staff/rules/tables/", views_rules.tables, name="rules_tables"),
    path("staff/rules/<int:implementation_id>/", views_rules.table, name="rules_table"),
    path("staff/rules/<int:implementation_id>/edit/", views_rules.edit, name="rules_edit"),
    path(
        "staff/rules/<int:implementation_id>/versions/<int:number>/",
        views_rules.version,
        name="rules_version",
    ),
    path(
        "staff/rules/<int:implementation_id>/versions/<int:number>/test/",
        views_rules.test,
        name="rules_test",
    ),
    path(
        "staff/rules/<int:implementation_id>/versions/<int:number>/submit/",
        views_rules.submit,
        name="rules_submit",
    ),
    path(
        "staff/rules/<int:implementation_id>/versions/<int:number>/discard/",
        views_rules.discard,
        name="rules_discard",
    ),
    path(
        "staff/rules/<int:implementation_id>/versions/<int:number>/review/",
        views_rules.review,
        name="rules_review",
    ),
]
