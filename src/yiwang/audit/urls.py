from django.urls import path

from yiwang.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.staff_list, name="staff_list"),
    path("my-data-reads/", views.my_data_reads, name="my_data_reads"),
]
