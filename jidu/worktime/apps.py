from django.apps import AppConfig


class WorktimeConfig(AppConfig):
    name = "jidu.worktime"
    label = "worktime"
    verbose_name = "工作日历与时限"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from jidu.worktime import services
        from jidu.worktime.models import CalendarYear, Holiday

        for model in (Holiday, CalendarYear):
            post_save.connect(services.invalidate_cache, sender=model)
            post_delete.connect(services.invalidate_cache, sender=model)
