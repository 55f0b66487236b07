from django.urls import path

from yiwang.regions import views

app_name = "regions"
urlpatterns = [
    path("picker", views.picker, name="picker"),
]
