from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "jidu.org"
    label = "org"
    verbose_name = "组织机构"

    def ready(self):
        from django.db.models.signals import post_migrate

        from jidu.org.roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)
