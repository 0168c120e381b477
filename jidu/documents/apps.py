from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "jidu.documents"
    label = "documents"
    verbose_name = "监督文书"
