from django.urls import path

from jidu.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/do/<str:action>/", views.case_action, name="action"),
    path("<int:pk>/issue/", views.case_issue, name="issue"),
    path("<int:pk>/rectify/", views.case_rectify, name="rectify"),
    path("<int:pk>/review/", views.case_review, name="review"),
    path("<int:pk>/result/", views.case_result, name="result"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
