from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "jidu.dashboard"
    label = "dashboard"
    verbose_name = "领导驾驶舱"
