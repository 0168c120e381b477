from django.urls import path

from jidu.screening import views

app_name = "screening"
urlpatterns = [
    path("orders/<int:pk>/correct/<str:label>/", views.correct, name="correct"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/try/", views.rule_try, name="rule_try"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/toggle/", views.rule_toggle, name="rule_toggle"),
]
