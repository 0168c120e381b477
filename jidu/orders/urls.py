from django.urls import path

from jidu.orders import views

app_name = "orders"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("export.xlsx", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/caller/", views.caller, name="caller"),
]
