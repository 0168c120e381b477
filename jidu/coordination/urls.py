from django.urls import path

from jidu.coordination import views

app_name = "coordination"
urlpatterns = [
    path("", views.index, name="index"),
    path("consultations/", views.consultations, name="consultations"),
    path("consultations/new/", views.consultation_new, name="consultation_new"),
    path("consultations/<int:pk>/", views.consultation, name="consultation"),
    path("consultations/<int:pk>/edit/", views.consultation_edit, name="consultation_edit"),
    path("consultations/<int:pk>/hold/", views.consultation_hold, name="consultation_hold"),
    path("consultations/<int:pk>/conclude/", views.consultation_conclude, name="consultation_conclude"),
    path("consultations/<int:pk>/close/", views.consultation_close, name="consultation_close"),
    path("consultations/<int:pk>/materials/", views.consultation_materials, name="consultation_materials"),
    path("consultations/<int:pk>/tasks/", views.task_add, name="task_add"),
    path("consultations/<int:pk>/entry/", views.consultation_entry, name="consultation_entry"),
    path("materials/<int:pk>/", views.material, name="material"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("inspections/", views.inspections, name="inspections"),
    path("inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection_edit"),
    path("inspections/<int:pk>/transition/", views.inspection_transition, name="inspection_transition"),
    path("inspections/<int:pk>/findings/", views.finding_add, name="finding_add"),
    path("inspections/<int:pk>/cases/", views.case_add, name="case_add"),
    path("inspections/<int:pk>/rectifications/", views.rectification_add, name="rectification_add"),
    path("inspections/<int:pk>/businesses/", views.business_add, name="business_add"),
    path("rectifications/<int:pk>/done/", views.rectification_done, name="rectification_done"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("guidance/", views.guidances, name="guidances"),
    path("guidance/new/", views.guidance_new, name="guidance_new"),
    path("guidance/<int:pk>/", views.guidance, name="guidance"),
    path("guidance/<int:pk>/acknowledge/", views.guidance_ack, name="guidance_ack"),
    path("guidance/<int:pk>/act/", views.guidance_act, name="guidance_act"),
]
