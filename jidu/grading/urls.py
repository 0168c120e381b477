from django.urls import path

from jidu.grading import views

app_name = "grading"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("events/", views.events, name="events"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/downgrade/", views.downgrade, name="downgrade"),
]
