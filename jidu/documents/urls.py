from django.urls import path

from jidu.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/download/pdf/", views.download, {"kind": "pdf"}, name="download_pdf"),
]
