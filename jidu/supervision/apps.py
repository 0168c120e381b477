from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "jidu.supervision"
    label = "supervision"
    verbose_name = "案件即督"

    def ready(self):
        from django.db.models import Exists, OuterRef, Q

        from jidu.org import scope
        from jidu.supervision.models import CaseAttachment, CaseStep, Rectification, SupervisionCase

        through = SupervisionCase.departments.through

        def case_q(depts):  # a department sees the cases addressed to it
            return Q(Exists(through.objects.filter(supervisioncase_id=OuterRef("pk"), department_id__in=depts)))

        def via_case(depts):
            return Q(Exists(through.objects.filter(supervisioncase_id=OuterRef("case_id"), department_id__in=depts)))

        scope.register(SupervisionCase, case_q)
        for model in (CaseStep, CaseAttachment, Rectification):
            scope.register(model, via_case)
