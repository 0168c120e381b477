from django.urls import path

from jidu.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/download/<str:fmt>/", views.download, name="download"),
]
