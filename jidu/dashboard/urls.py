from django.urls import path

from jidu.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
]
