from django.urls import path

from yiwang.halls import views, views_staff

app_name = "halls"

urlpatterns = [
    path("", views.index, name="index"),
    path("nearest", views.nearest, name="nearest"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/book/<int:implementation>/", views.book, name="book"),
    path("<int:pk>/board/", views.board, name="board"),
    path("my/", views.my_bookings, name="my"),
    path("my/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("my/<int:pk>/reschedule/", views.reschedule, name="reschedule"),
    path("staff/", views_staff.staff_index, name="staff_index"),
    path("staff/<int:pk>/", views_staff.staff_hall, name="staff_hall"),
    path("staff/windows/<int:pk>/", views_staff.staff_window, name="staff_window"),
    path(
        "staff/windows/<int:pk>/<str:action>/",
        views_staff.staff_window_action,
        name="staff_window_action",
    ),
]
