from django.urls import path

from jidu.jurisdiction import views

app_name = "jurisdiction"
urlpatterns = [
    path("lists/", views.lists, name="lists"),
    path("lists/export.xlsx", views.lists_export, name="lists_export"),
    path("lists/import/", views.lists_import, name="lists_import"),
    path("lists/<int:pk>/", views.entry, name="entry"),
    path("disputes/", views.disputes, name="disputes"),
    path("disputes/measures/", views.measures, name="measures"),
    path("disputes/<int:pk>/", views.dispute, name="dispute"),
    path("disputes/<int:pk>/clock/", views.clock, name="clock"),
    path("disputes/<int:pk>/claim/", views.claim, name="claim"),
    path("disputes/<int:pk>/decide/", views.decide, name="decide"),
    path("disputes/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("disputes/<int:pk>/promote/", views.promote, name="promote"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("precedents/", views.precedents, name="precedents"),
    path("precedents/<int:pk>/", views.precedent, name="precedent"),
    path("orders/<int:order_pk>/flag/", views.flag, name="flag"),
    path("orders/<int:order_pk>/route/", views.route, name="route"),
    path("notices/", views.notices, name="notices"),
]
