from django.urls import path

from jidu.warnings import views

app_name = "warnings"
urlpatterns = [
    path("", views.warning_list, name="list"),
    path("run/", views.run_now, name="run"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("<int:pk>/close/", views.close, name="close"),
]
