"""Mounted at the site root: ``/.well-known/...`` must be there."""

from django.urls import path

from yiwang.certificates import views

app_name = "certificates"

urlpatterns = [
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path(".well-known/revocations.json", views.revocations, name="revocations"),
    path("verify/", views.verify, name="verify"),
    path("certificates/", views.wallet, name="wallet"),
    path("certificates/staff/", views.staff_list, name="staff_list"),
    path("certificates/staff/<str:number>/revoke/", views.staff_revoke, name="staff_revoke"),
    path("certificates/shared/<str:token>/", views.shared, name="shared"),
    path("certificates/<str:number>/", views.detail, name="detail"),
    path("certificates/<str:number>/pdf/", views.pdf, name="pdf"),
    path("certificates/<str:number>/share/", views.share, name="share"),
]
