from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "jidu.intake"
    label = "intake"
    verbose_name = "工单接入"

    def ready(self):
        from django.db.models import Q

        from jidu.intake.models import ImportBatch
        from jidu.org import scope

        # Import batches are the hotline's business: department handlers see none of them.
        scope.register(ImportBatch, lambda depts: Q(pk__in=[]))
