from django.urls import path

from yiwang.accounts import views, views_staff

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_phone, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", views.logout_view, name="logout"),
    path("complete-profile/", views.complete_profile, name="complete_profile"),
    path("me/", views.me, name="me"),
    path("enterprises/register/", views.enterprise_register, name="enterprise_register"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path(
        "enterprises/<int:pk>/agents/<int:user_id>/remove/",
        views.enterprise_agent_remove,
        name="enterprise_agent_remove",
    ),
    path("staff/login/", views_staff.staff_login, name="staff_login"),
    path("staff/login/totp/", views_staff.staff_login_totp, name="staff_login_totp"),
    path("workbench/", views_staff.workbench, name="workbench"),
    path("workbench/citizens/<int:pk>/", views_staff.citizen_detail, name="citizen_detail"),
]
