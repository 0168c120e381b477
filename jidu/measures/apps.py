from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "jidu.measures"
    label = "measures"
    verbose_name = "考核指标"

    def ready(self):
        from django.db.models import Q

        from jidu.measures import models as m
        from jidu.org import scope

        own = lambda depts: Q(department_id__in=depts)  # noqa: E731
        scope.register(m.DailyCount, own)
        scope.register(m.DailyProblemCount, own)
        scope.register(m.MeasureSetting, lambda depts: Q())
