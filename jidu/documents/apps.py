from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "jidu.documents"
    label = "documents"
    verbose_name = "监督文书"

    def ready(self):
        from django.db.models import Q

        from jidu.documents.models import OfficialDocument
        from jidu.org import scope

        # A department sees the documents addressed to it; supervisors and leaders the city.
        scope.register(OfficialDocument, lambda depts: Q(addressee_id__in=depts))
