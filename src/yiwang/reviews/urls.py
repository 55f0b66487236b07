from django.urls import path

from yiwang.reviews import views, views_staff

app_name = "reviews"

urlpatterns = [
    path("subjects/<str:kind>/<str:ref>/", views.subject_fragment, name="subject_fragment"),
    path("rate/<str:kind>/<str:ref>/", views.rate, name="rate"),
    path("rate/<str:kind>/<str:ref>/thanks/", views.thanks, name="thanks"),
    path("my/", views.my_ratings, name="my"),
    path("my/orders/<int:pk>/verdict/", views.verdict, name="verdict"),
    path("rectifications/", views.rectifications, name="rectifications"),
    path("satisfaction/", views.satisfaction, name="satisfaction"),
    path("staff/", views_staff.staff_index, name="staff_index"),
    path("staff/orders/<int:pk>/", views_staff.order_detail, name="staff_order"),
    path(
        "staff/orders/<int:pk>/<str:action>/",
        views_staff.order_action,
        name="staff_order_action",
    ),
    path("staff/appeals/", views_staff.appeals, name="staff_appeals"),
    path("staff/appeals/<int:pk>/", views_staff.appeal_detail, name="staff_appeal"),
    path("staff/statistics/", views_staff.statistics, name="staff_statistics"),
]
