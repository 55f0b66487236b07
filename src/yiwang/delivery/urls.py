from django.urls import path

from yiwang.delivery import views, views_staff

app_name = "delivery"

urlpatterns = [
    path("applications/<str:number>/", views.application_fragment, name="application_fragment"),
    path("applications/<str:number>/choose/", views.choose, name="choose"),
    path("orders/<int:pk>/received/", views.confirm_received, name="confirm_received"),
    path("my/", views.my_deliveries, name="my"),
    path("addresses/<int:pk>/remove/", views.address_remove, name="address_remove"),
    path("staff/", views_staff.staff_list, name="staff_list"),
    path("staff/labels/", views_staff.staff_labels, name="staff_labels"),
    path("staff/<int:pk>/", views_staff.staff_order, name="staff_order"),
    path("staff/<int:pk>/ship/", views_staff.staff_ship, name="staff_ship"),
    path("staff/<int:pk>/status/", views_staff.staff_status, name="staff_status"),
    path("staff/<int:pk>/resend/", views_staff.staff_resend, name="staff_resend"),
]
