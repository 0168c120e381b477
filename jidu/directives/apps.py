from django.apps import AppConfig


class DirectivesConfig(AppConfig):
    name = "jidu.directives"
    label = "directives"
    verbose_name = "协查督办"
