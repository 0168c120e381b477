from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "jidu.supervision"
    label = "supervision"
    verbose_name = "案件即督"
