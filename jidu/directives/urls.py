from django.urls import path

from jidu.directives import views

app_name = "directives"
urlpatterns = [
    path("", views.directive_list, name="list"),
    path("proposals/", views.proposals, name="proposals"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/review/", views.review, name="review"),
    path("replies/<int:pk>/attachment/", views.attachment, name="attachment"),
    path("orders/<int:order_pk>/start/", views.start, name="start"),
]
