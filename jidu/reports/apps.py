from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "jidu.reports"
    label = "reports"
    verbose_name = "定期分析"
