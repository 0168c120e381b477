from django.apps import AppConfig


class WarningsConfig(AppConfig):
    name = "jidu.warnings"
    label = "warnings"
    verbose_name = "预警抄报"
