from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "jidu.reports"
    label = "reports"
    verbose_name = "定期分析"

    def ready(self):
        from django.db.models import Q

        from jidu.org import scope
        from jidu.reports.models import Report

        # Reports are city-wide documents: a department handler sees none of them (an empty Q).
        scope.register(Report, lambda depts: Q(pk__in=[]))
