from django.urls import path

from jidu.intake import views

app_name = "intake"
urlpatterns = [
    path("import/", views.import_page, name="import"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/progress/", views.batch_progress, name="batch_progress"),
    path("batches/<int:pk>/report.xlsx", views.batch_report, name="batch_report"),
]
