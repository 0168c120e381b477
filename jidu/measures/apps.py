from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "jidu.measures"
    label = "measures"
    verbose_name = "考核指标"
