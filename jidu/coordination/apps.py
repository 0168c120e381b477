from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "jidu.coordination"
    label = "coordination"
    verbose_name = "会商会审与联合巡查"
