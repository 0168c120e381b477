from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jidu.core"
    label = "core"
    verbose_name = "基础设施"

    def ready(self):
        from django.db.models import Field, ForeignObject

        from jidu.core.lookups import AnyOf

        Field.register_lookup(AnyOf)
        ForeignObject.register_lookup(AnyOf)  # relations look only at their own class lookups
